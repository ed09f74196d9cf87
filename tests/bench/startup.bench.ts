/**
 * Cold start (`npm run bench -- startup`), issue 10 §4's goals: first byte after a cold `import` < 25 ms,
 * RSS added by `Rng.create()` ≤ 12 MiB. Each figure is the median of several fresh child processes
 * (startup-child.ts), so nothing is warm: module loading, JIT, the self-tests, the native helper, the
 * jitter buffer and every source's start-up test are all paid inside the measurement. Three entries:
 * the package root (`hardened-rng`: also loads keys, post-quantum, HKDF, Secret), the generator alone
 * (crypto/drbg/index.js), and the Rng module itself; the difference is what the root's other exports cost.
 * A fourth row, the floor, loads only node:crypto and the @noble/hashes modules the generator needs: what
 * any entry pays before a line of ours runs, so the < 25 ms goal can be read against it.
 * Wall clock, so a busy machine shows up here; the load average is printed with the table.
 */
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median, printMarkdownTable } from './cpu-time.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const RUNS = 7;
const MiB = 1024 * 1024;

interface Sample {
  readonly importMs: number;
  readonly createMs: number;
  readonly firstByteMs: number;
  readonly rssBefore: number;
  readonly rssAfterImport: number;
  readonly rssAfterFirstByte: number;
}

function coldStart(entry: string): Sample {
  const target = entry === 'floor' ? entry : pathToFileURL(join(root, entry)).href;
  const out = execFileSync(process.execPath, [join(here, 'startup-child.js'), target], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop() ?? '{}') as Sample;
}

export async function run(): Promise<void> {
  const entries: [string, string][] = [
    ['root (hardened-rng)', 'crypto/index.js'],
    ['crypto/drbg/index.js', 'crypto/drbg/index.js'],
    ['crypto/drbg/rng.js', 'crypto/drbg/rng.js'],
    ['floor: node:crypto + noble hashes only (no Rng)', 'floor'],
  ];
  const rows: string[][] = [];
  for (const [name, entry] of entries) {
    const samples: Sample[] = [];
    for (let i = 0; i < RUNS; i++) samples.push(coldStart(entry));
    const m = (f: (s: Sample) => number): number => median(samples.map(f));
    const first = m((s) => s.firstByteMs);
    const added = m((s) => s.rssAfterFirstByte - s.rssAfterImport) / MiB;
    rows.push([
      name,
      m((s) => s.importMs).toFixed(1),
      m((s) => s.createMs).toFixed(1),
      entry === 'floor' ? `${first.toFixed(1)} (the floor)` : `${first.toFixed(1)} (< 25 ${first < 25 ? 'met' : 'MISSED'})`,
      (m((s) => s.rssAfterImport - s.rssBefore) / MiB).toFixed(1),
      entry === 'floor' ? '—' : `${added.toFixed(1)} (≤ 12 ${added <= 12 ? 'met' : 'MISSED'})`,
    ]);
  }
  console.log(
    `clock: wall, median of ${RUNS} fresh processes each; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${'2'} CPUs`,
  );
  printMarkdownTable(
    ['entry', 'import ms', 'create → first byte ms', 'import → first byte ms', 'RSS import MiB', 'RSS added by create MiB'],
    rows,
  );
}
