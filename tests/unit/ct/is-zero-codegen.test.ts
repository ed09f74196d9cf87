/**
 * ct.isZero must not materialise its boolean answer through a branch in V8's optimised code. The
 * original `((acc - 1) >>> 31) === 1` compiled (Node 20 / V8 11.3, x64) to `cmp; jz` into a block
 * loading the `true_value` root — a branch on the answer that the dudect gate measured at |t| 50–117
 * (docs/constant-time.md, "Root cause of the isZero failures"). This test compiles isZero with TurboFan
 * on its own, prints its machine code, and asserts that the code never selects between the `true` and
 * `false` roots: the answer comes from a table load. No timing is measured here.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REGISTER = fileURLToPath(new URL('../../adversarial/timing/child/ts-register.mjs', import.meta.url));
const DRIVER = fileURLToPath(new URL('./is-zero-codegen.driver.ts', import.meta.url));

describe('ct.isZero machine code (TurboFan)', () => {
  it('is optimised and answers without choosing between the true and false roots', () => {
    const r = spawnSync(
      process.execPath,
      ['--allow-natives-syntax', '--print-opt-code', '--print-opt-code-filter=isZero', '--import', REGISTER, DRIVER],
      { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' }, timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('RESULT true false');
    const code = r.stdout.slice(r.stdout.indexOf('--- Optimized code ---'));
    expect(code).toContain('name = isZero');
    expect(code).toContain('kind = TURBOFAN');
    const body = code.slice(0, code.indexOf('Source positions'));
    // The branchy version loads one of the two roots after a conditional jump on the answer bit.
    expect(body.includes('(true_value)'), 'isZero selects the true root: a branch on the answer').toBe(false);
    expect(body.includes('(false_value)'), 'isZero selects the false root: a branch on the answer').toBe(false);
  });
});
