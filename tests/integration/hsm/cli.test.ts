/**
 * `hrng hsm info|list|keygen|sign` and `hrng status --source pkcs11`, run in-process against the SoftHSM2
 * token, configured only through HRNG_PKCS11_* variables. Also: a wrong PIN through the CLI exits 1 with
 * the typed error, and neither PIN appears in anything the command printed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ed from '@noble/ed25519';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadedLibraries } from '../../../hsm/library.js';
import { fromHex, hrng, softhsmCliEnv, type Ran } from '../helpers/cli.js';
import { pinOf, requireTokenOnCi, softhsm, suiteTitle, uniqueLabel } from '../helpers/tokens.js';

requireTokenOnCi(softhsm, 'SoftHSM2');

describe.skipIf(!softhsm.up)(suiteTitle(softhsm, 'hrng hsm … against SoftHSM2'), () => {
  if (!softhsm.up) return;
  const token = softhsm.token;
  const env = softhsmCliEnv(token);
  let scratch: string;
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'hrng-cli-test-'));
  });
  afterAll(() => {
    rmSync(scratch, { recursive: true, force: true });
  });
  const noPin = (r: Ran): void => {
    expect(r.stdout).not.toContain(pinOf(token));
    expect(r.stderr).not.toContain(pinOf(token));
  };

  it('hrng hsm info lists the token, its Ed25519 support and the mechanisms, without a PIN', async () => {
    const r = await hrng(['hsm', 'info'], { HRNG_PKCS11_LIBRARY: token.module, SOFTHSM2_CONF: env.SOFTHSM2_CONF });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`'${token.label}'`);
    expect(r.stdout).toMatch(/Ed25519\s+supported/);
    expect(r.stdout).toContain('CKM_EDDSA');
    expect(r.stdout).toMatch(/key wrap\s+RFC 3394\n/);
    const j = await hrng(['hsm', 'info', '--json'], { HRNG_PKCS11_LIBRARY: token.module, SOFTHSM2_CONF: env.SOFTHSM2_CONF });
    const inv = JSON.parse(j.stdout) as { tokens: { label: string; signing: string }[] };
    expect(inv.tokens.find((t) => t.label === token.label)?.signing).toBe('ed25519');
  });

  it('hrng hsm keygen then hrng hsm sign: the signature verifies under the printed public key', async () => {
    const label = uniqueLabel('cli');
    const k = await hrng(['hsm', 'keygen', '--label', label, '--json'], env);
    expect(k.stderr).toBe('');
    expect(k.code).toBe(0);
    const key = JSON.parse(k.stdout) as { scheme: string; fallback: boolean; publicKey: string; keyId: string };
    expect(key.scheme).toBe('ed25519');
    expect(key.fallback).toBe(false);
    expect(key.publicKey).toMatch(/^[0-9a-f]{64}$/);
    const s = await hrng(['hsm', 'sign', '--label', label, 'deadbeef'], env);
    expect(s.code).toBe(0);
    expect(s.stderr).toBe(
      `hrng hsm sign: signed WITHOUT the double-sign guard; for consensus votes use 'hrng sign --hsm-key ${label} --guard DIR'\n`,
    );
    expect(s.stdout).toMatch(/^[0-9a-f]{128}\n$/);
    expect(await ed.verifyAsync(fromHex(s.stdout.trim()), fromHex('deadbeef'), fromHex(key.publicKey))).toBe(true);
    const t = await hrng(['hsm', 'sign', '--label', label, '--text', 'hello'], env);
    expect(await ed.verifyAsync(fromHex(t.stdout.trim()), new TextEncoder().encode('hello'), fromHex(key.publicKey))).toBe(true);
    const l = await hrng(['hsm', 'list'], env);
    expect(l.stdout.split('\n').filter((line) => line.startsWith(label)).length).toBe(2);
    for (const r of [k, s, t, l]) noPin(r);
    // Every command closed what it opened: no library stays loaded in this process.
    expect([...loadedLibraries().values()]).toEqual([]);
  });

  it('refuses a second key with the same label, and bad arguments with exit status 2', async () => {
    const label = uniqueLabel('dup');
    expect((await hrng(['hsm', 'keygen', '--label', label], env)).code).toBe(0);
    const again = await hrng(['hsm', 'keygen', '--label', label], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('HSM_KEY_EXISTS');
    expect((await hrng(['hsm', 'sign', '--label', label, 'xyz'], env)).code).toBe(2);
    expect((await hrng(['hsm', 'sign', 'abcd'], env)).code).toBe(2);
    expect((await hrng(['hsm', 'frobnicate'], env)).code).toBe(2);
  });

  it('names the missing variable, and a wrong PIN fails with the typed error and no PIN in the output', async () => {
    const missing = await hrng(['hsm', 'list'], { HRNG_PKCS11_LIBRARY: token.module, HRNG_PKCS11_TOKEN: token.label });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('HSM_CONFIG');
    expect(missing.stderr).toContain('HRNG_PKCS11_PIN');
    const wrong = `${pinOf(token)}1`;
    const wrongFile = join(scratch, 'wrong.pin');
    writeFileSync(wrongFile, wrong, { mode: 0o600 });
    for (const variant of [{ HRNG_PKCS11_PIN_FILE: wrongFile }, { HRNG_PKCS11_PIN: wrong }]) {
      const r = await hrng(['hsm', 'list'], {
        SOFTHSM2_CONF: env.SOFTHSM2_CONF,
        HRNG_PKCS11_LIBRARY: token.module,
        HRNG_PKCS11_TOKEN: token.label,
        ...variant,
      });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('HSM_PIN_INCORRECT');
      expect(r.stderr).toContain('CKR_PIN_INCORRECT');
      expect(r.stderr).toContain('C_Login');
      expect(r.stdout + r.stderr).not.toContain(wrong);
      noPin(r);
    }
  });

  it('hrng status --source pkcs11 seeds the generator with the token among its sources', async () => {
    const r = await hrng(['status', '--json', '--source', 'pkcs11'], env);
    noPin(r);
    const report = JSON.parse(r.stdout) as { state: string; sources: { id: string; available: boolean; creditBitsPerByte: number }[] };
    const mine = report.sources.find((s) => s.id === `pkcs11:${token.label}`);
    expect(mine).toMatchObject({ available: true, creditBitsPerByte: 4 });
    expect(report.state).not.toBe('failed');
    expect(r.code).toBe(0);
  });
});
