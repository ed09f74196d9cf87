/**
 * `hrng signer import-key|export-key` and `hrng signer run`'s argument checks, in-process (the running
 * service is tested as a real process in tests/integration/signer/signer-tcp.test.ts).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from '../../../cli/command.js';
import { run } from '../../../cli/main.js';
import { generateKey } from '../../../crypto/keys/generate.js';
import { writeKeystore } from '../../../crypto/keys/keystore.js';
import { formatPrivValidatorKey } from '../../../signer/index.js';
import { makeIo } from '../cli/run-helper.js';
import { streamRandom } from '../keys/helpers.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hrng-signer-cli-'));
  writeFileSync(join(dir, 'pass'), 'a passphrase\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function hrng(argv: string[]): Promise<{ status: number; out: string; err: string }> {
  const t = makeIo();
  const status = await run(argv, t.io);
  return { status, out: t.out(), err: t.err() };
}

describe('hrng signer import-key / export-key', () => {
  it('moves priv_validator_key.json into the keystore and back out, byte for byte, 0600, never over a file', async () => {
    mkdirSync(join(dir, 'cheap'));
    const record = generateKey('ed25519', { rng: streamRandom(21) });
    const original = formatPrivValidatorKey(record);
    writeFileSync(join(dir, 'priv_validator_key.json'), original);
    const im = await hrng([
      'signer',
      'import-key',
      '--in',
      join(dir, 'priv_validator_key.json'),
      '--out',
      join(dir, 'keys'),
      '--passphrase-file',
      join(dir, 'pass'),
    ]);
    expect(im.status).toBe(EXIT_OK);
    const { path, keyId } = JSON.parse(im.out) as { path: string; keyId: string };
    expect(keyId).toBe(record.keyId);
    expect(readFileSync(path, 'utf8')).not.toContain(JSON.parse(original).priv_key.value);
    // Export from a keystore of the same key written with cheap scrypt parameters (import-key uses the
    // default, N = 2^18: one run of it is enough here).
    const cheap = await writeKeystore(join(dir, 'cheap'), record, new TextEncoder().encode('a passphrase'), {
      rng: streamRandom(22),
      kdf: { function: 'scrypt', n: 2 ** 15, r: 8, p: 1 },
    });
    const out = join(dir, 'exported.json');
    expect((await hrng(['signer', 'export-key', '--key', cheap, '--passphrase-file', join(dir, 'pass'), '--out', out])).status).toBe(
      EXIT_OK,
    );
    expect(readFileSync(out, 'utf8')).toBe(original);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const again = await hrng(['signer', 'export-key', '--key', cheap, '--passphrase-file', join(dir, 'pass'), '--out', out]);
    expect([again.status, /FS_EXISTS/.test(again.err)]).toEqual([EXIT_FAILED, true]);
    expect(
      (await hrng(['signer', 'export-key', '--key', cheap, '--passphrase-file', join(dir, 'pass'), '--out', out, '--force'])).status,
    ).toBe(EXIT_OK);
    writeFileSync(join(dir, 'bad.json'), original.replace('PubKeyEd25519', 'PubKeySecp256k1'));
    const bad = await hrng([
      'signer',
      'import-key',
      '--in',
      join(dir, 'bad.json'),
      '--out',
      join(dir, 'keys2'),
      '--passphrase-file',
      join(dir, 'pass'),
    ]);
    expect([bad.status, /SIGNER_KEY_FILE_MALFORMED/.test(bad.err), existsSync(join(dir, 'keys2'))]).toEqual([EXIT_FAILED, true, false]);
  });

  it('run refuses incomplete or unsafe configurations before opening anything', async () => {
    const base = [
      'signer',
      'run',
      '--node',
      'tcp://127.0.0.1:26659',
      '--chain-id',
      'c',
      '--key',
      join(dir, 'k.json'),
      '--guard',
      join(dir, 'g'),
    ];
    const cases: string[][] = [
      ['signer', 'run', '--chain-id', 'c'],
      base.filter((a) => a !== '--chain-id' && a !== 'c'),
      [...base, '--hsm-key', 'x'],
      [...base, '--guard-pg'],
      [...base.slice(0, 4), 'http://x:1', ...base.slice(5)],
      [...base, '--metrics', '0.0.0.0:9100'],
      [...base, '--node-key', 'abcd'],
      ['signer', 'frobnicate'],
    ];
    for (const argv of cases) {
      const r = await hrng(argv);
      expect([argv.join(' '), r.status === EXIT_USAGE || /SIGNER_CONFIG_INVALID/.test(r.err)]).toEqual([argv.join(' '), true]);
    }
    expect(existsSync(join(dir, 'g'))).toBe(false);
  });

  it("run refuses PostgreSQL time limits that are misplaced, out of range or don't leave the lock wait room, naming the flag", async () => {
    const base = ['signer', 'run', '--node', 'tcp://127.0.0.1:26659', '--chain-id', 'c', '--key', join(dir, 'k.json')];
    const cases: [string[], RegExp][] = [
      [[...base, '--guard', join(dir, 'g'), '--guard-pg-lock-timeout', '300'], /apply only with --guard-pg/],
      [[...base, '--guard', join(dir, 'g'), '--guard-pg-query-timeout', '300'], /apply only with --guard-pg/],
      [[...base, '--guard-pg', '--guard-pg-lock-timeout', '0'], /--guard-pg-lock-timeout must be from 1 to 599999, got 0/],
      [[...base, '--guard-pg', '--guard-pg-lock-timeout', '2s'], /--guard-pg-lock-timeout must be a whole number/],
      [
        [...base, '--guard-pg', '--guard-pg-lock-timeout', '3000', '--guard-pg-query-timeout', '3000'],
        /--guard-pg-query-timeout \(more than the lock timeout, 3000\) must be from 3001 to 600000, got 3000/,
      ],
      // The default lock wait is 2000 ms: a query limit under it is refused too.
      [[...base, '--guard-pg', '--guard-pg-query-timeout', '1500'], /must be from 2001 to 600000, got 1500/],
    ];
    for (const [argv, message] of cases) {
      const r = await hrng(argv);
      expect([argv.join(' '), r.status, message.test(r.err)]).toEqual([argv.join(' '), EXIT_USAGE, true]);
    }
    expect(existsSync(join(dir, 'g'))).toBe(false);
  });
});
