/**
 * The garbage collector's pauses in this process, for the signer bench's tail: a `gc` PerformanceObserver
 * (node:perf_hooks) records each pause's start and length on the wall clock (epoch ms: performance.timeOrigin
 * + startTime), so a round trip measured in another process can be matched against them.
 *
 * Not a `*.bench.ts` file: tests/bench/main.ts runs every one of those as a benchmark.
 */
import { constants, PerformanceObserver } from 'node:perf_hooks';

/** One pause: [start, end) in epoch ms, and its kind (a name from KIND). */
export type Pause = readonly [number, number, string?];

/** V8's kinds of collection as perf_hooks reports them: scavenge, mark-compact, incremental marking, weak callbacks. */
const KIND = new Map<number, string>([
  [constants.NODE_PERFORMANCE_GC_MINOR, 'minor'],
  [constants.NODE_PERFORMANCE_GC_MAJOR, 'major'],
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL, 'incremental'],
  [constants.NODE_PERFORMANCE_GC_WEAKCB, 'weak callbacks'],
]);

/** Records pauses until `stop()`, which returns them (observer callbacks are flushed first). */
export function watchGc(): { stop(): Promise<Pause[]> } {
  const pauses: Pause[] = [];
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const start = performance.timeOrigin + e.startTime;
      // Node's gc entries carry { kind } in `detail` (perf_hooks); the DOM type of PerformanceEntry lacks it.
      const kind = (e as { detail?: { kind?: number } }).detail?.kind;
      pauses.push([start, start + e.duration, KIND.get(kind ?? -1) ?? `kind ${kind}`]);
    }
  });
  obs.observe({ entryTypes: ['gc'] });
  return {
    async stop(): Promise<Pause[]> {
      // Entries are delivered asynchronously: one turn of the loop hands over the last ones.
      await new Promise((r) => setImmediate(r));
      obs.disconnect();
      return pauses;
    },
  };
}

/** The wall-clock span [start, start + ms) of each sample, in epoch ms. */
export type Span = readonly [number, number];

/**
 * How the slowest `share` of the samples relate to pauses: how many of them overlap at least one pause, and
 * the pauses' count, longest length and that one's kind within [from, to).
 */
export function tailOverlap(
  spans: readonly Span[],
  pauses: readonly Pause[],
  share = 0.01,
): { slowOverlapping: number; slow: number; count: number; maxMs: number; longest: string } {
  const from = spans[0]?.[0] ?? 0;
  const to = spans.at(-1)?.[1] ?? 0;
  const inside = pauses.filter(([s, e]) => e > from && s < to);
  const slow = Math.max(1, Math.round(spans.length * share));
  const slowest = [...spans].sort((a, b) => b[1] - b[0] - (a[1] - a[0])).slice(0, slow);
  const slowOverlapping = slowest.filter(([s, e]) => inside.some(([ps, pe]) => pe > s && ps < e)).length;
  const longest = inside.reduce<Pause | undefined>((m, p) => (m === undefined || p[1] - p[0] > m[1] - m[0] ? p : m), undefined);
  return {
    slowOverlapping,
    slow,
    count: inside.length,
    maxMs: longest === undefined ? 0 : longest[1] - longest[0],
    longest: longest?.[2] ?? '',
  };
}
