import { describe, expect, it } from 'vitest';
import { assessNonIid } from '../../../../crypto/entropy/assessment/assess.js';
import { prepareSamples } from '../../../../crypto/entropy/assessment/samples.js';
import { lcg256, uniform } from './seeded.js';

describe('sample preparation (as ea_non_iid reads a file)', () => {
  it('infers the width from the highest bit in use, translates the alphabet, expands bits MSB first', () => {
    const p = prepareSamples(Uint8Array.from([5, 1, 5, 4]));
    expect(p.bitsPerSymbol).toBe(3);
    expect(p.alphabetSize).toBe(3);
    expect(Array.from(p.symbols)).toEqual([2, 0, 2, 1]);
    expect(Array.from(p.bits)).toEqual([1, 0, 1, 0, 0, 1, 1, 0, 1, 1, 0, 0]);
  });

  it('rejects a stated width narrower than the data', () => {
    expect(() => prepareSamples(Uint8Array.from([255, 0]), 4)).toThrow(expect.objectContaining({ code: 'CRYPTO_INVALID_ARGUMENT' }));
  });
});

describe('non-IID assessment (SP 800-90B §3.1.3)', () => {
  it('awards nothing to a single repeated symbol', () => {
    const a = assessNonIid(new Uint8Array(10_000).fill(7));
    expect(a.minEntropy).toBe(0);
    expect(a.limitedBy).toBe('single symbol');
  });

  it('takes min(H_original, width × H_bitstring) over all estimators', () => {
    const a = assessNonIid(uniform(100_000, 305), { bitstringLimit: 200_000 });
    expect(a.bitsPerSymbol).toBe(8);
    expect(a.original.map((e) => e.estimator)).toEqual(['MCV', 't-Tuple', 'LRS', 'MultiMCW', 'Lag', 'MultiMMC', 'LZ78Y']);
    expect(a.bitstring.map((e) => e.estimator)).toEqual([
      'MCV',
      'Collision',
      'Markov',
      'Compression',
      't-Tuple',
      'LRS',
      'MultiMCW',
      'Lag',
      'MultiMMC',
      'LZ78Y',
    ]);
    expect(a.hOriginal).toBe(Math.min(...a.original.map((e) => e.minEntropy)));
    expect(a.hBitstring).toBe(Math.min(...a.bitstring.map((e) => e.minEntropy)));
    expect(a.minEntropy).toBe(Math.min(a.hOriginal, 8 * a.hBitstring));
    // 200 000 bits are few for the bitstring bounds (Compression ≈ 0.8 per bit there), hence not ~7.9.
    expect(a.minEntropy).toBeGreaterThan(5.5);
    expect(a.minEntropy).toBeLessThanOrEqual(8);
  });

  it('assesses a predictable sequence at ~0 even though every value is equally common', () => {
    const a = assessNonIid(lcg256(50_000), { bitstringLimit: 100_000 });
    expect(a.minEntropy).toBeLessThan(0.05);
  });
});
