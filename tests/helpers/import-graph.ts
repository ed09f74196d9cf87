/**
 * The import graph of the source tree (type-only imports included), for the shape tests: which file
 * imports which, the strongly connected components (Tarjan) that make import cycles, and the package
 * entries (package.json "exports") that other layers may import a layer through.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { importsOf, sourceFiles } from '../../scripts/source-tree.mjs';

export type ImportGraph = ReadonlyMap<string, readonly string[]>;

/** `./x.js` from `dir/file.ts` → `dir/x.ts` when that file exists; undefined for packages and other files. */
export function resolveImport(root: string, from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const target = posix.normalize(posix.join(posix.dirname(from), specifier));
  for (const candidate of [target.replace(/\.js$/, '.ts'), `${target}.ts`, `${target}/index.ts`]) {
    if (existsSync(join(root, candidate))) return candidate;
  }
  return undefined;
}

/** Every source file → the source files it imports or re-exports from. */
export function importGraph(root: string, files: readonly string[] = sourceFiles(root)): ImportGraph {
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const targets = importsOf(root, file)
      .map((s) => resolveImport(root, file, s))
      .filter((t): t is string => t !== undefined);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** The cycles: strongly connected components of more than one file, or a file that imports itself. */
export function importCycles(graph: ImportGraph): string[][] {
  let index = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  // Iterative Tarjan: the tree can be deep enough that recursion per import would be fragile.
  for (const start of graph.keys()) {
    if (indexOf.has(start)) continue;
    const work: [string, number][] = [[start, 0]];
    while (work.length > 0) {
      const top = work[work.length - 1] as [string, number];
      const [v, i] = top;
      if (i === 0) {
        indexOf.set(v, index);
        low.set(v, index);
        index++;
        stack.push(v);
        onStack.add(v);
      }
      const edges = graph.get(v) ?? [];
      if (i < edges.length) {
        top[1] = i + 1;
        const w = edges[i] as string;
        if (!indexOf.has(w)) work.push([w, 0]);
        else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, indexOf.get(w) as number));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent[0], Math.min(low.get(parent[0]) as number, low.get(v) as number));
      if (low.get(v) === indexOf.get(v)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop() as string;
          onStack.delete(w);
          component.push(w);
        } while (w !== v);
        if (component.length > 1 || edges.includes(v)) out.push(component.sort());
      }
    }
  }
  return out.sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? ''));
}

/** The source file of each package.json "exports" entry: `./dist/crypto/index.js` → `crypto/index.ts`. */
export function packageEntries(root: string): ReadonlyMap<string, string> {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports?: Record<string, unknown> };
  const entries = new Map<string, string>();
  for (const [entry, target] of Object.entries(pkg.exports ?? {})) {
    const path =
      typeof target === 'string'
        ? target
        : ((target as { import?: unknown; default?: unknown }).import ?? (target as { default?: unknown }).default);
    if (typeof path !== 'string') continue;
    entries.set(entry, path.replace(/^\.\/dist\//, '').replace(/\.js$/, '.ts'));
  }
  return entries;
}

/** The layer of a source file: its top-level folder. */
export function layerOf(file: string): string {
  return file.split('/')[0] ?? file;
}
