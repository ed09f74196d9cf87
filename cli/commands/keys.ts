/**
 * `hrng keys list DIR`: the keystores in a directory, read from their public headers only (no passphrase
 * asked, nothing decrypted). A file that is not a readable keystore is listed with its error code and
 * makes the command exit 1.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isAtomicTempName } from '../../crypto/fs/index.js';
import { inspectKeystore } from '../../crypto/keys/keystore.js';
import { HardenedRngError } from '../../crypto/errors.js';
import { CliUsageError, EXIT_FAILED, EXIT_OK, type Command } from '../command.js';
import { table } from '../format.js';
import type { CliIo } from '../io.js';

const usage = `usage: hrng keys list DIR [--json]

  lists the keystore files (*.json) in DIR: key id, scheme, creation time, KDF and path`;

interface Entry {
  path: string;
  keyId?: string;
  scheme?: string;
  createdAt?: string;
  kdf?: string;
  publicKey?: string;
  error?: string;
}

export const keysCommand: Command = {
  name: 'keys',
  summary: 'list the keystores in a directory',
  usage,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({ args: [...args], options: { json: { type: 'boolean', default: false } }, strict: true, allowPositionals: true });
    const [sub, dir, ...extra] = positionals;
    if (sub !== 'list') throw new CliUsageError(`unknown subcommand '${sub ?? ''}' (expected 'list')`);
    if (dir === undefined) throw new CliUsageError('DIR is required');
    if (extra.length > 0) throw new CliUsageError(`unexpected argument '${extra[0] ?? ''}'`);
    const names = (await readdir(dir)).filter((n) => n.endsWith('.json') && !isAtomicTempName(n)).sort();
    const entries: Entry[] = [];
    for (const name of names) {
      const path = join(dir, name);
      try {
        const s = inspectKeystore(new Uint8Array(await readFile(path)));
        const kdf = s.kdf.function === 'scrypt' ? `scrypt N=${s.kdf.n} r=${s.kdf.r} p=${s.kdf.p}` : `argon2id m=${s.kdf.m}KiB t=${s.kdf.t} p=${s.kdf.p}`;
        entries.push({ path, keyId: s.keyId, scheme: s.scheme, createdAt: new Date(s.createdAt).toISOString(), kdf, publicKey: Buffer.from(s.publicKey).toString('hex') });
      } catch (err) {
        if (!(err instanceof HardenedRngError)) throw err;
        entries.push({ path, error: err.code });
      }
    }
    if (values.json) {
      io.stdout.write(JSON.stringify(entries) + '\n');
    } else if (entries.length === 0) {
      io.stdout.write(`no keystores in ${dir}\n`);
    } else {
      const rows = [['key id', 'scheme', 'created', 'kdf', 'path']];
      for (const e of entries) rows.push(e.error ? ['-', `error: ${e.error}`, '-', '-', e.path] : [e.keyId ?? '', e.scheme ?? '', e.createdAt ?? '', e.kdf ?? '', e.path]);
      io.stdout.write(table(rows) + '\n');
    }
    return entries.some((e) => e.error !== undefined) ? EXIT_FAILED : EXIT_OK;
  },
};
