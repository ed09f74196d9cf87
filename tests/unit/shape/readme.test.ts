/**
 * The README's example runs as it is shown. Its ```ts block is kept, import paths aside, identical to
 * readme-example.ts next to this file (a file snapshot: `npx vitest run --project unit
 * tests/unit/shape/readme.test.ts -u` rewrites it), which `npm run typecheck` type-checks with the project's strict
 * settings (so the README's TypeScript compiles) and which this test runs: `hardened-rng` imports point at
 * the source of the matching package.json "exports" entry, so no build is needed, and an entry the README
 * uses but the package lacks fails here. The README says the block is TypeScript (`using` is not
 * JavaScript syntax in Node 20).
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { packageEntries } from '../../helpers/import-graph.js';

const root = process.cwd();
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string);
const dir = join(root, 'tests/unit/shape');

/** The example with `from 'hardened-rng[/x]'` pointing at the entry's source, relative to `dir`. */
function rewritten(code: string): string {
  const entries = packageEntries(root);
  return code.replace(/from '(hardened-rng(?:\/[\w-]+)?)'/g, (_, spec: string) => {
    const entry = spec === 'hardened-rng' ? '.' : `./${spec.slice('hardened-rng/'.length)}`;
    const file = entries.get(entry);
    if (file === undefined) return `from '${spec}' /* no such package entry */`;
    return `from '${relative(dir, join(root, file)).replace(/\.ts$/, '.js')}'`;
  });
}

const HEADER = '// The README example, checked by readme.test.ts; keep identical to README.md (imports aside).\n';

describe('README example', () => {
  afterEach(() => vi.restoreAllMocks());

  it('is one ```ts block that the README calls TypeScript', () => {
    expect(blocks).toHaveLength(1);
    const before = readme.slice(0, readme.indexOf('```ts'));
    const trimmed = before.trimEnd();
    expect(trimmed.slice(trimmed.lastIndexOf('\n\n'))).toMatch(/TypeScript/);
  });

  it('is readme-example.ts, which npm run typecheck compiles (re-record with vitest -u after editing the README)', async () => {
    await expect(HEADER + rewritten(blocks[0] ?? '')).toMatchFileSnapshot('./readme-example.ts');
  });

  it('runs, printing what its comments say', async () => {
    const logged: unknown[][] = [];
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void logged.push(args));
    await import('./readme-example.js');
    expect(logged).toHaveLength(3);
    const [health, signed, derived] = logged as [unknown[], unknown[], unknown[]];
    expect(health[0]).toMatch(/^(healthy|degraded)$/);
    expect(health[1]).toEqual(expect.arrayContaining([expect.stringMatching(/^os:\d+$/)]));
    expect(signed).toEqual([expect.stringMatching(/^[0-9a-f]{32}$/), true]);
    expect(derived).toEqual(['Secret(32 bytes, redacted)', 16]);
  });
});
