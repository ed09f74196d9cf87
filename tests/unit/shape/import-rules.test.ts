/**
 * Import rules over the whole source tree as it is when run (type-only imports included):
 * - no import cycles;
 * - layers depend one way (COMMON.md): crypto/ on nothing of ours; hsm/ on crypto/; consensus/, quorum/,
 *   server/ on crypto/ and hsm/; signer/ also on consensus/; cli/ on all;
 * - another layer is imported only through an entry: its `index.ts` or a package.json "exports" entry
 *   (e.g. `hardened-rng/entropy`), never an internal file — except the few allowed below, each with why.
 */
import { describe, expect, it } from 'vitest';
import { importCycles, importGraph, layerOf, packageEntries } from '../../helpers/import-graph.js';

const root = process.cwd();

/** What each layer may import (besides itself). A new layer must be added here: the test says so. */
const LAYER_DEPENDENCIES: Readonly<Record<string, readonly string[]>> = {
  crypto: [],
  hsm: ['crypto'],
  consensus: ['crypto', 'hsm'],
  quorum: ['crypto', 'hsm'],
  server: ['crypto', 'hsm'],
  signer: ['crypto', 'hsm', 'consensus'],
  cli: ['crypto', 'hsm', 'consensus', 'quorum', 'server', 'signer'],
};

/** Internal files other layers may import directly, and why. */
const ALLOWED_INTERNAL: Readonly<Record<string, string>> = {
  'crypto/errors.ts':
    "the error root and ErrorCodeTable: each layer's errors.ts extends it, and loading the whole crypto index for one base class would make every errors.ts depend on all of crypto/",
  'crypto/assert.ts':
    'the one assertion module (COMMON.md): each layer binds it once with its own invalid-argument error, as errors.ts does with the error root',
  'crypto/entropy/index.ts':
    "the entropy layer's index: the package entry hardened-rng/entropy once package.json exports it (then this line is redundant)",
};

/** Single imports past an entry that must stay for now, `from -> to`, and why. */
const ALLOWED_EDGES: Readonly<Record<string, string>> = {
  'cli/commands/status.ts -> crypto/drbg/monitor.ts':
    'sourceReport() (the per-source report for a generator that failed to start) is in no package entry yet; export it from crypto/drbg/index.ts and drop this line',
};

const graph = importGraph(root);
const entries = new Set(packageEntries(root).values());

function edges(): [string, string][] {
  return [...graph].flatMap(([from, targets]) => targets.map((to) => [from, to] as [string, string]));
}

describe('import rules', () => {
  it('the graph covers the tree (sanity: the scan sees imports)', () => {
    expect(graph.size).toBeGreaterThan(50);
    expect(graph.get('cli/main.ts')).toContain('cli/commands/index.ts');
  });

  it('no import cycles (type-only imports count)', () => {
    expect(importCycles(graph)).toEqual([]);
  });

  it('every layer is known and depends only on the layers below it', () => {
    const unknown = [...new Set([...graph.keys()].map(layerOf))].filter((l) => !(l in LAYER_DEPENDENCIES));
    expect(unknown, 'add the new layer to LAYER_DEPENDENCIES').toEqual([]);
    const wrong = edges()
      .filter(([from, to]) => layerOf(from) !== layerOf(to) && !(LAYER_DEPENDENCIES[layerOf(from)] ?? []).includes(layerOf(to)))
      .map(([from, to]) => `${from} -> ${to}`);
    expect(wrong).toEqual([]);
  });

  it('other layers import a layer only through its index.ts or a package entry', () => {
    const past = edges()
      .filter(([from, to]) => layerOf(from) !== layerOf(to))
      .filter(([, to]) => to !== `${layerOf(to)}/index.ts` && !entries.has(to) && !(to in ALLOWED_INTERNAL))
      .map(([from, to]) => `${from} -> ${to}`)
      .filter((edge) => !(edge in ALLOWED_EDGES));
    expect(past).toEqual([]);
  });

  it('every allowed exception is still needed (so the lists shrink as the code improves)', () => {
    const used = new Set(edges().map(([from, to]) => `${from} -> ${to}`));
    const stale = Object.keys(ALLOWED_EDGES).filter((edge) => !used.has(edge));
    expect(stale).toEqual([]);
  });
});

describe('the checks can fail', () => {
  it('finds a cycle, a self-import and leaves a chain alone', () => {
    const g = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['d.ts']],
      ['e.ts', ['a.ts']],
    ]);
    expect(importCycles(g)).toEqual([['a.ts', 'b.ts', 'c.ts'], ['d.ts']]);
    expect(
      importCycles(
        new Map([
          ['x.ts', ['y.ts']],
          ['y.ts', []],
        ]),
      ),
    ).toEqual([]);
  });
});
