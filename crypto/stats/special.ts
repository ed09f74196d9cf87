/**
 * The special functions SP 800-22 Rev. 1a §5.5.3 names: erfc, igamc (the regularized upper incomplete
 * gamma function Q(a, x)) and the standard normal distribution Φ.
 *
 * erfc and ln Γ come from @stdlib. igamc does not: @stdlib/math-base-special-gammainc 0.3.1 is off by
 * ~1 % for large a with x near a (Q(3906, 3956.05) = 0.21299 against 0.21107 from SciPy and mpmath),
 * exactly the regime of the block-frequency (a = N/2 = 3906) and serial (a = 2^14/2) tests, so Appendix B
 * cannot be reproduced with it. igamc below is the classical pair STS itself links (Cephes igam/igamc:
 * the power series for P(a, x) when x < max(1, a), the continued fraction for Q(a, x) otherwise), with
 * ln Γ from @stdlib; tests/unit/stats/special.test.ts checks it against SciPy values.
 *
 * @stdlib's packages are CommonJS trees of many small modules (~60 ms to load): they are required on
 * first use, so that importing the package root for `Rng` does not pay for the battery (issue 10 §4).
 */
import { createRequire } from 'node:module';

type RealFunction = (x: number) => number;
const load = createRequire(import.meta.url);
let erfcFn: RealFunction | undefined;
let gammalnFn: RealFunction | undefined;
const erfcImpl = (x: number): number => (erfcFn ??= load('@stdlib/math-base-special-erfc') as RealFunction)(x);
const gammaln = (x: number): number => (gammalnFn ??= load('@stdlib/math-base-special-gammaln') as RealFunction)(x);

const MACHEP = 2 ** -53;
const MAXLOG = Math.log(Number.MAX_VALUE);
const BIG = 4.503599627370496e15;
const BIG_INV = 2.22044604925031308085e-16;

/** The complementary error function. */
export function erfc(x: number): number {
  return erfcImpl(x);
}

/** The regularized lower incomplete gamma function P(a, x). */
export function igam(a: number, x: number): number {
  if (x <= 0 || a <= 0) return 0;
  if (x > 1 && x > a) return 1 - igamc(a, x);
  const lnAx = a * Math.log(x) - x - gammaln(a);
  if (lnAx < -MAXLOG) return 0;
  let r = a;
  let c = 1;
  let ans = 1;
  do {
    r += 1;
    c *= x / r;
    ans += c;
  } while (c / ans > MACHEP);
  return (ans * Math.exp(lnAx)) / a;
}

/** igamc(a, x) = Q(a, x) = Γ(a, x) / Γ(a) (SP 800-22 §5.5.3; cephes_igamc). */
export function igamc(a: number, x: number): number {
  if (x <= 0 || a <= 0) return 1;
  if (x < 1 || x < a) return 1 - igam(a, x);
  const lnAx = a * Math.log(x) - x - gammaln(a);
  if (lnAx < -MAXLOG) return 0;
  let y = 1 - a;
  let z = x + y + 1;
  let c = 0;
  let pkm2 = 1;
  let qkm2 = x;
  let pkm1 = x + 1;
  let qkm1 = z * x;
  let ans = pkm1 / qkm1;
  let t: number;
  do {
    c += 1;
    y += 1;
    z += 2;
    const yc = y * c;
    const pk = pkm1 * z - pkm2 * yc;
    const qk = qkm1 * z - qkm2 * yc;
    if (qk !== 0) {
      const r = pk / qk;
      t = Math.abs((ans - r) / r);
      ans = r;
    } else t = 1;
    pkm2 = pkm1;
    pkm1 = pk;
    qkm2 = qkm1;
    qkm1 = qk;
    if (Math.abs(pk) > BIG) {
      pkm2 *= BIG_INV;
      pkm1 *= BIG_INV;
      qkm2 *= BIG_INV;
      qkm1 *= BIG_INV;
    }
  } while (t > MACHEP);
  return ans * Math.exp(lnAx);
}

/** Φ(x), the standard normal cumulative distribution (STS cephes_normal). */
export function normalCdf(x: number): number {
  return 0.5 * erfcImpl(-x / Math.SQRT2);
}
