/**
 * Shamir's secret sharing (Shamir 1979, "How to share a secret") over GF(256), byte by byte: byte j of
 * the secret is the constant term of its own random polynomial of degree k − 1, and a share is the value
 * of every polynomial at one non-zero x. Any k shares determine the polynomials (Lagrange interpolation
 * at 0); k − 1 shares are uniformly distributed whatever the secret, because every coefficient is drawn
 * uniformly from all of [0, 255] — including the leading one (forcing it non-zero, as some libraries did,
 * biases the shares; an audit finding the library reverted in 2025).
 *
 * These are the raw shares: no authentication (authenticated.ts adds it). x-coordinates are public and
 * may steer loops; the secret, the coefficients and the y bytes only pass through constant-time, table-free
 * field arithmetic: split's Horner chain on bit planes (bitslice.ts, 32 bytes per 8 words), combine's sum
 * Σ λ_i·y_i four bytes to a 32-bit word, by the bits of the public λ_i (interpolateInto, which reads y in
 * place in the caller's bytes — authenticated.ts passes encoded shares as they are).
 *
 * Not supported: fields other than GF(256); more than 255 shares; verifiable sharing in the Feldman sense
 * (the field has no hard discrete logarithm — authenticated.ts commits with hashes instead).
 */
import type { RandomSource } from '../drbg/random-source.js';
import { assert } from '../assert.js';
import { CryptoError } from '../errors.js';
import { PLANES, groupsFor, hornerPlanes, slice, unslice } from './bitslice.js';
import { gfInvLanes, gfMul, gfMulLanes, gfMulWord } from './gf256.js';

/** One raw share: the public x (1..255) and the polynomials' values there, one byte per secret byte. */
export interface RawShare {
  readonly x: number;
  readonly y: Uint8Array;
}

export const MAX_SHARES = 255;
/** The longest secret: its length travels as 16 bits in the share format. */
export const MAX_SECRET_BYTES = 65_535;

/** `bytes` packed into 32-bit words, four byte lanes each, zero-padded. */
export function packWords(bytes: Uint8Array): Int32Array {
  const words = new Int32Array((bytes.length + 3) >>> 2);
  new Uint8Array(words.buffer).set(bytes);
  return words;
}

/** The first `length` byte lanes of `words`, as bytes (a copy). */
export function unpackWords(words: Int32Array, length: number): Uint8Array {
  return new Uint8Array(words.buffer, words.byteOffset, length).slice();
}

/** Checks k and the x list: 2 ≤ k ≤ n ≤ 255, x distinct integers in 1..255. */
export function checkXs(xs: readonly number[], k: number, name: string): void {
  assert.integer(k, 'threshold', { min: 2, max: MAX_SHARES });
  if (!Array.isArray(xs)) assert.record(xs, name);
  assert.integer(xs.length, `${name}.length`, { min: k, max: MAX_SHARES });
  const seen = new Set<number>();
  xs.forEach((x, i) => {
    assert.integer(x, `${name}[${i}]`, { min: 1, max: 255 });
    if (seen.has(x)) throw new CryptoError('CRYPTO_INVALID_ARGUMENT', `${name}[${i}] repeats x = ${x}`);
    seen.add(x);
  });
}

/**
 * `n` distinct non-zero x-coordinates drawn from `rng`: a partial Fisher–Yates shuffle of 1..255 with
 * unbiased indices (rejection sampling on bytes). The x's are public, so branching on them is fine.
 */
export function drawXs(n: number, rng: RandomSource): number[] {
  assert.integer(n, 'n', { min: 1, max: MAX_SHARES });
  const pool = new Uint8Array(255);
  for (let i = 0; i < 255; i++) pool[i] = i + 1;
  // Bytes are fetched as many at a time as draws remain (one call for n draws unless a byte is rejected).
  let bytes: Uint8Array = new Uint8Array(0);
  let at = 0;
  for (let i = 0; i < n; i++) {
    const m = 255 - i;
    const limit = 256 - (256 % m);
    let r = 256;
    while (r >= limit) {
      if (at === bytes.length) {
        bytes = assert.bytes(rng.randomBytes(n - i), 'rng.randomBytes()', { length: n - i });
        at = 0;
      }
      r = bytes[at++] as number;
    }
    const j = i + (r % m);
    const t = pool[i] as number;
    pool[i] = pool[j] as number;
    pool[j] = t;
  }
  return Array.from(pool.subarray(0, n));
}

/**
 * The values at each of `xs` of random polynomials of degree k − 1 whose constant terms are `constant`:
 * every other coefficient uniform from `rng`. The coefficients are zeroed before returning.
 */
