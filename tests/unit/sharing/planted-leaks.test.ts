/**
 * The dudect gate's planted-leak twins of the sharing targets (tests/adversarial/timing/sharing-targets.ts)
 * compute the same field arithmetic as the code they shadow — only their timing differs — and each
 * sharing target is registered with its own twin as the positive lane of its runs (targets/sharing.ts).
 * The timing itself is measured in the timing project, not here.
 */
import { describe, expect, it } from 'vitest';
import { gfMul } from '../../../crypto/sharing/gf256.js';
import { combineRaw, splitRaw } from '../../../crypto/sharing/shamir.js';
import { leakyCombine, leakyGfMul, leakySplit } from '../../adversarial/timing/sharing-targets.js';
import { findSpec, GATE_TARGETS } from '../../adversarial/timing/targets/index.js';
import { testRng } from './helpers.js';

describe('planted-leak twins of the sharing targets', () => {
  it('leakyGfMul equals gfMul on all 65 536 pairs', () => {
    let differing = 0;
    for (let a = 0; a < 256; a++) for (let b = 0; b < 256; b++) if (leakyGfMul(a, b) !== gfMul(a, b)) differing++;
    expect(differing).toBe(0);
    expect(leakyGfMul(0x53, 0xca)).toBe(0x01); // the AES inverse pair (FIPS 197 §4.2)
  });

  it('leakyCombine reconstructs what combineRaw reconstructs', () => {
    const rng = testRng('planted-combine');
    for (let i = 0; i < 20; i++) {
      const secret = rng.randomBytes(32);
      const shares = splitRaw(secret, 3, 5, rng).slice(i % 3, (i % 3) + 3);
      expect(Array.from(leakyCombine(shares))).toEqual(Array.from(secret));
      expect(Array.from(leakyCombine(shares))).toEqual(Array.from(combineRaw(shares)));
    }
  });

  it('leakySplit is x·s + c byte by byte', () => {
    const rng = testRng('planted-split');
    const s = rng.randomBytes(32);
    const c = rng.randomBytes(32);
    const ys = leakySplit(s, [0x17, 0x8e], c);
    expect(ys.map((y) => Array.from(y))).toEqual([0x17, 0x8e].map((x) => Array.from(s, (b, j) => gfMul(x, b) ^ (c[j] as number))));
  });

  it('registers each sharing target with its own twin as positive control, findable by the child', () => {
    const pairs = GATE_TARGETS.filter((s) => s.id.startsWith('sharing.')).map((s) => [s.id, s.positiveControl?.id]);
    expect(pairs).toEqual([
      ['sharing.gfMul', 'control.leaky-gf-mul'],
      ['sharing.split', 'control.leaky-split'],
      ['sharing.combine', 'control.leaky-combine'],
    ]);
    for (const [, twin] of pairs) expect(findSpec(twin as string)?.file).toBe('tests/adversarial/timing/sharing-targets.ts');
    // The other targets keep the default control (the 512-byte early exit).
    expect(GATE_TARGETS.filter((s) => !s.id.startsWith('sharing.') && s.positiveControl !== undefined)).toEqual([]);
  });
});
