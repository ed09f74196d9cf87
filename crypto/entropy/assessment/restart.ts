/**
 * SP 800-90B §3.1.4 restart tests, the sanity check of §3.1.4.3 ("most common value in the rows and
 * columns") and the column/row data of §3.1.4.1.
 *
 * The restart matrix has r rows and c columns (1000 × 1000 in the standard): row i is the first c raw
 * samples after restart i of the noise source, stored row after row (the "row dataset"; what
 * `hrng probe jitter --restarts R --samples C` writes). Column j holds the j-th sample of every restart,
 * so a source whose state after a restart is predictable — every restart starting alike — shows up as
 * a column dominated by one value even when each row looks random.
 *
 * Sanity check: X_R is the largest count of any one value within a row, X_C within a column, and
 * X_max = max(X_R, X_C). With p = 2^−H_I (H_I the initial entropy estimate from the sequential
 * assessment) and α = 1 − 0.99^(1/(r+c)) — so that the r + c tests together falsely fail a good source
 * with probability ≤ 1 % — the check fails when X_max > X_cutoff, the (1 − α) quantile of the largest
 * count among the symbols of the worst-case distribution for H_I: ⌊1/p⌋ symbols of probability p and
 * the rest spread evenly over the other observed symbols. NIST's ea_restart finds that quantile by
 * simulation; here it comes from the union bound over those symbols' binomial tails, exact in log space —
 * equal to the quantile when H_I < 1, where only one symbol can have probability p, and within one count
 * of ea_restart's simulated value where that was compared (H_I 1.96 / 1.5 / 1: 323 / 423 / 572 here
 * against 322 / 423 / 573 there — the simulation's own noise is of that size).
 *
 * Not run here: the full §3.1.4.2 validation (every §6.3 estimator on the row and the column dataset,
 * H_r and H_c ≥ H_I / 2) beyond the Most Common Value estimate, which `restartSanityCheck` reports for
 * both. `assessNonIid` on the two datasets computes it (it matched ea_restart's H_r and H_c to four
 * digits, docs/entropy.md) but takes minutes for 2 × 10^6 samples; `hrng probe` prints the ea_restart
 * command for it.
 */
import { assert } from '../../assert.js';
import { logAdd } from '../health/cutoffs.js';
import { mostCommonValueEstimate } from './most-common-value.js';

export interface RestartSanityResult {
  readonly rows: number;
  readonly columns: number;
  /** The initial entropy estimate H_I the cutoff was computed for (bits per sample). */
  readonly hInitial: number;
  readonly alpha: number;
  /** X_cutoff: counts up to this pass. */
  readonly cutoff: number;
  /** X_R and the (first) row that has it. */
  readonly maxRowCount: number;
  readonly worstRow: number;
  /** X_C and the (first) column that has it. */
  readonly maxColumnCount: number;
  readonly worstColumn: number;
  readonly passed: boolean;
  /** §3.1.4.2, Most Common Value only: min-entropy of the row and the column datasets (bits/sample). */
  readonly mcvRows: number;
  readonly mcvColumns: number;
}

/** §3.1.4.3: α = 1 − 0.99^(1/(r + c)). */
export function restartAlpha(rows: number, columns: number): number {
  return -Math.expm1(Math.log(0.99) / (rows + columns));
}

function lnPmfTable(n: number, p: number): Float64Array {
  const out = new Float64Array(n + 1);
  if (p <= 0 || p >= 1) {
    out.fill(-Infinity);
    out[p <= 0 ? 0 : n] = 0;
    return out;
  }
  const lnP = Math.log(p);
  const lnQ = Math.log1p(-p);
  let lnFact = 0;
  const lnFacts = new Float64Array(n + 1);
  for (let i = 1; i <= n; i++) lnFacts[i] = lnFact += Math.log(i);
  for (let j = 0; j <= n; j++) out[j] = (lnFacts[n] ?? 0) - (lnFacts[j] ?? 0) - (lnFacts[n - j] ?? 0) + j * lnP + (n - j) * lnQ;
  return out;
}

/**
 * X_cutoff for n samples per row/column: the smallest x with
 * ⌊1/p⌋ · P(Bin(n, p) > x) + (k − ⌊1/p⌋) · P(Bin(n, p_rest) > x) ≤ α, where p = 2^−H_I and the remaining
 * probability 1 − ⌊1/p⌋·p is spread over the other k − ⌊1/p⌋ symbols (k = alphabet size).
 */
