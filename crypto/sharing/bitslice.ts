/**
 * GF(256) arithmetic on bit planes (bitslicing): 32 bytes held as 8 words, word b carrying bit b of each of
 * the 32 bytes (bit t of plane b = bit b of byte t). On planes, xtime (multiplication by the polynomial x,
 * FIPS 197 §4.2.1) is a renaming of the eight words with three XORs for all 32 bytes — no shift, no mask,
 * no carry between bytes — so multiplying by a PUBLIC scalar c is at most 7 xtimes and one 8-word XOR per
 * set bit of c. Split's Horner chain multiplies by one public x again and again; on planes that costs
 * ~5× fewer operations than on four-byte SWAR words (gf256.ts `gfMulWord`), where each xtime is six
 * operations per four bytes.
 *
 * Constant time: branches test bits of public scalars only (x-coordinates); the secret planes (secret
 * bytes, coefficients, y values) only meet XOR, AND with fixed masks, shifts by fixed amounts and
 * Math.imul by fixed constants (x64 IMUL r32 takes the same time for every operand) — no table, no
 * secret-dependent branch or index. Measured by the dudect gate's `sharing.split` target
 * (evaluateRandomPolynomials, tests/adversarial/timing/sharing-targets.ts).
 *
 * Not supported: a secret multiplier (gf256.ts `gfMul` takes two secret operands). Byte order is the
 * platform's: slice and unslice mirror each other, so the mapping never shows outside.
 */

/** Bytes per group of bit planes. */
export const GROUP_BYTES = 32;
/** Planes (32-bit words) per group. */
export const PLANES = 8;

/** Byte-lane bit 0 of each of a word's four bytes. */
export const LANE_BIT = 0x01010101;
/** Gathers the four lane bits of a `LANE_BIT`-masked word into bits 28..31 (products land apart, no carry). */
export const GATHER = 0x10204080;
/** Spreads four bits 0..3 to the lanes' bit 0 (positions 0, 8, 16, 24 after the mask; no carry). */
export const SPREAD = 0x00204081;

/** Groups needed for `length` bytes. */
export function groupsFor(length: number): number {
  return (length + GROUP_BYTES - 1) >>> 5;
}

const partial = new Uint8Array(GROUP_BYTES);

/**
 * The bit planes of `bytes` (zero-padded to whole groups) into `planes` from word `at`:
 * group g's plane b at at + 8g + b.
 */
export function slice(bytes: Uint8Array, planes: Int32Array, at: number): void {
  const groups = groupsFor(bytes.length);
  for (let g = 0; g < groups; g++) {
    const base = g * GROUP_BYTES;
    let src = bytes;
    let from = base;
    if (base + GROUP_BYTES > bytes.length) {
      partial.fill(0);
      partial.set(bytes.subarray(base));
      src = partial;
      from = 0;
    }
    let p0 = 0;
    let p1 = 0;
    let p2 = 0;
    let p3 = 0;
    let p4 = 0;
    let p5 = 0;
    let p6 = 0;
    let p7 = 0;
    for (let q = 0; q < 8; q++) {
      const i = from + 4 * q;
      const w = (src[i] as number) | ((src[i + 1] as number) << 8) | ((src[i + 2] as number) << 16) | ((src[i + 3] as number) << 24);
      const s = 4 * q;
      p0 |= (Math.imul(w & LANE_BIT, GATHER) >>> 28) << s;
      p1 |= (Math.imul((w >>> 1) & LANE_BIT, GATHER) >>> 28) << s;
      p2 |= (Math.imul((w >>> 2) & LANE_BIT, GATHER) >>> 28) << s;
      p3 |= (Math.imul((w >>> 3) & LANE_BIT, GATHER) >>> 28) << s;
      p4 |= (Math.imul((w >>> 4) & LANE_BIT, GATHER) >>> 28) << s;
      p5 |= (Math.imul((w >>> 5) & LANE_BIT, GATHER) >>> 28) << s;
      p6 |= (Math.imul((w >>> 6) & LANE_BIT, GATHER) >>> 28) << s;
      p7 |= (Math.imul((w >>> 7) & LANE_BIT, GATHER) >>> 28) << s;
    }
    const o = at + g * PLANES;
    planes[o] = p0;
    planes[o + 1] = p1;
    planes[o + 2] = p2;
    planes[o + 3] = p3;
    planes[o + 4] = p4;
    planes[o + 5] = p5;
    planes[o + 6] = p6;
    planes[o + 7] = p7;
  }
  partial.fill(0);
}

