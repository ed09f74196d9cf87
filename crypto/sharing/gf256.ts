/**
 * Arithmetic in GF(2^8) = GF(2)[x] / (x^8 + x^4 + x^3 + x + 1) (0x11b, the AES field, FIPS 197 §4), the
 * field of Shamir's scheme over bytes (and of `shamir-secret-sharing` and HashiCorp Vault, so shares
 * interoperate).
 *
 * Constant time by construction and WITHOUT TABLES: log/exp tables index memory by a secret byte, which
 * is a cache-timing channel (HashiCorp Vault's table-based field, CVE-2023-25000). Here multiplication is
 * shift-and-xor where every conditional step is a mask (`-(bit)` is 0 or all ones), inversion is
 * exponentiation a^254 = a^-1 (Fermat; 0 maps to 0) along a fixed square-and-multiply chain, and no
 * branch or index depends on an operand. The `…Word` forms do the same on four bytes packed in a 32-bit
 * word (SWAR: the lanes never carry into each other), which is how split and combine go fast; the
 * `…Lanes` forms multiply (and invert) four independent pairs, lane by lane (the Lagrange coefficients).
 * Measured by the dudect gate (tests/adversarial/timing/sharing-targets.ts), not trusted on reading.
 */

/** a · b in GF(256); both operands may be secret. */
export function gfMul(a: number, b: number): number {
  let r = 0;
  let x = a & 0xff;
  let y = b & 0xff;
  for (let i = 0; i < 8; i++) {
    r ^= x & -(y & 1);
    // xtime: multiply by the polynomial x, reducing by 0x11b when bit 7 falls out (masked, no branch).
    x = ((x << 1) ^ (0x1b & -(x >>> 7))) & 0xff;
    y >>>= 1;
  }
  return r;
}

/** a^-1 in GF(256) as a^254 (and 0 for 0); a may be secret. */
export function gfInv(a: number): number {
  return pow254(a, gfMul);
}

/** a^254 by `mul` along a fixed square-and-multiply chain (254 = 0b11111110): the same operations for every a. */
function pow254(a: number, mul: (x: number, y: number) => number): number {
  const a2 = mul(a, a);
  const a3 = mul(a2, a);
  const a6 = mul(a3, a3);
  const a12 = mul(a6, a6);
  const a15 = mul(a12, a3);
  const a30 = mul(a15, a15);
  const a60 = mul(a30, a30);
  const a63 = mul(a60, a3);
  const a126 = mul(a63, a63);
  const a127 = mul(a126, a);
  return mul(a127, a127);
}

/** a / b = a · b^-1 (b ≠ 0 is the caller's rule: b = 0 yields 0). */
export function gfDiv(a: number, b: number): number {
  return gfMul(a, gfInv(b));
}

const LOW7 = 0x7f7f7f7f;
const HIGH_BITS = 0x01010101;

/** Four independent products: each byte lane of `word` times the same scalar `c`. */
export function gfMulWord(word: number, c: number): number {
  let r = 0;
  let x = word | 0;
  let y = c & 0xff;
  for (let i = 0; i < 8; i++) {
    r ^= x & -(y & 1);
    x = ((x & LOW7) << 1) ^ Math.imul((x >>> 7) & HIGH_BITS, 0x1b);
    y >>>= 1;
  }
  return r | 0;
}

/** Four independent products: each byte lane of `a` times the same lane of `b` (both may be secret). */
export function gfMulLanes(a: number, b: number): number {
  let r = 0;
  let x = a | 0;
  for (let i = 0; i < 8; i++) {
    // Lane masks from bit i of each lane of b: 0 or 1 per lane, times 0xff (no carry between lanes).
    r ^= x & Math.imul((b >>> i) & HIGH_BITS, 0xff);
    x = ((x & LOW7) << 1) ^ Math.imul((x >>> 7) & HIGH_BITS, 0x1b);
  }
  return r | 0;
}

/** Each byte lane inverted, a^254 along gfInv's fixed chain (0 maps to 0). */
export function gfInvLanes(a: number): number {
  return pow254(a, gfMulLanes);
}
