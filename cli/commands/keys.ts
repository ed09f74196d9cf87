/**
 * `hrng keys list DIR`: the keystores in a directory, read from their public headers only (no passphrase
 * asked, nothing decrypted). A file that is not a readable keystore is listed with its error code and
 * makes the command exit 1.
 *
 * `hrng keys upgrade FILE…`: rewrites version-1 keystores as version 2 (every header field authenticated,
 * see docs/keys.md), each atomically: the old file stays intact until the new one is renamed over it.
 * Version-2 files are left as they are. One passphrase for all the files named.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { HardenedRngError } from '../../crypto/errors.js';
import { isAtomicTempName } from '../../crypto/fs/index.js';
import { inspectKeystore, Rng, upgradeKeystoreFile, type UpgradeOutcome } from '../../crypto/index.js';
import { CliUsageError, EXIT_FAILED, EXIT_OK, type Command } from '../command.js';
import { warnIfExposed } from '../file-permissions.js';
import { table } from '../format.js';
import type { CliIo } from '../io.js';
import { cliLogger } from '../logger.js';
import { readPassphrase } from '../passphrase.js';

const usage = `usage: hrng keys list DIR [--json]
       hrng keys upgrade FILE... [--passphrase-file FILE] [--json]

  list     the keystore files (*.json) in DIR: key id, scheme, format version, creation time, KDF, path
  upgrade  rewrite version-1 keystores as version 2 in place, atomically (needs the passphrase)`;

interface Entry {
  path: string;
  keyId?: string;
  scheme?: string;
  version?: number;
  createdAt?: string;
  kdf?: string;
  publicKey?: string;
  error?: string;
}

async function list(dir: string, json: boolean, io: CliIo): Promise<number> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.json') && !isAtomicTempName(n)).sort();
  const entries: Entry[] = [];
  for (const name of names) {
    const path = join(dir, name);
    try {
      const s = inspectKeystore(new Uint8Array(await readFile(path)));
      const kdf =
        s.kdf.function === 'scrypt'
          ? `scrypt N=${s.kdf.n} r=${s.kdf.r} p=${s.kdf.p}`
          : `argon2id m=${s.kdf.m}KiB t=${s.kdf.t} p=${s.kdf.p}`;
      entries.push({
        path,
        keyId: s.keyId,
        scheme: s.scheme,
        version: s.version,
        createdAt: new Date(s.createdAt).toISOString(),
        kdf,
        publicKey: Buffer.from(s.publicKey).toString('hex'),
      });
    } catch (err) {
      if (!(err instanceof HardenedRngError)) throw err;
      entries.push({ path, error: err.code });
    }
  }
  if (json) {
    io.stdout.write(JSON.stringify(entries) + '\n');
  } else if (entries.length === 0) {
    io.stdout.write(`no keystores in ${dir}\n`);
  } else {
    const rows = [['key id', 'scheme', 'format', 'created', 'kdf', 'path']];
    for (const e of entries) {
      rows.push(
        e.error
          ? ['-', `error: ${e.error}`, '-', '-', '-', e.path]
          : [e.keyId ?? '', e.scheme ?? '', `v${e.version ?? '?'}`, e.createdAt ?? '', e.kdf ?? '', e.path],
      );
    }
    io.stdout.write(table(rows) + '\n');
    if (entries.some((e) => e.version === 1))
      io.stderr.write("hrng keys: version-1 keystores do not authenticate all header fields; run 'hrng keys upgrade FILE…'\n");
  }
  return entries.some((e) => e.error !== undefined) ? EXIT_FAILED : EXIT_OK;
}

async function upgrade(files: readonly string[], opts: { json: boolean; passphraseFile: string | undefined }, io: CliIo): Promise<number> {
  if (files.length === 0) throw new CliUsageError('upgrade needs at least one FILE');
  if (opts.passphraseFile !== undefined) warnIfExposed(io, 'keys', opts.passphraseFile, 'passphrase file');
  const passphrase = await readPassphrase(io, { file: opts.passphraseFile });
  const results: { path: string; outcome?: UpgradeOutcome; error?: string }[] = [];
  let rng: Rng | undefined;
  try {
    rng = await Rng.create({ logger: cliLogger(io) });
    for (const path of files) {
      try {
        results.push({ path, outcome: await upgradeKeystoreFile(path, passphrase, { rng }) });
      } catch (err) {
        if (!(err instanceof HardenedRngError)) {
          const code = (err as { code?: unknown }).code;
          results.push({ path, error: typeof code === 'string' ? code : 'READ_FAILED' });
        } else {
          results.push({ path, error: err.code });
        }
      }
    }
  } finally {
    passphrase.fill(0);
    rng?.destroy();
  }
  if (opts.json) io.stdout.write(JSON.stringify(results) + '\n');
  else
    for (const r of results)
      io.stdout.write(`${r.error ? `error: ${r.error}` : r.outcome === 'upgraded' ? 'upgraded to v2' : 'already v2'}  ${r.path}\n`);
  return results.some((r) => r.error !== undefined) ? EXIT_FAILED : EXIT_OK;
}

export const keysCommand: Command = {
  name: 'keys',
  summary: 'list the keystores in a directory; upgrade version-1 keystores',
  usage,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { json: { type: 'boolean', default: false }, 'passphrase-file': { type: 'string' } },
      strict: true,
      allowPositionals: true,
    });
    const [sub, ...rest] = positionals;
    if (sub === 'list') {
      if (values['passphrase-file'] !== undefined) throw new CliUsageError('list reads public headers only; it takes no --passphrase-file');
      const [dir, ...extra] = rest;
      if (dir === undefined) throw new CliUsageError('DIR is required');
      if (extra.length > 0) throw new CliUsageError(`unexpected argument '${extra[0] ?? ''}'`);
      return list(dir, values.json, io);
    }
    if (sub === 'upgrade') return upgrade(rest, { json: values.json, passphraseFile: values['passphrase-file'] }, io);
    throw new CliUsageError(`unknown subcommand '${sub ?? ''}' (expected 'list' or 'upgrade')`);
  },
};
