/**
 * `hrng keygen` when the Rng cannot start (a failed health test, no source meeting the policy): it fails
 * closed with the typed error, writes no keystore, and the passphrase it already read is zeroed.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const seen: { passphrases: Uint8Array[] } = vi.hoisted(() => ({ passphrases: [] }));

vi.mock('../../../cli/passphrase.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../../cli/passphrase.js')>();
  return {
    ...orig,
    readPassphrase: async (...a: Parameters<typeof orig.readPassphrase>) => {
      const p = await orig.readPassphrase(...a);
      seen.passphrases.push(p);
      return p;
    },
  };
});

const { run } = await import('../../../cli/main.js');
const { Rng } = await import('../../../crypto/drbg/rng.js');
const { RngFailedError } = await import('../../../crypto/errors.js');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hrng-cli-keygen-fail-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('hrng keygen with a failed Rng', () => {
  it('exits 1 with the typed error, writes nothing, and zeroes the passphrase it read', async () => {
    const passFile = join(dir, 'pass');
    writeFileSync(passFile, 'validator passphrase\n');
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let e = '';
    stderr.on('data', (c: Buffer) => (e += c.toString('utf8')));
    const out = join(dir, 'keys');
    const create = vi.spyOn(Rng, 'create').mockRejectedValue(new RngFailedError('no healthy source meets the policy (test)'));
    const status = await run(['keygen', '--scheme', 'ed25519', '--out', out, '--passphrase-file', passFile], {
      stdout,
      stderr,
      stdin: new PassThrough(),
      env: {},
      interactive: false,
    });
    create.mockRestore();
    expect(status).toBe(1);
    expect(e).toMatch(/RNG_FAILED/);
    expect(readdirSync(out)).toEqual([]);
    expect(seen.passphrases).toHaveLength(1);
    const [p] = seen.passphrases;
    expect(p!.length).toBe('validator passphrase'.length);
    expect(p!.every((b) => b === 0)).toBe(true);
  });
});