/** The inverse of `slice`: `out.length` bytes from the planes at word `at` (padding lanes dropped). */
export function unslice(planes: Int32Array, at: number, out: Uint8Array): void {
  const groups = groupsFor(out.length);
  for (let g = 0; g < groups; g++) {
    const o = at + g * PLANES;
    const p0 = planes[o] as number;
    const p1 = planes[o + 1] as number;
    const p2 = planes[o + 2] as number;
    const p3 = planes[o + 3] as number;
    const p4 = planes[o + 4] as number;
    const p5 = planes[o + 5] as number;
    const p6 = planes[o + 6] as number;
    const p7 = planes[o + 7] as number;
    const base = g * GROUP_BYTES;
    const whole = base + GROUP_BYTES <= out.length;
    const dst = whole ? out : partial;
    const to = whole ? base : 0;
    for (let q = 0; q < 8; q++) {
      const s = 4 * q;
      const w =
        (Math.imul((p0 >>> s) & 15, SPREAD) & LANE_BIT) |
        ((Math.imul((p1 >>> s) & 15, SPREAD) & LANE_BIT) << 1) |
        ((Math.imul((p2 >>> s) & 15, SPREAD) & LANE_BIT) << 2) |
        ((Math.imul((p3 >>> s) & 15, SPREAD) & LANE_BIT) << 3) |
        ((Math.imul((p4 >>> s) & 15, SPREAD) & LANE_BIT) << 4) |
        ((Math.imul((p5 >>> s) & 15, SPREAD) & LANE_BIT) << 5) |
        ((Math.imul((p6 >>> s) & 15, SPREAD) & LANE_BIT) << 6) |
        ((Math.imul((p7 >>> s) & 15, SPREAD) & LANE_BIT) << 7);
      const i = to + 4 * q;
      dst[i] = w;
      dst[i + 1] = w >>> 8;
      dst[i + 2] = w >>> 16;
      dst[i + 3] = w >>> 24;
    }
    if (!whole) {
      out.set(partial.subarray(0, out.length - base), base);
      partial.fill(0);
    }
  }
}

/**
 * Horner's rule on planes, for every group: a = P_{terms−1}; a = a·x ⊕ P_i for i = terms − 2 … 0; the
 * result Σ P_i·x^i into `out` (groups = out.length / 8). `coeffs` holds the `terms` coefficients as planes,
 * term i of group g at (i·groups + g)·8.
 *
 * a·x = Σ over the set bits i of x of xtime^i(a), and xtime on planes is a renaming with three XORs
 * (bit 0 ← bit 7; bits 1, 3, 4 ← bits 0, 2, 3 ⊕ bit 7; the rest shift up). The branches test bits of the
 * PUBLIC x only — the same ones at every step of the chain, so they are also perfectly predicted — and
 * the planes only ever meet XOR: no secret-dependent branch, index or operation.
 */
export function hornerPlanes(coeffs: Int32Array, terms: number, x: number, out: Int32Array): void {
  const groups = out.length >>> 3;
  for (let g = 0; g < groups; g++) {
    let at = ((terms - 1) * groups + g) * PLANES;
    let a0 = coeffs[at + 0] as number;
    let a1 = coeffs[at + 1] as number;
    let a2 = coeffs[at + 2] as number;
    let a3 = coeffs[at + 3] as number;
    let a4 = coeffs[at + 4] as number;
    let a5 = coeffs[at + 5] as number;
    let a6 = coeffs[at + 6] as number;
    let a7 = coeffs[at + 7] as number;
    for (let i = terms - 2; i >= 0; i--) {
      at = (i * groups + g) * PLANES;
      let t0 = a0;
      let t1 = a1;
      let t2 = a2;
      let t3 = a3;
      let t4 = a4;
      let t5 = a5;
      let t6 = a6;
      let t7 = a7;
      a0 = coeffs[at] as number;
      a1 = coeffs[at + 1] as number;
      a2 = coeffs[at + 2] as number;
      a3 = coeffs[at + 3] as number;
      a4 = coeffs[at + 4] as number;
      a5 = coeffs[at + 5] as number;
      a6 = coeffs[at + 6] as number;
      a7 = coeffs[at + 7] as number;
      // Bits of x from the lowest; t = xtime^bit(a) (the loop ends with x's top bit: a public count).
      for (let c = x; c !== 0; c >>>= 1) {
        if (c & 1) {
          a0 ^= t0;
          a1 ^= t1;
          a2 ^= t2;
          a3 ^= t3;
          a4 ^= t4;
          a5 ^= t5;
          a6 ^= t6;
          a7 ^= t7;
        }
        const h = t7;
        t7 = t6;
        t6 = t5;
        t5 = t4;
        t4 = t3 ^ h;
        t3 = t2 ^ h;
        t2 = t1;
        t1 = t0 ^ h;
        t0 = h;
      }
    }
    const o = g * PLANES;
    out[o + 0] = a0;
    out[o + 1] = a1;
    out[o + 2] = a2;
    out[o + 3] = a3;
    out[o + 4] = a4;
    out[o + 5] = a5;
    out[o + 6] = a6;
    out[o + 7] = a7;
  }
}
