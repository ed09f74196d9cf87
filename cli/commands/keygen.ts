/**
 * `hrng keygen`: draw a validator key from the health-tested Rng and write it as an encrypted keystore
 * (crypto/keys/keystore.ts). Prints the keystore's path and the public key, or JSON with --json.
 *
 * Progress (the KDF's, SLH-DSA's slow keygen) goes to stderr only when stderr is a terminal and --quiet
 * is not given; piped output carries none. Warnings that protect the operator (a passphrase file others
 * can read) are always shown.
 */
import { mkdir } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ARGON2ID_RECOMMENDED, DEFAULT_KDF, generateKey, Rng, writeKeystore, type SoftwareScheme } from '../../crypto/index.js';
import { CliUsageError, EXIT_OK, type Command } from '../command.js';
import { warnIfExposed } from '../file-permissions.js';
import type { CliIo } from '../io.js';
import { kdfProgress, readPassphrase } from '../passphrase.js';
import { showsProgress } from '../progress.js';
import { cliLogger } from '../logger.js';

const SCHEMES: Readonly<Record<string, SoftwareScheme>> = {
  ed25519: 'ed25519',
  'ml-dsa-65': 'ml-dsa-65',
  'slh-dsa': 'slh-dsa-sha2-128s',
  'slh-dsa-sha2-128s': 'slh-dsa-sha2-128s',
};

const usage = `usage: hrng keygen --scheme ed25519|ml-dsa-65|slh-dsa --out DIR [--passphrase-file FILE] [--kdf scrypt|argon2id] [--quiet] [--json]

  --scheme           ed25519 (RFC 8032), ml-dsa-65 (FIPS 204) or slh-dsa (SLH-DSA-SHA2-128s, FIPS 205)
  --out              directory for the keystore file keystore-<keyId>.json (created if missing)
  --passphrase-file  file holding the passphrase (one trailing newline ignored); without it the
                     passphrase is asked for twice at the terminal, without echo
  --kdf              scrypt (default: N=2^18, r=8, p=1, as EIP-2335) or argon2id (m=64 MiB, t=3, p=4, RFC 9106 §4)
  --quiet            no progress on stderr (warnings are still shown)
  --json             print {"path","scheme","keyId","publicKey"}`;

export const keygenCommand: Command = {
  name: 'keygen',
  summary: 'generate a validator key into an encrypted keystore',
  usage,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: {
        scheme: { type: 'string' },
        out: { type: 'string' },
        'passphrase-file': { type: 'string' },
        kdf: { type: 'string' },
        quiet: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: true,
    });
    if (positionals.length > 0) throw new CliUsageError(`unexpected argument '${positionals[0] ?? ''}'`);
    const scheme = SCHEMES[values.scheme ?? ''];
    if (scheme === undefined) throw new CliUsageError(`--scheme must be ed25519, ml-dsa-65 or slh-dsa (got '${values.scheme ?? ''}')`);
    if (values.out === undefined) throw new CliUsageError('--out DIR is required');
    const kdfName = values.kdf ?? 'scrypt';
    if (kdfName !== 'scrypt' && kdfName !== 'argon2id') throw new CliUsageError(`--kdf must be scrypt or argon2id (got '${kdfName}')`);
    const kdf = kdfName === 'scrypt' ? DEFAULT_KDF : ARGON2ID_RECOMMENDED;
    const progress = showsProgress(values.quiet ? { ...io, progress: false } : io);
    await mkdir(values.out, { recursive: true, mode: 0o700 });

    const passphraseFile = values['passphrase-file'];
    if (passphraseFile !== undefined) warnIfExposed(io, 'keygen', passphraseFile, 'passphrase file');
    const passphrase = await readPassphrase(io, { file: passphraseFile, confirm: true });
    let rng: Rng | undefined;
    try {
      rng = await Rng.create({ logger: cliLogger(io) });
      if (progress && scheme === 'slh-dsa-sha2-128s') io.stderr.write('generating an SLH-DSA-SHA2-128s key (about a second)…\n');
      const key = generateKey(scheme, { rng });
      try {
        const path = await writeKeystore(values.out, key, passphrase, {
          rng,
          kdf,
          ...(progress ? { onProgress: kdfProgress(io, `encrypting (${kdfName})`) } : {}),
        });
        const publicKey = Buffer.from(key.publicKey).toString('hex');
        if (values.json) {
          io.stdout.write(JSON.stringify({ path, scheme, keyId: key.keyId, publicKey }) + '\n');
        } else {
          io.stdout.write(`${path}\n${publicKey}\n`);
        }
      } finally {
        key.seed.dispose();
      }
    } finally {
      // Also when the Rng cannot start (fail closed): the passphrase never outlives the command.
      passphrase.fill(0);
      rng?.destroy();
    }
    return EXIT_OK;
  },
};
