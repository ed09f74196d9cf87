/**
 * Suffix array and LCP array, the structure behind the t-Tuple and LRS estimates (SP 800-90B §6.3.5–
 * §6.3.6), so that tuple counts for every length come from one O(n log n) pass instead of one hash
 * table per length. Prefix doubling with counting sorts (Manber–Myers), then Kasai et al.'s linear
 * LCP — the same two arrays NIST's ea_non_iid builds with divsufsort.
 */

/** sa[r] = start of the r-th smallest suffix of s. */
export function suffixArray(s: Uint8Array): Int32Array {
  const n = s.length;
  const sa = new Int32Array(n);
  let rank = new Int32Array(n);
  let next = new Int32Array(n);
  const bySecond = new Int32Array(n);
  const count = new Int32Array(Math.max(n, 256) + 1);
  for (let i = 0; i < n; i++) count[(s[i] ?? 0) + 1]!++;
  for (let v = 1; v <= 256; v++) count[v]! += count[v - 1]!;
  for (let i = 0; i < n; i++) sa[count[s[i] ?? 0]!++] = i;
  let classes = 0;
  for (let r = 0; r < n; r++) {
    const i = sa[r]!;
    if (r > 0 && s[i] !== s[sa[r - 1]!]) classes++;
    rank[i] = classes;
  }
  classes++;
  for (let k = 1; classes < n; k <<= 1) {
    // Order by the second key (rank of i+k; suffixes shorter than k+1 first), then stably by the first.
    let p = 0;
    for (let i = n - k; i < n; i++) bySecond[p++] = i;
    for (let r = 0; r < n; r++) if (sa[r]! >= k) bySecond[p++] = sa[r]! - k;
    count.fill(0, 0, classes + 1);
    for (let i = 0; i < n; i++) count[rank[i]! + 1]!++;
    for (let c = 1; c <= classes; c++) count[c]! += count[c - 1]!;
    for (let j = 0; j < n; j++) {
      const i = bySecond[j]!;
      sa[count[rank[i]!]!++] = i;
    }
    classes = 0;
    next[sa[0]!] = 0;
    for (let r = 1; r < n; r++) {
      const a = sa[r - 1]!;
      const b = sa[r]!;
      const a2 = a + k < n ? rank[a + k]! : -1;
      const b2 = b + k < n ? rank[b + k]! : -1;
      if (rank[a] !== rank[b] || a2 !== b2) classes++;
      next[b] = classes;
    }
    classes++;
    [rank, next] = [next, rank];
  }
  return sa;
}

/** lcp[r] = length of the longest common prefix of suffixes sa[r−1] and sa[r]; lcp[0] = 0. */
export function lcpArray(s: Uint8Array, sa: Int32Array): Int32Array {
  const n = s.length;
  const rank = new Int32Array(n);
  for (let r = 0; r < n; r++) rank[sa[r]!] = r;
  const lcp = new Int32Array(n);
  let h = 0;
  for (let i = 0; i < n; i++) {
    const r = rank[i]!;
    if (r > 0) {
      const j = sa[r - 1]!;
      while (i + h < n && j + h < n && s[i + h] === s[j + h]) h++;
      lcp[r] = h;
      if (h > 0) h--;
    } else {
      h = 0;
    }
  }
  return lcp;
}

/** Per tuple length W = 1..v (v = the longest repeated substring's length), from the LCP array. */
export interface TupleCounts {
  /** Length of the longest repeated substring (0 when no symbol repeats). */
  readonly v: number;
  /** maxCount[W] = occurrences of the most common W-tuple (overlapping), for W = 1..v; index 0 unused. */
  readonly maxCount: Float64Array;
  /** pairs[W] = Σ over distinct W-tuples of C(count, 2): pairs of positions whose W-tuples agree. */
  readonly pairs: Float64Array;
}

/**
 * Each LCP index j is the leftmost minimum of (j − prevLessOrEqual)·(nextLess − j) intervals, i.e.
 * of that many suffix pairs whose common prefix is exactly lcp[j]; and the maximal run where the
 * LCP stays ≥ lcp[j] is one group of (nextLess − prevLess) suffixes sharing an lcp[j]-prefix.
 */
export function tupleCounts(s: Uint8Array): TupleCounts {
  const n = s.length;
  const lcp = lcpArray(s, suffixArray(s));
  let v = 0;
  for (let r = 1; r < n; r++) if (lcp[r]! > v) v = lcp[r]!;
  const prevLess = new Int32Array(n);
  const prevLessEq = new Int32Array(n);
  const nextLess = new Int32Array(n);
  const stack = new Int32Array(n);
  let top = 0;
  // Indices 1..n−1 carry LCP values; 0 and n act as sentinels of value −∞.
  for (let j = 1; j < n; j++) {
    while (top > 0 && lcp[stack[top - 1]!]! >= lcp[j]!) top--;
    prevLess[j] = top > 0 ? stack[top - 1]! : 0;
    stack[top++] = j;
  }
  top = 0;
  for (let j = 1; j < n; j++) {
    while (top > 0 && lcp[stack[top - 1]!]! > lcp[j]!) top--;
    prevLessEq[j] = top > 0 ? stack[top - 1]! : 0;
    stack[top++] = j;
  }
  top = 0;
  for (let j = n - 1; j >= 1; j--) {
    while (top > 0 && lcp[stack[top - 1]!]! >= lcp[j]!) top--;
    nextLess[j] = top > 0 ? stack[top - 1]! : n;
    stack[top++] = j;
  }
  const exactPairs = new Float64Array(v + 2);
  const best = new Float64Array(v + 2);
  for (let j = 1; j < n; j++) {
    const l = lcp[j]!;
    if (l === 0) continue;
    exactPairs[l]! += (j - prevLessEq[j]!) * (nextLess[j]! - j);
    const group = nextLess[j]! - prevLess[j]!;
    if (group > best[l]!) best[l] = group;
  }
  const maxCount = new Float64Array(v + 1);
  const pairs = new Float64Array(v + 1);
  let runningBest = 1;
  let runningPairs = 0;
  for (let w = v; w >= 1; w--) {
    runningBest = Math.max(runningBest, best[w]!);
    runningPairs += exactPairs[w]!;
    maxCount[w] = runningBest;
    pairs[w] = runningPairs;
  }
  return { v, maxCount, pairs };
}
