/**
 * `hrng keygen` and `hrng keys list`, in-process through cli/main.ts run(argv, io) with PassThrough
 * streams. Keygen uses the real Rng and the default scrypt parameters (N = 2^18: ~1.6 s per keystore).
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from '../../../cli/command.js';
import { run } from '../../../cli/main.js';
import { readKeystore } from '../../../crypto/keys/keystore.js';
import { keyIdOf } from '../../../crypto/keys/key-id.js';
import { makeIo } from './run-helper.js';

let dir: string;
let passFile: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hrng-cli-keygen-'));
  passFile = join(dir, 'pass');
  writeFileSync(passFile, 'validator passphrase\n', { mode: 0o600 });
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('hrng keygen', () => {
  it('ed25519 --json: writes one keystore that decrypts with the file passphrase (trailing newline ignored)', async () => {
    const out = join(dir, 'ed');
    const t = makeIo();
    const status = await run(['keygen', '--scheme', 'ed25519', '--out', out, '--passphrase-file', passFile, '--json'], t.io);
    // Piped stderr (not a terminal): no progress, no warning (the passphrase file is 0600).
    expect([status, t.err()]).toEqual([EXIT_OK, '']);
    const printed = JSON.parse(t.out()) as { path: string; scheme: string; keyId: string; publicKey: string };
    expect(Object.keys(printed)).toEqual(['path', 'scheme', 'keyId', 'publicKey']);
    expect(printed.scheme).toBe('ed25519');
    expect(printed.publicKey).toMatch(/^[0-9a-f]{64}$/);
    expect(printed.keyId).toBe(keyIdOf('ed25519', Uint8Array.from(Buffer.from(printed.publicKey, 'hex'))));
    expect(readdirSync(out)).toEqual([`keystore-${printed.keyId}.json`]);
    const record = await readKeystore(printed.path, new TextEncoder().encode('validator passphrase'));
    expect(Buffer.from(record.publicKey).toString('hex')).toBe(printed.publicKey);
    expect(t.out()).not.toContain('validator passphrase');
    expect(t.err()).not.toContain('validator passphrase');
  });

  it('ml-dsa-65 with argon2id, plain output: path then public key', async () => {
    const out = join(dir, 'ml');
    const t = makeIo();
    expect(await run(['keygen', '--scheme', 'ml-dsa-65', '--out', out, '--passphrase-file', passFile, '--kdf', 'argon2id'], t.io)).toBe(
      EXIT_OK,
    );
    const [path, publicKey, ...rest] = t.out().split('\n');
    expect(rest).toEqual(['']);
    expect(path).toMatch(/keystore-[0-9a-f]{32}\.json$/);
    expect(publicKey).toMatch(/^[0-9a-f]{3904}$/);
  });

  it('slh-dsa via an interactive prompt (asked twice, no echo) shows progress on a terminal', async () => {
    const out = join(dir, 'slh');
    const t = makeIo({ interactive: true, stdin: 'typed secret\ntyped secret\n' });
    (t.io.stderr as NodeJS.WritableStream & { isTTY?: boolean }).isTTY = true;
    expect(await run(['keygen', '--scheme', 'slh-dsa', '--out', out, '--json'], t.io)).toBe(EXIT_OK);
    const printed = JSON.parse(t.out()) as { scheme: string; publicKey: string; path: string };
    expect(printed.scheme).toBe('slh-dsa-sha2-128s');
    expect(printed.publicKey).toMatch(/^[0-9a-f]{64}$/);
    expect(t.err()).toContain('passphrase: ');
    expect(t.err()).toContain('passphrase (again): ');
    expect(t.err()).toContain('generating an SLH-DSA-SHA2-128s key');
    expect(t.err()).toContain('encrypting (scrypt): 100%');
    expect(t.err()).not.toContain('typed secret');
  });

  it('usage errors: no passphrase source, mismatched confirmation, bad scheme, passphrase as an argument', async () => {
    const cases: Array<[string[], { interactive?: boolean; stdin?: string }]> = [
      [['keygen', '--scheme', 'ed25519', '--out', join(dir, 'x')], {}],
      [['keygen', '--scheme', 'ed25519', '--out', join(dir, 'x')], { interactive: true, stdin: 'one\ntwo\n' }],
      [['keygen', '--scheme', 'rsa', '--out', join(dir, 'x'), '--passphrase-file', passFile], {}],
      [['keygen', '--scheme', 'ed25519', '--out', join(dir, 'x'), '--passphrase', 'secret'], {}],
      [['keygen', '--scheme', 'ed25519', '--out', join(dir, 'x'), '--passphrase-file', passFile, '--kdf', 'pbkdf2'], {}],
    ];
    for (const [argv, o] of cases) {
      const t = makeIo(o);
      expect([argv.join(' '), await run(argv, t.io)]).toEqual([argv.join(' '), EXIT_USAGE]);
      // The interactive case prompts on stderr first; the error itself is the one last line.
      expect(t.err()).toMatch(/(^|\n)hrng keygen: [^\n]+ \(see 'hrng help keygen'\)\n$/);
      expect(t.err()).not.toContain('secret');
    }
    expect(readdirSync(join(dir, 'x'))).toEqual([]);
  });
});

describe('hrng keys list', () => {
  it('lists keystores from their headers, and flags a damaged file with its error code (exit 1)', async () => {
    const t = makeIo();
    expect(await run(['keys', 'list', join(dir, 'ed'), '--json'], t.io)).toBe(EXIT_OK);
    const entries = JSON.parse(t.out()) as Array<{ scheme: string; keyId: string; kdf: string }>;
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ scheme: 'ed25519', kdf: 'scrypt N=262144 r=8 p=1' });

    const t2 = makeIo();
    expect(await run(['keys', 'list', join(dir, 'ml')], t2.io)).toBe(EXIT_OK);
    expect(t2.out()).toMatch(
      /^key id\s+scheme\s+format\s+created\s+kdf\s+path\n[0-9a-f]{32}\s+ml-dsa-65\s+v2\s+\S+Z\s+argon2id m=65536KiB t=3 p=4\s+\S+\.json\n$/,
    );

    writeFileSync(join(dir, 'ed', 'broken.json'), '{"version": 1, "crypto": {');
    const t3 = makeIo();
    expect(await run(['keys', 'list', join(dir, 'ed')], t3.io)).toBe(EXIT_FAILED);
    expect(t3.out()).toContain('error: KEYSTORE_TRUNCATED');

    const t4 = makeIo();
    expect(await run(['keys', 'show', dir], t4.io)).toBe(EXIT_USAGE);
  });
});