export function restartCutoff(n: number, hInitial: number, alpha: number, alphabetSize: number): number {
  assert.integer(n, 'n', { min: 1 });
  assert.number(hInitial, 'hInitial', { min: 0, max: 8 });
  assert.number(alpha, 'alpha', { min: Number.MIN_VALUE, max: 0.5 });
  assert.integer(alphabetSize, 'alphabetSize', { min: 1, max: 256 });
  const p = 2 ** -hInitial;
  const kMax = Math.max(1, Math.floor(1 / p + 1e-12));
  const k = Math.max(alphabetSize, kMax);
  const rest = k > kMax ? (1 - kMax * p) / (k - kMax) : 0;
  const top = lnPmfTable(n, p);
  const low = lnPmfTable(n, rest);
  const lnAlpha = Math.log(alpha);
  // Walk down from x = n: tails are P(X > x), accumulated in log space.
  let tailTop = -Infinity;
  let tailLow = -Infinity;
  for (let x = n - 1; x >= 0; x--) {
    tailTop = logAdd(tailTop, top[x + 1] ?? -Infinity);
    tailLow = logAdd(tailLow, low[x + 1] ?? -Infinity);
    const combined = logAdd(Math.log(kMax) + tailTop, k > kMax ? Math.log(k - kMax) + tailLow : -Infinity);
    if (combined > lnAlpha) return x + 1;
  }
  return 0;
}

/** The column dataset (§3.1.4.1): column j of the r × c row dataset becomes row j. */
export function restartColumns(matrix: Uint8Array, rows: number, columns: number): Uint8Array {
  const out = new Uint8Array(rows * columns);
  for (let i = 0; i < rows; i++) for (let j = 0; j < columns; j++) out[j * rows + i] = matrix[i * columns + j] ?? 0;
  return out;
}

/** The largest count of one value in any of `lines` consecutive lines of `length` bytes, and where. */
function maxLineCount(data: Uint8Array, lines: number, length: number): { readonly count: number; readonly line: number } {
  const counts = new Uint32Array(256);
  let best = 0;
  let at = 0;
  for (let i = 0; i < lines; i++) {
    counts.fill(0);
    let lineMax = 0;
    for (let j = i * length, end = j + length; j < end; j++) {
      const v = data[j] ?? 0;
      const c = (counts[v] = (counts[v] ?? 0) + 1);
      if (c > lineMax) lineMax = c;
    }
    if (lineMax > best) {
      best = lineMax;
      at = i;
    }
  }
  return { count: best, line: at };
}

/** The §3.1.4.3 sanity check of a row dataset of `rows` restarts × `columns` samples (default 1000 × 1000). */
export function restartSanityCheck(
  matrix: Uint8Array,
  options: { readonly hInitial: number; readonly rows?: number; readonly columns?: number },
): RestartSanityResult {
  assert.bytes(matrix, 'matrix');
  const rows = assert.integer(options.rows ?? 1000, 'rows', { min: 2 });
  const columns = assert.integer(options.columns ?? 1000, 'columns', { min: 2 });
  if (matrix.length !== rows * columns) assert.bytes(matrix, 'matrix', { length: rows * columns });
  const hInitial = assert.number(options.hInitial, 'hInitial', { min: 0, max: 8 });
  const present = new Uint8Array(256);
  for (const v of matrix) present[v] = 1;
  const alphabet = present.reduce((a, b) => a + b, 0);
  const alpha = restartAlpha(rows, columns);
  // Rows have `columns` samples and columns `rows`; with r ≠ c each gets its own cutoff, the larger
  // line length's being the binding one for X_max as the standard states it for r = c.
  const cutoff = restartCutoff(Math.max(rows, columns), hInitial, alpha, alphabet);
  const cols = restartColumns(matrix, rows, columns);
  const r = maxLineCount(matrix, rows, columns);
  const c = maxLineCount(cols, columns, rows);
  return {
    rows,
    columns,
    hInitial,
    alpha,
    cutoff,
    maxRowCount: r.count,
    worstRow: r.line,
    maxColumnCount: c.count,
    worstColumn: c.line,
    passed: Math.max(r.count, c.count) <= cutoff,
    mcvRows: mostCommonValueEstimate(matrix).minEntropy,
    mcvColumns: mostCommonValueEstimate(cols).minEntropy,
  };
}
