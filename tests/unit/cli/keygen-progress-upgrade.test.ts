/**
 * `hrng keygen` progress and warnings, and `hrng keys upgrade`:
 * - progress only on a terminal and without --quiet; none when piped;
 * - a passphrase file readable by group or others is warned about by default, --quiet or not;
 * - `keys upgrade` rewrites a version-1 keystore (written here independently with node:crypto, at the
 *   floor's scrypt N = 2^15) as version 2 in place.
 */
import { createCipheriv, createHash, randomBytes, scryptSync } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from '../../../cli/command.js';
import { run } from '../../../cli/main.js';
import { generateKey, keyIdOf, readKeystore } from '../../../crypto/keys/index.js';
import { makeIo } from './run-helper.js';

let dir: string;
let privateFile: string;
let exposedFile: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hrng-cli-progress-'));
  privateFile = join(dir, 'pass-private');
  exposedFile = join(dir, 'pass-exposed');
  writeFileSync(privateFile, 'pw\n', { mode: 0o600 });
  writeFileSync(exposedFile, 'pw\n');
  chmodSync(exposedFile, 0o644);
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const tty = (t: ReturnType<typeof makeIo>): void => {
  (t.io.stderr as NodeJS.WritableStream & { isTTY?: boolean }).isTTY = true;
};

describe('keygen progress and warnings', () => {
  it('on a terminal with --quiet: the warning about an exposed passphrase file, and no progress', async () => {
    const t = makeIo();
    tty(t);
    expect(await run(['keygen', '--scheme', 'ed25519', '--out', join(dir, 'q'), '--passphrase-file', exposedFile, '--quiet'], t.io)).toBe(
      EXIT_OK,
    );
    expect(t.err()).toBe(`hrng keygen: warning: passphrase file ${exposedFile} is readable by group or others (mode 0644); chmod 600 it\n`);
  });

  it('piped: the warning is still shown by default, and there is no progress', async () => {
    const t = makeIo();
    expect(await run(['keygen', '--scheme', 'ed25519', '--out', join(dir, 'p'), '--passphrase-file', exposedFile], t.io)).toBe(EXIT_OK);
    expect(t.err()).toContain('is readable by group or others');
    expect(t.err()).not.toContain('encrypting');
  });
});

/** A version-1 keystore as the v1 writer produced it (format in docs/keys.md), built with node:crypto. */
function writeV1(path: string, passphrase: string): { keyId: string; seedHex: string } {
  const key = generateKey('ed25519', { rng: { randomBytes: (n) => new Uint8Array(randomBytes(n)) } });
  const seed = key.seed.use((s) => Buffer.from(s));
  const publicKey = Buffer.from(key.publicKey).toString('hex');
  const salt = randomBytes(32);
  const iv = randomBytes(12);
  const dk = scryptSync(Buffer.from(passphrase), salt, 64, { N: 2 ** 15, r: 8, p: 1, maxmem: 2 ** 26 });
  const c = createCipheriv('aes-256-gcm', dk.subarray(0, 32), iv);
  c.setAAD(Buffer.from(['hrng-keystore', '1', 'ed25519', key.keyId, publicKey].join('\u0000')));
  const message = Buffer.concat([c.update(seed), c.final(), c.getAuthTag()]);
  const check = createHash('sha256').update(dk.subarray(32)).update('hrng-keystore passphrase check').digest('hex');
  const checksum = createHash('sha256').update(dk.subarray(32)).update(message).digest('hex');
  const json = {
    version: 1,
    id: '9f6b8a3e-2c1d-4e5f-8a7b-6c5d4e3f2a1b',
    keyId: key.keyId,
    scheme: 'ed25519',
    publicKey,
    createdAt: '2026-01-02T03:04:05.000Z',
    crypto: {
      kdf: { function: 'scrypt', params: { dklen: 64, n: 2 ** 15, r: 8, p: 1, salt: salt.toString('hex') }, message: '' },
      checksum: { function: 'sha256', params: { passphraseCheck: check }, message: checksum },
      cipher: { function: 'aes-256-gcm', params: { iv: iv.toString('hex') }, message: message.toString('hex') },
    },
  };
  writeFileSync(path, JSON.stringify(json, null, 2) + '\n', { mode: 0o600 });
  return { keyId: key.keyId, seedHex: seed.toString('hex') };
}

describe('hrng keys upgrade', () => {
  it('rewrites v1 as v2 (list shows v1 first and says to upgrade), keeps the key, and leaves v2 alone', async () => {
    const ks = join(dir, 'ks');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(ks);
    const file = join(ks, 'keystore-old.json');
    const { keyId, seedHex } = writeV1(file, 'pw');

    const l1 = makeIo();
    expect(await run(['keys', 'list', ks], l1.io)).toBe(EXIT_OK);
    expect(l1.out()).toMatch(new RegExp(`${keyId}\\s+ed25519\\s+v1\\s`));
    expect(l1.err()).toContain("run 'hrng keys upgrade FILE…'");

    const u = makeIo();
    expect(await run(['keys', 'upgrade', file, '--passphrase-file', privateFile], u.io)).toBe(EXIT_OK);
    expect(u.out()).toBe(`upgraded to v2  ${file}\n`);
    const after = JSON.parse(readFileSync(file, 'utf8')) as { version: number; id: string; createdAt: string };
    expect([after.version, after.id, after.createdAt]).toEqual([2, '9f6b8a3e-2c1d-4e5f-8a7b-6c5d4e3f2a1b', '2026-01-02T03:04:05.000Z']);
    const record = await readKeystore(file, new TextEncoder().encode('pw'));
    expect([record.keyId, record.seed.use((s) => Buffer.from(s).toString('hex'))]).toEqual([keyId, seedHex]);
    expect(keyIdOf('ed25519', record.publicKey)).toBe(keyId);

    const again = makeIo();
    expect(await run(['keys', 'upgrade', file, '--passphrase-file', privateFile, '--json'], again.io)).toBe(EXIT_OK);
    expect(JSON.parse(again.out())).toEqual([{ path: file, outcome: 'already-current' }]);
  });

  it('a wrong passphrase or a missing file is reported per file with exit 1; no FILE is a usage error', async () => {
    const file = join(dir, 'keystore-wrong.json');
    writeV1(file, 'another passphrase');
    const before = readFileSync(file, 'utf8');
    const t = makeIo();
    expect(await run(['keys', 'upgrade', file, join(dir, 'missing.json'), '--passphrase-file', privateFile, '--json'], t.io)).toBe(
      EXIT_FAILED,
    );
    expect(JSON.parse(t.out())).toEqual([
      { path: file, error: 'KEYSTORE_WRONG_PASSPHRASE' },
      { path: join(dir, 'missing.json'), error: 'ENOENT' },
    ]);
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(await run(['keys', 'upgrade', '--passphrase-file', privateFile], makeIo().io)).toBe(EXIT_USAGE);
  });
});
