/**
 * `hrng sign`: sign one consensus message under the double-sign guard (consensus/guard), with either a
 * keystore key (--key, decrypted with its passphrase) or a key held in a PKCS#11 token (--hsm-key LABEL;
 * the token is configured by the HRNG_PKCS11_* environment variables of cli/pkcs11-options.ts, the PIN
 * never on the command line). Prints the signature in hex.
 *
 * The guard reads the position and the chain id from the signed bytes, never from flags. The bytes are
 * either given whole (`--in FILE`: hrng-sign/v1 or CometBFT canonical vote/proposal sign bytes) or built
 * here as an hrng-sign/v1 message (`--chain-id --height --round --step --body HEX|--body-file FILE`): the
 * flags then ENCODE the position into what is signed, so the signature is a signature over that
 * position and cannot be filed under another. A refusal exits with status 3 and one line saying why.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  cometbftProposalDecoder,
  cometbftVoteDecoder,
  encodeHrngSignBytes,
  hrngSignBytesDecoder,
  isGuardRefusal,
  parsePrivValidatorState,
  SigningGuard,
  type SignBytesDecoder,
} from '../../consensus/index.js';
import { readKeystore, Rng, schemeImpl, SoftwareSigner, type Signer } from '../../crypto/index.js';
import { findSigningKey } from '../../hsm/index.js';
import { CliUsageError, EXIT_OK, EXIT_REFUSED, type Command } from '../command.js';
import { parseCount } from '../format.js';
import type { CliIo } from '../io.js';
import { kdfProgress, readPassphrase } from '../passphrase.js';
import { PKCS11_ENV, openPkcs11FromEnv } from '../pkcs11-options.js';
import { cliLogger } from '../logger.js';

const usage = `usage: hrng sign (--key FILE [--passphrase-file FILE] | --hsm-key LABEL) --guard DIR MESSAGE [--init-guard] [--min-height H] [--json]
  MESSAGE is one of
    --in FILE                      ready sign bytes ('-' for stdin): hrng-sign/v1, or CometBFT canonical vote/proposal bytes
    --chain-id ID --height H --round R --step S (--body HEX | --body-file FILE)
                                   builds an hrng-sign/v1 message stating that position, and signs it

  --key              keystore file written by 'hrng keygen'
  --passphrase-file  file holding its passphrase; without it the passphrase is asked for at the terminal
  --hsm-key          label of a signing key in a PKCS#11 token ('hrng hsm keygen --label'), instead of
                     --key; the token comes from ${PKCS11_ENV.library}, ${PKCS11_ENV.token} and
                     ${PKCS11_ENV.pin} or ${PKCS11_ENV.pinFile}
  --guard            the double-sign guard's directory (keep it with the key)
  --chain-id         with --in: the only chain signed for (other chains are refused)
  --init-guard       allow a key with no history in DIR to start from nothing (first use only: a guard that
                     cannot find its history refuses, so that a mistyped or lost DIR does not reopen old heights)
  --min-height       never sign below this height (from the chain; catches a guard restored from a backup)
  --guard-from-state CometBFT's priv_validator_state.json: merged into the key's history before signing
                     (conservatively: it never lowers it), so a validator moving from FilePV starts there
  --take-over-lock   take over a guard lock held from another host, boot or container (only when that
                     signer is known to be gone: the guard cannot prove it)
  --json             print {"keyId","scheme","chainId","height","round","step","signBytes","signature"}
exit status 3: refused by the guard (a different message at the same position, a lower position, below
--min-height, another chain, bytes in no known format, or no history without --init-guard)`;

const MAX = Number.MAX_SAFE_INTEGER;

/** The formats `hrng sign` accepts. */
const SIGN_DECODERS: readonly SignBytesDecoder[] = [hrngSignBytesDecoder, cometbftVoteDecoder, cometbftProposalDecoder];

function parseHex(text: string, what: string): Uint8Array {
  const t = text.startsWith('0x') ? text.slice(2) : text;
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(t)) throw new CliUsageError(`${what} must be hex (an even number of 0-9a-f digits)`);
  return Uint8Array.from(Buffer.from(t, 'hex'));
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : Buffer.from(c as Uint8Array));
  return Uint8Array.from(Buffer.concat(chunks));
}

type Values = Record<string, string | boolean | undefined>;

