/**
 * `hrng sign`: sign one consensus message at a height/round/step under the double-sign guard
 * (consensus/guard), with either a keystore key (--key, decrypted with its passphrase) or a key held in a
 * PKCS#11 token (--hsm-key LABEL; the token is configured by the HRNG_PKCS11_* environment variables of
 * cli/pkcs11-options.ts, the PIN never on the command line). Prints the signature in hex. A refusal by
 * the guard exits with status 3 and one line saying why; nothing is signed then.
 */
import { parseArgs } from 'node:util';
import { SigningGuard } from '../../consensus/guard/signing-guard.js';
import { GuardDoubleSignError, GuardRegressionError } from '../../consensus/guard/guard-errors.js';
import type { Hrs } from '../../consensus/guard/hrs.js';
import { Rng } from '../../crypto/drbg/rng.js';
import { readKeystore } from '../../crypto/keys/keystore.js';
import { schemeImpl } from '../../crypto/keys/schemes.js';
import type { Signer } from '../../crypto/keys/signer.js';
import { SoftwareSigner } from '../../crypto/keys/software-signer.js';
import { findSigningKey } from '../../hsm/keys.js';
import { CliUsageError, EXIT_OK, EXIT_REFUSED, type Command } from '../command.js';
import { parseCount } from '../format.js';
import type { CliIo } from '../io.js';
import { kdfProgress, readPassphrase } from '../passphrase.js';
import { PKCS11_ENV, openPkcs11FromEnv } from '../pkcs11-options.js';
import { cliLogger } from '../logger.js';

const usage = `usage: hrng sign --key FILE [--passphrase-file FILE] --guard DIR --height H --round R --step S --message HEX
       hrng sign --hsm-key LABEL --guard DIR --height H --round R --step S --message HEX

  --key              keystore file written by 'hrng keygen'
  --passphrase-file  file holding its passphrase; without it the passphrase is asked for at the terminal
  --hsm-key          label of a signing key in a PKCS#11 token ('hrng hsm keygen --label'), instead of
                     --key; the token comes from ${PKCS11_ENV.library}, ${PKCS11_ENV.token} and
                     ${PKCS11_ENV.pin} or ${PKCS11_ENV.pinFile}
  --guard            the double-sign guard's directory (created if missing; keep it with the key)
  --height/--round/--step   the consensus position of the message
  --message          the bytes to sign, in hex (not empty: no vote or proposal is)
  --json             print {"keyId","scheme","height","round","step","signature"} instead of the bare hex
exit status 3: refused by the guard (a different message at the same position, or a lower position)`;

const MAX = Number.MAX_SAFE_INTEGER;

function parseHex(text: string | undefined): Uint8Array {
  if (text === undefined) throw new CliUsageError('--message HEX is required');
  const t = text.startsWith('0x') ? text.slice(2) : text;
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(t)) throw new CliUsageError('--message must be hex (an even number of 0-9a-f digits)');
  return Uint8Array.from(Buffer.from(t, 'hex'));
}

/** Signs under the guard; a refusal becomes one line on stderr and exit status 3. */
async function guardedSign(guard: SigningGuard, signer: Signer, hrs: Hrs, message: Uint8Array, io: CliIo, json: boolean): Promise<number> {
  try {
    const signature = Buffer.from(await guard.sign(signer, hrs, message)).toString('hex');
    io.stdout.write(
      json
        ? JSON.stringify({ keyId: signer.keyId, scheme: signer.scheme, ...hrs, signature }) + '\n'
        : signature + '\n',
    );
    return EXIT_OK;
  } catch (err) {
    if (err instanceof GuardDoubleSignError || err instanceof GuardRegressionError) {
      io.stderr.write(`hrng sign: ${err.code}: ${err.message}\n`);
      return EXIT_REFUSED;
    }
    throw err;
  }
}

async function signWithKeystore(keyFile: string, passphraseFile: string | undefined, guard: SigningGuard, hrs: Hrs, message: Uint8Array, io: CliIo, json: boolean): Promise<number> {
  const passphrase = await readPassphrase(io, { file: passphraseFile });
  let record;
  try {
    record = await readKeystore(keyFile, passphrase, { onProgress: kdfProgress(io, 'decrypting keystore') });
  } finally {
    passphrase.fill(0);
  }
  let rng: Rng | undefined;
  try {
    // Only the hedged schemes draw signing randomness; Ed25519 signing is deterministic (RFC 8032 §5.1.6).
    rng = schemeImpl(record.scheme).signRandLength > 0 ? await Rng.create({ logger: cliLogger(io) }) : undefined;
    using signer = SoftwareSigner.fromRecord(record, rng ? { rng } : {});
    record.seed.dispose();
    if (record.scheme === 'slh-dsa-sha2-128s') io.stderr.write('signing with SLH-DSA-SHA2-128s (a few seconds)…\n');
    return await guardedSign(guard, signer, hrs, message, io, json);
  } finally {
    record.seed.dispose();
    rng?.destroy();
  }
}

async function signWithHsm(label: string, guard: SigningGuard, hrs: Hrs, message: Uint8Array, io: CliIo, json: boolean): Promise<number> {
  const hsm = await openPkcs11FromEnv(io.env, cliLogger(io));
  try {
    const key = findSigningKey(hsm, { label });
    return await guardedSign(guard, key, hrs, message, io, json);
  } finally {
    await hsm.close();
  }
}

export const signCommand: Command = {
  name: 'sign',
  summary: 'sign a consensus message with a keystore or HSM-held key, under the double-sign guard',
  usage,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: {
        key: { type: 'string' },
        'passphrase-file': { type: 'string' },
        'hsm-key': { type: 'string' },
        guard: { type: 'string' },
        height: { type: 'string' },
        round: { type: 'string' },
        step: { type: 'string' },
        message: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: true,
    });
    if (positionals.length > 0) throw new CliUsageError(`unexpected argument '${positionals[0] ?? ''}'`);
    const hsmKey = values['hsm-key'];
    if (hsmKey !== undefined && (values.key !== undefined || values['passphrase-file'] !== undefined)) {
      throw new CliUsageError('--hsm-key cannot be combined with --key or --passphrase-file');
    }
    if (hsmKey === undefined && values.key === undefined) throw new CliUsageError('--key FILE or --hsm-key LABEL is required');
    if (hsmKey !== undefined && hsmKey.trim() === '') throw new CliUsageError('--hsm-key LABEL must not be empty');
    if (values.guard === undefined) throw new CliUsageError('--guard DIR is required');
    const hrs = {
      height: parseCount(values.height, '--height', 0, MAX),
      round: parseCount(values.round, '--round', 0, MAX),
      step: parseCount(values.step, '--step', 0, MAX),
    };
    const message = parseHex(values.message);
    // The guard refuses an empty payload too (tokens cannot sign one); say so as a usage error, before any key is opened.
    if (message.length === 0) throw new CliUsageError('--message must not be empty');
    const guard = await SigningGuard.open({ dir: values.guard });
    return hsmKey !== undefined
      ? signWithHsm(hsmKey, guard, hrs, message, io, values.json)
      : signWithKeystore(values.key as string, values['passphrase-file'], guard, hrs, message, io, values.json);
  },
};
