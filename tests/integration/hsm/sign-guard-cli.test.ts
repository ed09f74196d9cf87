/**
 * `hrng sign --hsm-key LABEL` against the SoftHSM2 token: the token-held key signs under the same
 * double-sign guard as a keystore key. Configured only through HRNG_PKCS11_* variables (the PIN from a
 * file, never an argument). A signature verifies with @noble/ed25519; a different payload at the same
 * height/round/step exits 3 without the token being asked; the identical payload returns the same
 * signature; a lower position exits 3; and the refusal survives a new guard process (a restart).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ed from '@noble/ed25519';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeHrngSignBytes } from '../../../consensus/index.js';
import { EXIT_FAILED, EXIT_OK, EXIT_REFUSED, EXIT_USAGE } from '../../../cli/command.js';
import { loadedLibraries } from '../../../hsm/library.js';
import { guardStateJson } from '../../helpers/guard-state-file.js';
import { fromHex, hrng, softhsmCliEnv, type Ran } from '../helpers/cli.js';
import { pinOf, requireTokenOnCi, softhsm, suiteTitle, uniqueLabel } from '../helpers/tokens.js';

requireTokenOnCi(softhsm, 'SoftHSM2');

describe.skipIf(!softhsm.up)(suiteTitle(softhsm, 'hrng sign --hsm-key under the double-sign guard, against SoftHSM2'), () => {
  if (!softhsm.up) return;
  const token = softhsm.token;
  const env = softhsmCliEnv(token);
  let scratch: string;
  let label: string;
  let publicKey: Uint8Array;
  let keyId: string;
  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'hrng-sign-hsm-test-'));
    label = uniqueLabel('guarded');
    const k = await hrng(['hsm', 'keygen', '--label', label, '--json'], env);
    expect([k.code, k.stderr]).toEqual([0, '']);
    const key = JSON.parse(k.stdout) as { scheme: string; publicKey: string; keyId: string };
    expect(key.scheme).toBe('ed25519');
    publicKey = fromHex(key.publicKey);
    keyId = key.keyId;
  });
  afterAll(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  const CHAIN = 'hsm-cli-test';
  /** The flags naming the guard and the position signed at, as `hrng sign` takes them. */
  const positionFlags = (guard: string, height: number, body: string, round = 0, step = 1): string[] => [
    '--guard',
    guard,
    '--chain-id',
    CHAIN,
    '--height',
    String(height),
    '--round',
    String(round),
    '--step',
    String(step),
    '--body',
    body,
  ];
  const sign = (guard: string, height: number, body: string, round = 0, step = 1, extra = ['--init-guard']): Promise<Ran> =>
    hrng(['sign', '--hsm-key', label, ...positionFlags(guard, height, body, round, step), ...extra], env);
  /** The hrng-sign/v1 message `hrng sign` builds from those flags. */
  const msg = (height: number, body: string, round = 0, step = 1): Uint8Array =>
    encodeHrngSignBytes({ chainId: CHAIN, hrs: { height, round, step }, body: fromHex(body) });

  it('signs A (verifies with @noble/ed25519), refuses B at the same position with exit 3, returns the same signature for A again', async () => {
    const guard = join(scratch, 'guard');
    const a = await sign(guard, 100, 'aa01');
    expect([a.code, a.stderr]).toEqual([EXIT_OK, '']);
    expect(a.stdout).toMatch(/^[0-9a-f]{128}\n$/);
    const sigA = a.stdout.trim();
    expect(await ed.verifyAsync(fromHex(sigA), msg(100, 'aa01'), publicKey)).toBe(true);

    const b = await sign(guard, 100, 'bb02');
    expect(b.code).toBe(EXIT_REFUSED);
    expect(b.stdout).toBe('');
    expect(b.stderr).toBe(
      `hrng sign: GUARD_DOUBLE_SIGN: refused: key ${keyId} already signed a different payload at height 100 round 0 step 1\n`,
    );

    const again = await sign(guard, 100, 'aa01');
    expect([again.code, again.stdout]).toEqual([EXIT_OK, `${sigA}\n`]);

    const lower = await sign(guard, 99, 'cc03', 5, 5);
    expect(lower.code).toBe(EXIT_REFUSED);
    expect(lower.stderr).toMatch(/^hrng sign: GUARD_REGRESSION: [^\n]*\n$/);

    // The guard's state is keyed by the token key's id and holds what the token signed.
    expect(readdirSync(guard)).toEqual([`${keyId}.state`]);
    const state = guardStateJson(guard, keyId);
    expect(state.lastSigned).toMatchObject({ height: 100, signature: sigA });

    const higher = await sign(guard, 100, 'bb02', 1, 1);
    expect(higher.code).toBe(EXIT_OK);
    expect(await ed.verifyAsync(fromHex(higher.stdout.trim()), msg(100, 'bb02', 1, 1), publicKey)).toBe(true);

    for (const r of [a, b, again, lower, higher]) {
      expect(r.stdout).not.toContain(pinOf(token));
      expect(r.stderr).not.toContain(pinOf(token));
    }
    // Every run closed the token it opened.
    expect([...loadedLibraries().values()]).toEqual([]);
  });

  it('the history moves with `hrng guard export|import`: the token key stays refused in the new directory', async () => {
    const from = join(scratch, 'guard-from');
    const to = join(scratch, 'guard-to');
    expect((await sign(from, 7, '0707')).code).toBe(EXIT_OK);
    const file = join(scratch, 'history.json');
    expect((await hrng(['guard', 'export', '--guard', from, file], {})).code).toBe(EXIT_OK);
    expect((await hrng(['guard', 'import', '--guard', to, file], {})).code).toBe(EXIT_OK);
    expect((await sign(to, 7, '0808', 0, 1, [])).code).toBe(EXIT_REFUSED);
    expect((await sign(to, 8, '0808', 0, 1, [])).code).toBe(EXIT_OK);
  });

  it('refuses bad combinations (exit 2) and an unknown label (exit 1) without recording anything', async () => {
    const guard = join(scratch, 'guard-bad');
    const both = await hrng(['sign', '--hsm-key', label, '--key', join(scratch, 'k.json'), ...positionFlags(guard, 1, '00')], env);
    expect(both.code).toBe(EXIT_USAGE);
    const missing = await hrng(['sign', '--hsm-key', uniqueLabel('absent'), ...positionFlags(guard, 1, '00'), '--init-guard'], env);
    expect(missing.code).toBe(EXIT_FAILED);
    expect(missing.stderr).toContain('HSM_KEY_NOT_FOUND');
    expect(readdirSync(guard)).toEqual([]);
  });
});
