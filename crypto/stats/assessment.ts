/**
 * SP 800-22 Rev. 1a §4.2: interpreting a battery run over m sequences.
 * §4.2.1 proportion: the share of sequences passing (P ≥ α) must lie within p̂ ± 3√(p̂(1 − p̂)/m),
 * p̂ = 1 − α. §4.2.2 uniformity: the P-values' histogram over 10 equal bins, χ² against m/10 each,
 * P_T = igamc(9/2, χ²/2), uniform when P_T ≥ 0.0001. Both are computed per P-value slot (each template,
 * each excursion state), as STS's finalAnalysisReport does. A sequence that fails the runs test's
 * frequency prerequisite counts as failing runs (STS reports P = 0); the excursion tests count only the
 * sequences that had enough cycles (as STS does), and a test the sequence length is too short for
 * (e.g. universal below 387 840 bits) is left out of the assessment.
 * STS needs at least 55 sequences for the uniformity verdict to be meaningful; below that it is reported
 * as undetermined.
 */
import { assert } from '../assert.js';
import type { StsResult, StsTestName } from './result.js';
import { igamc } from './special.js';

export interface SlotAssessment {
  readonly test: StsTestName;
  readonly label: string;
  /** Sequences with a P-value for this slot. */
  readonly sequences: number;
  readonly passed: number;
  readonly proportion: number;
  /** The acceptable proportion range [low, high] (§4.2.1). */
  readonly range: readonly [number, number];
  readonly proportionOk: boolean;
  /** Counts of P-values in [0, 0.1), …, [0.9, 1]. */
  readonly histogram: readonly number[];
  /** P_T, or undefined with fewer than 55 sequences. */
  readonly uniformityP?: number;
  readonly uniformityOk?: boolean;
}

export const MIN_SEQUENCES_FOR_UNIFORMITY = 55;
export const UNIFORMITY_THRESHOLD = 0.0001;

export function proportionRange(sequences: number, alpha = 0.01): readonly [number, number] {
  const p = 1 - alpha;
  const d = 3 * Math.sqrt((p * (1 - p)) / sequences);
  return [p - d, p + d];
}

/** P_T of §4.2.2 for a histogram of 10 bins. */
export function uniformityPValue(histogram: readonly number[]): number {
  const total = histogram.reduce((a, b) => a + b, 0);
  const e = total / 10;
  let chi2 = 0;
  for (const f of histogram) chi2 += (f - e) ** 2 / e;
  return igamc(9 / 2, chi2 / 2);
}

/** Assesses the results of many sequences (one `StsResult[]` per sequence). */
export function assessBattery(runs: readonly (readonly StsResult[])[], alpha = 0.01): SlotAssessment[] {
  assert.number(alpha, 'alpha', { min: 1e-6, max: 0.5 });
  const slots = new Map<string, { test: StsTestName; label: string; ps: number[]; inapplicable: number }>();
  const order: string[] = [];
  for (const run of runs) {
    for (const r of run) {
      if (!r.applicable) {
        // Only runs depends on the sequence (its frequency prerequisite): that counts as a failure. The
        // excursion tests (too few cycles) and tests given too short a sequence are left out, as STS does.
        if (r.test !== 'runs') continue;
        const key = `${r.test}\u0000`;
        let s = slots.get(key);
        if (!s) {
          s = { test: r.test, label: '', ps: [], inapplicable: 0 };
          slots.set(key, s);
          order.push(key);
        }
        s.inapplicable++;
        continue;
      }
      r.pValues.forEach((p, i) => {
        const label = r.labels[i] ?? String(i);
        const key = `${r.test}\u0000${r.pValues.length === 1 ? '' : label}`;
        let s = slots.get(key);
        if (!s) {
          s = { test: r.test, label: r.pValues.length === 1 ? label : label, ps: [], inapplicable: 0 };
          slots.set(key, s);
          order.push(key);
        }
        s.ps.push(p);
      });
    }
  }
  return order.map((key) => {
    const s = slots.get(key) as { test: StsTestName; label: string; ps: number[]; inapplicable: number };
    const sequences = s.ps.length + s.inapplicable;
    const passed = s.ps.filter((p) => p >= alpha).length;
    const histogram = new Array<number>(10).fill(0);
    for (const p of s.ps) {
      const bin = Math.min(9, Math.floor(p * 10));
      histogram[bin] = (histogram[bin] as number) + 1;
    }
    const range = proportionRange(Math.max(1, sequences), alpha);
    const proportion = sequences === 0 ? 0 : passed / sequences;
    const base = {
      test: s.test,
      label: s.label,
      sequences,
      passed,
      proportion,
      range,
      proportionOk: sequences > 0 && proportion >= range[0] && proportion <= Math.min(1, range[1]),
      histogram,
    };
    if (s.ps.length < MIN_SEQUENCES_FOR_UNIFORMITY) return base;
    const uniformityP = uniformityPValue(histogram);
    return { ...base, uniformityP, uniformityOk: uniformityP >= UNIFORMITY_THRESHOLD };
  });
}
