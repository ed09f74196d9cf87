/**
 * SP 800-22 Rev. 1a §2.14 (random excursions) and §2.15 (random excursions variant), on the cycles of the
 * ±1 walk S_k (a cycle ends where S returns to 0, and at n). J < max(0.005√n, 500) cycles makes both
 * tests not applicable (STS 2.1.2's constraint). §2.14: states ±1..±4, visit counts per cycle classed
 * 0..≥5 against the §3.14 probabilities, P = igamc(5/2, χ²/2). §2.15: states ±1..±9, ξ(x) = total visits,
 * P = erfc(|ξ(x) − J| / √(2J(4|x| − 2))).
 */
import type { Bits } from './bits.js';
import { applicable, notApplicable, type StsResult } from './result.js';
import { erfc, igamc } from './special.js';

const PI = [
  [0.5, 0.25, 0.125, 0.0625, 0.03125, 0.03125],
  [0.75, 0.0625, 0.046875, 0.03515625, 0.0263671875, 0.0791015625],
  [0.8333333333, 0.02777777778, 0.02314814815, 0.01929012346, 0.01607510288, 0.0803755143],
  [0.875, 0.015625, 0.013671875, 0.01196289063, 0.0104675293, 0.0732727051],
];
const STATES = [-4, -3, -2, -1, 1, 2, 3, 4];
const VARIANT_STATES = [-9, -8, -7, -6, -5, -4, -3, -2, -1, 1, 2, 3, 4, 5, 6, 7, 8, 9];

function label(x: number): string {
  return x > 0 ? `x=+${x}` : `x=${x}`;
}

/** The number of cycles J, or a reason the tests do not apply. */
function cycles(bits: Bits): { readonly j: number; readonly walk: Int32Array } | string {
  const n = bits.length;
  const walk = new Int32Array(n);
  let s = 0;
  let j = 0;
  for (let i = 0; i < n; i++) {
    s += bits[i] === 1 ? 1 : -1;
    walk[i] = s;
    if (s === 0) j++;
  }
  if (n > 0 && walk[n - 1] !== 0) j++;
  const constraint = Math.max(0.005 * Math.sqrt(n), 500);
  if (j < constraint) return `J = ${j} cycles < ${constraint}`;
  return { j, walk };
}

export function randomExcursionsTest(bits: Bits): StsResult {
  const c = cycles(bits);
  if (typeof c === 'string') return notApplicable('random-excursions', c);
  const { j, walk } = c;
  // nu[k][state]: cycles in which the state was visited k times (k = 5 means ≥ 5).
  const nu = Array.from({ length: 6 }, () => new Float64Array(8));
  const counter = new Int32Array(8);
  for (let i = 0; i < walk.length; i++) {
    const s = walk[i] as number;
    if (s >= -4 && s <= 4 && s !== 0) {
      const idx = s < 0 ? s + 4 : s + 3;
      counter[idx] = (counter[idx] as number) + 1;
    }
    if (s === 0 || i === walk.length - 1) {
      for (let x = 0; x < 8; x++) {
        const k = Math.min(counter[x] as number, 5);
        (nu[k] as Float64Array)[x] = ((nu[k] as Float64Array)[x] as number) + 1;
      }
      counter.fill(0);
    }
  }
  const pValues: number[] = [];
  for (let x = 0; x < 8; x++) {
    const pi = PI[Math.abs(STATES[x] as number) - 1] as number[];
    let chi2 = 0;
    for (let k = 0; k < 6; k++) {
      const e = j * (pi[k] as number);
      chi2 += (((nu[k] as Float64Array)[x] as number) - e) ** 2 / e;
    }
    pValues.push(igamc(2.5, chi2 / 2));
  }
  return applicable('random-excursions', pValues, STATES.map(label));
}

export function randomExcursionsVariantTest(bits: Bits): StsResult {
  const c = cycles(bits);
  if (typeof c === 'string') return notApplicable('random-excursions-variant', c);
  const { j, walk } = c;
  const visits = new Float64Array(19);
  for (let i = 0; i < walk.length; i++) {
    const s = walk[i] as number;
    if (s >= -9 && s <= 9) visits[s + 9] = (visits[s + 9] as number) + 1;
  }
  const pValues = VARIANT_STATES.map((x) => erfc(Math.abs((visits[x + 9] as number) - j) / Math.sqrt(2 * j * (4 * Math.abs(x) - 2))));
  return applicable('random-excursions-variant', pValues, VARIANT_STATES.map(label));
}
