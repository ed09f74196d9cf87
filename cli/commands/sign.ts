/**
 * `hrng sign`: sign one consensus message at a height/round/step with a keystore key, under the
 * double-sign guard (consensus/guard). Prints the signature in hex. A refusal by the guard exits with
 * status 3 and one line saying why; nothing is signed then.
 */
import { parseArgs } from 'node:util';
import { SigningGuard } from '../../consensus/guard/signing-guard.js';
import { GuardDoubleSignError, GuardRegressionError } from '../../consensus/guard/guard-errors.js';
import { Rng } from '../../crypto/drbg/rng.js';
import { readKeystore } from '../../crypto/keys/keystore.js';
import { schemeImpl } from '../../crypto/keys/schemes.js';
import { SoftwareSigner } from '../../crypto/keys/software-signer.js';
import { CliUsageError, EXIT_OK, EXIT_REFUSED, type Command } from '../command.js';
import { parseCount } from '../format.js';
import type { CliIo } from '../io.js';
import { kdfProgress, readPassphrase } from '../passphrase.js';

const usage = `usage: hrng sign --key FILE [--passphrase-file FILE] --guard DIR --height H --round R --step S --message HEX

  --key              keystore file written by 'hrng keygen'
  --passphrase-file  file holding its passphrase; without it the passphrase is asked for at the terminal
  --guard            the double-sign guard's directory (created if missing; keep it with the key)
  --height/--round/--step   the consensus position of the message
  --message          the bytes to sign, in hex
exit status 3: refused by the guard (a different message at the same position, or a lower position)`;

const MAX = Number.MAX_SAFE_INTEGER;

function parseHex(text: string | undefined): Uint8Array {
  if (text === undefined) throw new CliUsageError('--message HEX is required');
  const t = text.startsWith('0x') ? text.slice(2) : text;
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(t)) throw new CliUsageError('--message must be hex (an even number of 0-9a-f digits)');
  return Uint8Array.from(Buffer.from(t, 'hex'));
}

export const signCommand: Command = {
  name: 'sign',
  summary: 'sign a consensus message with a keystore key, under the double-sign guard',
  usage,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: {
        key: { type: 'string' },
        'passphrase-file': { type: 'string' },
        guard: { type: 'string' },
        height: { type: 'string' },
        round: { type: 'string' },
        step: { type: 'string' },
        message: { type: 'string' },
      },
      strict: true,
      allowPositionals: true,
    });
    if (positionals.length > 0) throw new CliUsageError(`unexpected argument '${positionals[0] ?? ''}'`);
    if (values.key === undefined) throw new CliUsageError('--key FILE is required');
    if (values.guard === undefined) throw new CliUsageError('--guard DIR is required');
    const hrs = {
      height: parseCount(values.height, '--height', 0, MAX),
      round: parseCount(values.round, '--round', 0, MAX),
      step: parseCount(values.step, '--step', 0, MAX),
    };
    const message = parseHex(values.message);
    const guard = await SigningGuard.open({ dir: values.guard });

    const passphrase = await readPassphrase(io, { file: values['passphrase-file'] });
    let record;
    try {
      record = await readKeystore(values.key, passphrase, { onProgress: kdfProgress(io, 'decrypting keystore') });
    } finally {
      passphrase.fill(0);
    }
    // Only the hedged schemes draw signing randomness; Ed25519 signing is deterministic (RFC 8032 §5.1.6).
    const rng = schemeImpl(record.scheme).signRandLength > 0 ? await Rng.create() : undefined;
    try {
      using signer = SoftwareSigner.fromRecord(record, rng ? { rng } : {});
      record.seed.dispose();
      if (record.scheme === 'slh-dsa-sha2-128s') io.stderr.write('signing with SLH-DSA-SHA2-128s (a few seconds)…\n');
      const signature = await guard.sign(signer, hrs, message);
      io.stdout.write(Buffer.from(signature).toString('hex') + '\n');
      return EXIT_OK;
    } catch (err) {
      if (err instanceof GuardDoubleSignError || err instanceof GuardRegressionError) {
        io.stderr.write(`hrng sign: ${err.code}: ${err.message}\n`);
        return EXIT_REFUSED;
      }
      throw err;
    } finally {
      record.seed.dispose();
      rng?.destroy();
    }
  },
};