export function evaluateRandomPolynomials(constant: Uint8Array, k: number, xs: readonly number[], rng: RandomSource): Uint8Array[] {
  const length = constant.length;
  const groups = groupsFor(length);
  const raw = rng.randomBytes((k - 1) * length);
  assert.bytes(raw, 'rng.randomBytes()', { length: (k - 1) * length });
  // Term i (0 = the constant, 1..k−1 = the coefficients in the order drawn) as bit planes at i·groups·8.
  const coeffs = new Int32Array(k * groups * PLANES);
  slice(constant, coeffs, 0);
  for (let i = 1; i < k; i++) slice(raw.subarray((i - 1) * length, i * length), coeffs, i * groups * PLANES);
  raw.fill(0);
  const acc = new Int32Array(groups * PLANES);
  try {
    return xs.map((x) => {
      hornerPlanes(coeffs, k, x, acc);
      const y = new Uint8Array(length);
      unslice(acc, 0, y);
      return y;
    });
  } finally {
    coeffs.fill(0);
    acc.fill(0);
  }
}

/** Raw split: `n` shares of `secret`, any `k` of which recover it; the x's drawn from `rng`. */
export function splitRaw(secret: Uint8Array, k: number, n: number, rng: RandomSource): RawShare[] {
  assert.bytes(secret, 'secret', { minLength: 1, maxLength: MAX_SECRET_BYTES });
  assert.integer(k, 'threshold', { min: 2, max: MAX_SHARES });
  assert.integer(n, 'shares', { min: k, max: MAX_SHARES });
  const xs = drawXs(n, rng);
  const ys = evaluateRandomPolynomials(secret, k, xs, rng);
  return xs.map((x, i) => ({ x, y: ys[i] as Uint8Array }));
}

/**
 * λ_i = Π_{j≠i} x_j / (x_i ⊕ x_j): the Lagrange basis polynomials of `xs` evaluated at 0 (the x's are
 * public). Computed as λ_i = P · e_i^-1 with P = Π_j x_j and e_i = x_i · Π_{j≠i} (x_i ⊕ x_j), four i's
 * at a time in the byte lanes of one word (gfMulLanes): per group of four, k lane products for the e_i
 * (lane i's own factor is 1), one a^254 chain (11 lane products) inverting all four, one by P — for k = 3, 15 word products and
 * 3 byte products (P) instead of 37 byte products one at a time.
 */
export function lagrangeAtZero(xs: readonly number[]): number[] {
  const k = xs.length;
  let p = 1;
  for (let j = 0; j < k; j++) p = gfMul(p, xs[j] as number);
  const lambda = new Array<number>(k);
  for (let g = 0; g < k; g += 4) {
    // Lanes t = 0..3 hold i = g + t (lanes past k hold 1 and are dropped).
    let xi = 0;
    for (let t = 0; t < 4; t++) xi |= (g + t < k ? (xs[g + t] as number) : 1) << (8 * t);
    let e = xi;
    for (let j = 0; j < k; j++) {
      const xj = xs[j] as number;
      // x_i ⊕ x_j in every lane, except 1 where i = j (and in the unused lanes).
      let d = 0;
      for (let t = 0; t < 4; t++) d |= (g + t === j || g + t >= k ? 1 : ((xi >>> (8 * t)) & 0xff) ^ xj) << (8 * t);
      e = gfMulLanes(e, d);
    }
    const l = gfMulWord(gfInvLanes(e), p);
    for (let t = 0; t < 4 && g + t < k; t++) lambda[g + t] = (l >>> (8 * t)) & 0xff;
  }
  return lambda;
}

/** Every byte of `bytes` times the public scalar `c`. */
export function scaleBytes(bytes: Uint8Array, c: number): Uint8Array {
  const w = packWords(bytes);
  for (let i = 0; i < w.length; i++) w[i] = gfMulWord(w[i] as number, c);
  const out = unpackWords(w, bytes.length);
  w.fill(0);
  return out;
}

/**
 * Raw combine: the polynomials' constant terms from exactly the shares given (the caller checks there are
 * at least k and that they belong together — raw shares cannot tell). All y's must have one length.
 */
export function combineRaw(shares: readonly RawShare[]): Uint8Array {
  if (!Array.isArray(shares)) assert.record(shares, 'shares');
  assert.integer(shares.length, 'shares.length', { min: 2, max: MAX_SHARES });
  const length = (shares[0] as RawShare).y.length;
  const xs = shares.map((s, i) => {
    assert.bytes(s.y, `shares[${i}].y`, { length, minLength: 1 });
    return s.x;
  });
  checkXs(xs, 2, 'shares[].x');
  return interpolateAtZero(shares);
}

