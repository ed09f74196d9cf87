/**
 * The word-parallel field routines against the plain byte-wise reference (gfMul, one byte at a time):
 * bit planes (bitslice.ts: slice/unslice, Horner on planes) and four-lane SWAR words (gfMulWord), for
 * every length shape (whole and partial groups, word tails). Then mutation-style checks: the same
 * properties run on copies of the routines with one mask or tap changed, and must fail — so they can see
 * exactly the mistakes these routines could make (a carry across byte lanes, a wrong reduction, a bit
 * gathered from the wrong lane).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  GATHER,
  GROUP_BYTES,
  groupsFor,
  hornerPlanes,
  LANE_BIT,
  PLANES,
  SPREAD,
  slice,
  unslice,
} from '../../../crypto/sharing/bitslice.js';
import { gfMul, gfMulWord } from '../../../crypto/sharing/gf256.js';

/** Σ terms[i]·x^i byte by byte, the reference. */
function hornerBytes(terms: readonly Uint8Array[], x: number): Uint8Array {
  const length = (terms[0] as Uint8Array).length;
  const out = new Uint8Array(length);
  for (let b = 0; b < length; b++) {
    let a = 0;
    for (let i = terms.length - 1; i >= 0; i--) a = gfMul(a, x) ^ ((terms[i] as Uint8Array)[b] as number);
    out[b] = a;
  }
  return out;
}

/** The planes of `terms` in hornerPlanes' layout (term i of group g at (i·groups + g)·8). */
function planesOf(terms: readonly Uint8Array[]): Int32Array {
  const groups = groupsFor((terms[0] as Uint8Array).length);
  const planes = new Int32Array(terms.length * groups * PLANES);
  terms.forEach((t, i) => slice(t, planes, i * groups * PLANES));
  return planes;
}

function hornerViaPlanes(terms: readonly Uint8Array[], x: number, horner = hornerPlanes): Uint8Array {
  const length = (terms[0] as Uint8Array).length;
  const acc = new Int32Array(groupsFor(length) * PLANES);
  horner(planesOf(terms), terms.length, x, acc);
  const out = new Uint8Array(length);
  unslice(acc, 0, out);
  return out;
}

const termsArb = fc
  .tuple(fc.integer({ min: 1, max: 90 }), fc.integer({ min: 1, max: 6 }))
  .chain(([length, count]) => fc.array(fc.uint8Array({ minLength: length, maxLength: length }), { minLength: count, maxLength: count }));

/** Does `impl` agree with the reference on random terms, x and lengths? (fast-check's verdict.) */
function agreesWithReference(impl: (terms: readonly Uint8Array[], x: number) => Uint8Array, runs = 150): boolean {
  const r = fc.check(
    fc.property(termsArb, fc.integer({ min: 0, max: 255 }), (terms, x) => Buffer.from(impl(terms, x)).equals(hornerBytes(terms, x))),
    { numRuns: runs, seed: 0x5eed },
  );
  return !r.failed;
}

/** SWAR: four lanes times c, against gfMul per lane. */
function swarAgrees(mulWord: (w: number, c: number) => number, runs = 300): boolean {
  const r = fc.check(
    fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.integer({ min: 0, max: 255 }), (w, c) => {
      const got = mulWord(w, c);
      for (let lane = 0; lane < 4; lane++) if (((got >>> (8 * lane)) & 0xff) !== gfMul((w >>> (8 * lane)) & 0xff, c)) return false;
      return true;
    }),
    { numRuns: runs, seed: 0x5eed },
  );
  return !r.failed;
}

