/**
 * SP 800-22 Rev. 1a §2.3 (runs) and §2.4 (longest run of ones in a block).
 * §2.3: the frequency prerequisite |π − ½| ≥ τ = 2/√n makes the test not applicable (STS reports P = 0;
 * here it is reported as not applicable, which the assessment counts as a failure, as STS does).
 * §2.4: M = 8, 128 or 10^4 by n (§2.4.2 table) with the class probabilities STS 2.1.2 uses; n < 128 is
 * not applicable.
 */
import type { Bits } from './bits.js';
import { applicable, notApplicable, type StsResult } from './result.js';
import { erfc, igamc } from './special.js';

export function runsTest(bits: Bits): StsResult {
  const n = bits.length;
  let ones = 0;
  for (let i = 0; i < n; i++) ones += bits[i] as number;
  const pi = ones / n;
  if (Math.abs(pi - 0.5) >= 2 / Math.sqrt(n))
    return notApplicable('runs', `frequency prerequisite failed: |π − ½| = ${Math.abs(pi - 0.5)} ≥ 2/√n`);
  let v = 1;
  for (let k = 1; k < n; k++) if (bits[k] !== bits[k - 1]) v++;
  const arg = Math.abs(v - 2 * n * pi * (1 - pi)) / (2 * pi * (1 - pi) * Math.sqrt(2 * n));
  return applicable('runs', [erfc(arg)], ['']);
}

interface LongestRunParams {
  readonly m: number;
  /** The classes v_0 ≤ … ≤ v_K: runs ≤ v_0 go to class 0, ≥ v_K to class K. */
  readonly v: readonly number[];
  readonly pi: readonly number[];
}

const SMALL: LongestRunParams = { m: 8, v: [1, 2, 3, 4], pi: [0.21484375, 0.3671875, 0.23046875, 0.1875] };
const MEDIUM: LongestRunParams = {
  m: 128,
  v: [4, 5, 6, 7, 8, 9],
  pi: [0.1174035788, 0.242955959, 0.249363483, 0.17517706, 0.102701071, 0.112398847],
};
// STS 2.1.2's four-digit probabilities (Appendix B's 0.718945 for e needs exactly these).
const LARGE: LongestRunParams = { m: 10000, v: [10, 11, 12, 13, 14, 15, 16], pi: [0.0882, 0.2092, 0.2483, 0.1933, 0.1208, 0.0675, 0.0727] };

export function longestRunTest(bits: Bits): StsResult {
  const n = bits.length;
  if (n < 128) return notApplicable('longest-run', `n = ${n} < 128`);
  const p = n < 6272 ? SMALL : n < 750000 ? MEDIUM : LARGE;
  const k = p.v.length - 1;
  const blocks = Math.floor(n / p.m);
  const nu = new Array<number>(k + 1).fill(0);
  for (let b = 0; b < blocks; b++) {
    let longest = 0;
    let run = 0;
    const start = b * p.m;
    for (let j = 0; j < p.m; j++) {
      if (bits[start + j] === 1) {
        run++;
        if (run > longest) longest = run;
      } else run = 0;
    }
    const lo = p.v[0] as number;
    const hi = p.v[k] as number;
    const cls = longest <= lo ? 0 : longest >= hi ? k : longest - lo;
    nu[cls] = (nu[cls] as number) + 1;
  }
  let chi2 = 0;
  for (let i = 0; i <= k; i++) {
    const e = blocks * (p.pi[i] as number);
    chi2 += ((nu[i] as number) - e) ** 2 / e;
  }
  return applicable('longest-run', [igamc(k / 2, chi2 / 2)], [`M=${p.m}`]);
}