/** The bytes to sign, from --in or built from the position flags. */
async function signBytesFrom(v: Values, io: CliIo): Promise<Uint8Array> {
  const built = ['height', 'round', 'step', 'body', 'body-file'].filter((k) => v[k] !== undefined);
  if (typeof v.in === 'string') {
    if (built.length > 0) throw new CliUsageError(`--in cannot be combined with --${built[0] ?? ''}`);
    const bytes = v.in === '-' ? await readAll(io.stdin) : Uint8Array.from(await readFile(v.in));
    if (bytes.length === 0) throw new CliUsageError('--in: the message must not be empty');
    return bytes;
  }
  if (v['chain-id'] === undefined) throw new CliUsageError('--in FILE, or --chain-id with --height/--round/--step and --body, is required');
  if (v.body !== undefined && v['body-file'] !== undefined) throw new CliUsageError('--body and --body-file cannot be combined');
  const hrs = {
    height: parseCount(v.height as string | undefined, '--height', 0, MAX),
    round: parseCount(v.round as string | undefined, '--round', 0, 0xffffffff),
    step: parseCount(v.step as string | undefined, '--step', 1, 255),
  };
  const body =
    typeof v.body === 'string'
      ? parseHex(v.body, '--body')
      : typeof v['body-file'] === 'string'
        ? Uint8Array.from(await readFile(v['body-file']))
        : undefined;
  if (body === undefined) throw new CliUsageError('--body HEX or --body-file FILE is required');
  const chainId = v['chain-id'] as string;
  if (!/^[\x21-\x7e]{1,64}$/.test(chainId)) throw new CliUsageError('--chain-id must be 1..64 printable ASCII characters');
  return encodeHrngSignBytes({ chainId, hrs, body });
}

/** Signs under the guard; a refusal becomes one line on stderr and exit status 3. */
async function guardedSign(
  { guard, signer, signBytes }: { guard: SigningGuard; signer: Signer; signBytes: Uint8Array },
  io: CliIo,
  { json }: { json: boolean },
): Promise<number> {
  try {
    const r = await guard.signDetailed(signer, signBytes);
    const signature = Buffer.from(r.signature).toString('hex');
    io.stdout.write(
      json
        ? JSON.stringify({
            keyId: signer.keyId,
            scheme: signer.scheme,
            chainId: r.chainId,
            ...r.hrs,
            signBytes: Buffer.from(signBytes).toString('hex'),
            signature,
          }) + '\n'
        : signature + '\n',
    );
    return EXIT_OK;
  } catch (err) {
    if (isGuardRefusal(err)) {
      io.stderr.write(`hrng sign: ${err.code}: ${err.message}\n`);
      return EXIT_REFUSED;
    }
    throw err;
  }
}

async function signWithKeystore(
  keyFile: string,
  passphraseFile: string | undefined,
  sign: (s: Signer) => Promise<number>,
  io: CliIo,
): Promise<number> {
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
    return await sign(signer);
  } finally {
    record.seed.dispose();
    rng?.destroy();
  }
}

async function signWithHsm(label: string, sign: (s: Signer) => Promise<number>, io: CliIo): Promise<number> {
  const hsm = await openPkcs11FromEnv(io.env, cliLogger(io));
  try {
    return await sign(findSigningKey(hsm, { label }));
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
        in: { type: 'string' },
        'chain-id': { type: 'string' },
        height: { type: 'string' },
        round: { type: 'string' },
        step: { type: 'string' },
        body: { type: 'string' },
        'body-file': { type: 'string' },
        'init-guard': { type: 'boolean', default: false },
        'min-height': { type: 'string' },
        'guard-from-state': { type: 'string' },
        'take-over-lock': { type: 'boolean', default: false },
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
    const minHeight = values['min-height'] === undefined ? undefined : parseCount(values['min-height'], '--min-height', 0, MAX);
    // The message is read and checked before any key is opened: a usage error costs no KDF and no PIN.
    const signBytes = await signBytesFrom(values, io);
    const guard = await SigningGuard.open({
      dir: values.guard,
      decoders: SIGN_DECODERS,
      init: values['init-guard'],
      takeOverForeignLock: values['take-over-lock'],
      ...(values['chain-id'] !== undefined ? { chainId: values['chain-id'] } : {}),
      ...(minHeight !== undefined ? { minHeight } : {}),
      logger: cliLogger(io),
    });
    const fromState = values['guard-from-state'] === undefined ? undefined : await readFile(values['guard-from-state'], 'utf8');
    const sign = async (s: Signer): Promise<number> => {
      if (fromState !== undefined) await guard.importWatermarks([parsePrivValidatorState(fromState, s.keyId)]);
      return guardedSign({ guard, signer: s, signBytes }, io, { json: values.json });
    };
    try {
      return hsmKey !== undefined
        ? await signWithHsm(hsmKey, sign, io)
        : await signWithKeystore(values.key as string, values['passphrase-file'], sign, io);
    } finally {
      await guard.close();
    }
  },
};
