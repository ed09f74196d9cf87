/**
 * The building blocks against direct definitions: the Bluestein DFT against an O(n²) DFT, word-parallel
 * Berlekamp–Massey against a bit-by-bit one, GF(2) rank against a naive elimination, the aperiodic
 * templates against their count in STS (148 for m = 9), igamc against SciPy, and the parsers.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bitsFromAscii, bitsFromBytes, checkBits } from '../../../crypto/stats/bits.js';
import { complexDft, dftModuli } from '../../../crypto/stats/fft.js';
import { factors } from '../../../crypto/stats/mixed-radix.js';
import { linearComplexity } from '../../../crypto/stats/linear-complexity.js';
import { gf2Rank } from '../../../crypto/stats/rank.js';
import { aperiodicTemplates } from '../../../crypto/stats/templates.js';
import { igamc, igam } from '../../../crypto/stats/special.js';
import { thrown } from '../../helpers/thrown.js';

function naiveDft(x: readonly number[], count: number): number[] {
  const n = x.length;
  return Array.from({ length: count }, (_, k) => {
    let re = 0;
    let im = 0;
    for (let j = 0; j < n; j++) {
      const a = (-2 * Math.PI * ((j * k) % n)) / n;
      re += (x[j] as number) * Math.cos(a);
      im += (x[j] as number) * Math.sin(a);
    }
    return Math.hypot(re, im);
  });
}

function naiveBerlekampMassey(s: readonly number[]): number {
  const n = s.length;
  let c = new Array<number>(n + 1).fill(0);
  let b = new Array<number>(n + 1).fill(0);
  c[0] = 1;
  b[0] = 1;
  let l = 0;
  let m = -1;
  for (let i = 0; i < n; i++) {
    let d = s[i] as number;
    for (let j = 1; j <= l; j++) d ^= (c[j] as number) & (s[i - j] as number);
    if (d === 1) {
      const t = [...c];
      for (let j = 0; j + i - m <= n; j++) c[j + i - m] = (c[j + i - m] as number) ^ (b[j] as number);
      if (l <= i / 2) {
        l = i + 1 - l;
        m = i;
        b = t;
      }
    }
  }
  c = [];
  return l;
}

describe('dftModuli (mixed radix, or Bluestein over fft.js)', () => {
  it('factors: 2^a·3^b·5^c only, 4s first', () => {
    expect([factors(500000), factors(180), factors(77), factors(1)]).toEqual([[4, 4, 2, 5, 5, 5, 5, 5, 5], [4, 3, 3, 5], undefined, []]);
  });
  it.each([7, 12, 30, 64, 77, 97, 125, 243])('complexDft matches the direct DFT of a complex sequence, n = %i', (n) => {
    const z = Float64Array.from({ length: 2 * n }, (_, i) => Math.sin(i * 1.7) + ((i * 31) % 7) / 7);
    const fast = complexDft(z, n);
    for (let k = 0; k < n; k++) {
      let re = 0;
      let im = 0;
      for (let j = 0; j < n; j++) {
        const a = (-2 * Math.PI * ((j * k) % n)) / n;
        re += (z[2 * j] as number) * Math.cos(a) - (z[2 * j + 1] as number) * Math.sin(a);
        im += (z[2 * j] as number) * Math.sin(a) + (z[2 * j + 1] as number) * Math.cos(a);
      }
      expect(Math.abs((fast[2 * k] as number) - re) + Math.abs((fast[2 * k + 1] as number) - im)).toBeLessThan(1e-9 * n);
    }
  });
  it.each([2, 3, 10, 97, 100, 154, 194, 256, 360, 1000])('matches the direct DFT for n = %i', (n) => {
    const x = Array.from({ length: n }, (_, i) => (((i * 7919 + 13) % 17) & 1 ? 1 : -1));
    const fast = dftModuli(Float64Array.from(x), Math.floor(n / 2));
    const slow = naiveDft(x, Math.floor(n / 2));
    slow.forEach((v, k) => expect(Math.abs((fast[k] as number) - v)).toBeLessThan(1e-9 * n));
  });
});

describe('linearComplexity', () => {
  it('known values: all zeros 0, a single final one = n, an LFSR of degree 3', () => {
    expect(linearComplexity(new Uint8Array(64), 0, 64)).toBe(0);
    const last = new Uint8Array(40);
    last[39] = 1;
    expect(linearComplexity(last, 0, 40)).toBe(40);
    // s_{i+3} = s_{i+1} ⊕ s_i from 1,0,0
    const s = [1, 0, 0];
    while (s.length < 100) s.push((s[s.length - 2] as number) ^ (s[s.length - 3] as number));
    expect(linearComplexity(Uint8Array.from(s), 0, 100)).toBe(3);
  });
  it('agrees with a bit-by-bit Berlekamp–Massey (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 600 }), fc.nat({ max: 7 }), (bytes, skip) => {
        const bits = Uint8Array.from(bytes, (b) => b & 1);
        const start = Math.min(skip, bits.length - 1);
        const m = bits.length - start;
        expect(linearComplexity(bits, start, m)).toBe(naiveBerlekampMassey([...bits.subarray(start)]));
      }),
      { numRuns: 200 },
    );
  });
});

describe('gf2Rank', () => {
  it('identity 32, zero 0, duplicated rows lower the rank', () => {
    expect(gf2Rank(Uint32Array.from({ length: 32 }, (_, i) => (1 << i) >>> 0))).toBe(32);
    expect(gf2Rank(new Uint32Array(32))).toBe(0);
    const rows = Uint32Array.from({ length: 32 }, (_, i) => (1 << i) >>> 0);
    rows[31] = (rows[0] as number) ^ (rows[1] as number);
    expect(gf2Rank(rows)).toBe(31);
  });
});

describe('aperiodicTemplates', () => {
  it('counts as STS ships them: m = 2..10 → 2, 4, 6, 12, 20, 40, 74, 148, 284', () => {
    expect([2, 3, 4, 5, 6, 7, 8, 9, 10].map((m) => aperiodicTemplates(m).length)).toEqual([2, 4, 6, 12, 20, 40, 74, 148, 284]);
    const t9 = aperiodicTemplates(9);
    expect(t9.slice(0, 3).map((t) => t.toString(2).padStart(9, '0'))).toEqual(['000000001', '000000011', '000000101']);
  });
});

describe('igamc (Cephes algorithm, checked against SciPy 1.17 gammaincc)', () => {
  it.each([
    [0.5, 0.1, 0.6547208460185768],
    [1.5, 2.0, 0.26146412994911117],
    [2.5, 7.3, 0.012215452958307626],
    [3, 10.0, 0.0027693957155115775],
    [5, 0.5, 0.9998278843700441],
    [3906, 3956.046875, 0.21107154370164066],
    [8192, 8200.093696, 0.4629213240959979],
    [16384, 16290.873344, 0.7661816468334464],
    [512, 600.0, 0.00010746762608383012],
    [4.5, 20.0, 7.598525229464264e-6],
    [100, 150.0, 5.924540335483916e-6],
    [0.5, 1e-8, 0.9998871620836666],
  ])('Q(%d, %d)', (a, x, q) => {
    expect(Math.abs(igamc(a, x) - q) / q).toBeLessThan(1e-9);
    expect(Math.abs(igam(a, x) + igamc(a, x) - 1)).toBeLessThan(1e-12);
  });
  it('edges: Q(a, 0) = 1, P(a, 0) = 0', () => {
    expect([igamc(2, 0), igam(2, 0)]).toEqual([1, 0]);
  });
});

describe('bit parsers', () => {
  it('bytes unpack MSB first; ASCII ignores whitespace and refuses other bytes', () => {
    expect([...bitsFromBytes(Uint8Array.of(0xa5, 0x01))]).toEqual([1, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect([...bitsFromBytes(Uint8Array.of(0xf0), 3)]).toEqual([1, 1, 1]);
    expect([...bitsFromAscii(new TextEncoder().encode(' 10\n1\t0\r\n'))]).toEqual([1, 0, 1, 0]);
    expect([...bitsFromAscii(new TextEncoder().encode('1111'), 2)]).toEqual([1, 1]);
    expect(thrown(() => bitsFromAscii(new TextEncoder().encode('10x1')))).toMatchObject({ code: 'STATS_MALFORMED_INPUT' });
    expect(thrown(() => checkBits(Uint8Array.of(0, 2)))).toMatchObject({ code: 'CRYPTO_INVALID_ARGUMENT' });
    expect(thrown(() => checkBits(new Uint8Array(0)))).toMatchObject({ code: 'CRYPTO_INVALID_ARGUMENT' });
  });
});