/** The bytes y[at .. at + 4) as one little-endian word, zero at and past `end` (positions are public). */
function wordAt(y: Uint8Array, at: number, end: number): number {
  if (at + 4 <= end)
    return (y[at] as number) | ((y[at + 1] as number) << 8) | ((y[at + 2] as number) << 16) | ((y[at + 3] as number) << 24);
  let word = 0;
  for (let t = 0; at + t < end; t++) word |= (y[at + t] as number) << (8 * t);
  return word;
}

/** Four lanes times the polynomial x (xtime, SWAR: no carry between lanes; masked reduction). */
function xtimeWord(w: number): number {
  return ((w & LOW7) << 1) ^ Math.imul((w >>> 7) & HIGH_BITS, 0x1b);
}
const LOW7 = 0x7f7f7f7f;
const HIGH_BITS = 0x01010101;

/**
 * masks[8i + b] = all ones if bit b of λ_i is set: public (made from the x's), so reused across calls
 * rather than allocated (a fresh Int32Array costs as much as the whole sum at k = 3).
 */
const masks = new Int32Array(8 * MAX_SHARES);

/** Where interpolateInto reads each y: bytes[from .. from + length) of every one of `ys`. */
export interface Span {
  readonly from: number;
  readonly length: number;
}

/**
 * Σ λ_i·y_i: the value at 0 of the polynomials through `shares`, which the caller has checked (2..255 of
 * them, one length ≥ 1, distinct x's in 1..255). A new array; see interpolateInto.
 */
export function interpolateAtZero(shares: readonly RawShare[]): Uint8Array {
  const length = (shares[0] as RawShare).y.length;
  const out = new Uint8Array(length);
  interpolateInto(
    shares.map((s) => s.x),
    shares.map((s) => s.y),
    { from: 0, length },
    { bytes: out, at: 0 },
  );
  return out;
}

/**
 * Σ λ_i·y_i into out.bytes[out.at ..], where x_i = xs[i] and y_i = ys[i][span.from .. + span.length) —
 * read in place, so a caller holding encoded shares passes them as they are (ys may be longer than xs;
 * only its first xs.length entries are read). The caller has checked the x's (2..255, distinct, 1..255)
 * and that every y covers the span. Written by the bits of the public λ's rather than as k products:
 * Σ_i λ_i·y_i = Σ_b x^b · P_b with P_b = ⊕ of the y_i whose λ_i has bit b set, evaluated by Horner on
 * the eight P_b (seven xtimes per word in all, instead of eight per share and word). Secret words only
 * meet AND with masks made from public bits, XOR and the masked xtime: no table, and no branch or index
 * depends on them. y is read four bytes to a word straight from the share (no copy to zero); the sums
 * live in locals, one word at a time.
 */
export function interpolateInto(
  xs: readonly number[],
  ys: readonly Uint8Array[],
  span: Span,
  out: { readonly bytes: Uint8Array; readonly at: number },
): void {
  const k = xs.length;
  const lambda = lagrangeAtZero(xs);
  for (let i = 0; i < k; i++) for (let b = 0; b < 8; b++) masks[8 * i + b] = -(((lambda[i] as number) >>> b) & 1);
  const { from, length } = span;
  const end = from + length;
  const dst = out.bytes;
  const shift = out.at - from;
  for (let at = from; at < end; at += 4) {
    let p0 = 0;
    let p1 = 0;
    let p2 = 0;
    let p3 = 0;
    let p4 = 0;
    let p5 = 0;
    let p6 = 0;
    let p7 = 0;
    for (let i = 0; i < k; i++) {
      const word = wordAt(ys[i] as Uint8Array, at, end);
      const m = 8 * i;
      p0 ^= word & (masks[m] as number);
      p1 ^= word & (masks[m + 1] as number);
      p2 ^= word & (masks[m + 2] as number);
      p3 ^= word & (masks[m + 3] as number);
      p4 ^= word & (masks[m + 4] as number);
      p5 ^= word & (masks[m + 5] as number);
      p6 ^= word & (masks[m + 6] as number);
      p7 ^= word & (masks[m + 7] as number);
    }
    let t = xtimeWord(p7) ^ p6;
    t = xtimeWord(t) ^ p5;
    t = xtimeWord(t) ^ p4;
    t = xtimeWord(t) ^ p3;
    t = xtimeWord(t) ^ p2;
    t = xtimeWord(t) ^ p1;
    t = xtimeWord(t) ^ p0;
    for (let b = 0; b < 4 && at + b < end; b++) dst[shift + at + b] = t >>> (8 * b);
  }
}