describe('bit planes (bitslice.ts)', () => {
  it('slice puts bit b of byte t at bit t of plane b (a worked group)', () => {
    const bytes = new Uint8Array(GROUP_BYTES);
    bytes[0] = 0x01; // bit 0 of byte 0
    bytes[5] = 0x80; // bit 7 of byte 5
    bytes[31] = 0x12; // bits 1 and 4 of byte 31
    const planes = new Int32Array(PLANES);
    slice(bytes, planes, 0);
    expect(Array.from(planes, (p) => p >>> 0)).toEqual([1, 2 ** 31, 0, 0, 2 ** 31, 0, 0, 2 ** 5]);
  });

  it('unslice inverts slice for every length (whole and partial groups, at an offset)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), fc.integer({ min: 0, max: 20 }), (bytes, at) => {
        const planes = new Int32Array(at + groupsFor(bytes.length) * PLANES);
        slice(bytes, planes, at);
        const back = new Uint8Array(bytes.length);
        unslice(planes, at, back);
        expect(Array.from(back)).toEqual(Array.from(bytes));
        // Padding lanes of a partial group stay zero (they take part in the arithmetic).
        const whole = new Uint8Array(groupsFor(bytes.length) * GROUP_BYTES);
        unslice(planes, at, whole);
        expect(whole.subarray(bytes.length).every((b) => b === 0)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('Horner on planes equals the byte-wise Horner chain (any length, 1..6 terms, every kind of x)', () => {
    expect(agreesWithReference(hornerViaPlanes, 300)).toBe(true);
    // x = 0 leaves the constant term, x = 1 XORs all terms.
    const terms = [Uint8Array.of(7, 9), Uint8Array.of(1, 2), Uint8Array.of(4, 8)];
    expect(Array.from(hornerViaPlanes(terms, 0))).toEqual([7, 9]);
    expect(Array.from(hornerViaPlanes(terms, 1))).toEqual([7 ^ 1 ^ 4, 9 ^ 2 ^ 8]);
  });
});

describe('SWAR words (gf256.ts gfMulWord)', () => {
  it('four lanes times a scalar equal four byte-wise products', () => {
    expect(swarAgrees(gfMulWord)).toBe(true);
  });
});

/** Copies of the routines' inner steps with one constant changed (the production code is not touched). */
function mutantSwar(low7: number, taps: number): (w: number, c: number) => number {
  return (word, c) => {
    let r = 0;
    let x = word | 0;
    let y = c & 0xff;
    for (let i = 0; i < 8; i++) {
      r ^= x & -(y & 1);
      x = ((x & low7) << 1) ^ Math.imul((x >>> 7) & 0x01010101, taps);
      y >>>= 1;
    }
    return r | 0;
  };
}

/** Horner on planes with a plane-xtime whose reduction taps are `taps` (0x1b is right), one group. */
function mutantHorner(taps: number): typeof hornerPlanes {
  return (coeffs, terms, x, out) => {
    const groups = out.length >>> 3;
    for (let g = 0; g < groups; g++) {
      const a = Array.from(coeffs.subarray(((terms - 1) * groups + g) * 8, ((terms - 1) * groups + g) * 8 + 8));
      for (let i = terms - 2; i >= 0; i--) {
        let t = a.slice();
        const r = new Array<number>(8).fill(0);
        for (let bit = 0; bit < 8; bit++) {
          if ((x >>> bit) & 1) for (let b = 0; b < 8; b++) r[b] = (r[b] as number) ^ (t[b] as number);
          const h = t[7] as number;
          t = [0, ...t.slice(0, 7)].map((v, b) => (v as number) ^ ((taps >>> b) & 1 ? h : 0));
        }
        for (let b = 0; b < 8; b++) a[b] = (r[b] as number) ^ (coeffs[(i * groups + g) * 8 + b] as number);
      }
      out.set(a, g * 8);
    }
  };
}

describe('mutation checks: the properties above fail on a wrong mask or tap', () => {
  it('the mutant harnesses are faithful: with the right constants they pass', () => {
    expect(swarAgrees(mutantSwar(0x7f7f7f7f, 0x1b))).toBe(true);
    expect(agreesWithReference((t, x) => hornerViaPlanes(t, x, mutantHorner(0x1b)))).toBe(true);
  });

  it('SWAR: a lane mask that lets bit 7 carry into the next lane, or a wrong reduction, is caught', () => {
    expect(swarAgrees(mutantSwar(0x7fff7f7f, 0x1b))).toBe(false);
    expect(swarAgrees(mutantSwar(0x7f7f7f7f, 0x1d))).toBe(false);
    expect(swarAgrees(mutantSwar(0x7f7f7f7f, 0x1a))).toBe(false);
  });

  it('planes: an xtime with one reduction tap moved is caught', () => {
    for (const taps of [0x1a, 0x1d, 0x9b, 0x0b])
      expect(
        agreesWithReference((t, x) => hornerViaPlanes(t, x, mutantHorner(taps))),
        `taps ${taps}`,
      ).toBe(false);
  });

  it('planes: the gather and spread constants do their job, and one term moved is caught', () => {
    // GATHER puts a LANE_BIT-masked word's four lane bits at bits 28..31; SPREAD does the reverse. A term
    // moved by one place (0x10208080: two products land on bit 31) or dropped (0x10204000) is caught.
    const lanes = (v: number): number => (v & 1) | ((v & 2) << 7) | ((v & 4) << 14) | ((v & 8) << 21);
    const gathers = (m: number): boolean => {
      for (let v = 0; v < 16; v++) if (Math.imul(lanes(v), m) >>> 28 !== v) return false;
      return true;
    };
    const spreads = (m: number): boolean => {
      for (let v = 0; v < 16; v++) if ((Math.imul(v, m) & LANE_BIT) !== lanes(v)) return false;
      return true;
    };
    expect([gathers(GATHER), spreads(SPREAD)]).toEqual([true, true]);
    expect([gathers(0x10208080), gathers(0x10204000), spreads(0x00204041), spreads(0x00200081)]).toEqual([false, false, false, false]);
  });
});
