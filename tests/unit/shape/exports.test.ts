/**
 * The public surface, entry by entry: every package.json "exports" entry's runtime export names (and
 * the names inside namespace re-exports such as `ct`), snapshotted in exports.snapshot.json so that a
 * change to what users can import is deliberate. Generic over "exports": an entry added or removed only
 * needs the snapshot re-recorded (`npx vitest run --project unit tests/unit/shape/exports.test.ts -u`).
 * It imports the TypeScript source of each entry (./dist/X.js → X.ts), so it needs no build.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { packageEntries } from '../../helpers/import-graph.js';

const root = process.cwd();

function isNamespace(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.prototype.toString.call(value) === '[object Module]';
}

/** `Rng`, `ct.equal`, …: the names an entry exports at runtime, sorted; namespace members as `ns.name`. */
function exportNames(mod: Record<string, unknown>): string[] {
  const names: string[] = [];
  for (const [key, value] of Object.entries(mod)) {
    names.push(key);
    if (isNamespace(value)) for (const inner of Object.keys(value)) names.push(`${key}.${inner}`);
  }
  return names.sort();
}

describe('package entries', () => {
  const entries = packageEntries(root);

  it('every "exports" entry has a source file', () => {
    expect([...entries].filter(([, file]) => !existsSync(join(root, file)))).toEqual([]);
  });

  it('export lists match exports.snapshot.json', async () => {
    const surface: Record<string, string[]> = {};
    for (const [entry, file] of [...entries].sort(([a], [b]) => a.localeCompare(b))) {
      surface[entry] = exportNames((await import(pathToFileURL(join(root, file)).href)) as Record<string, unknown>);
    }
    await expect(JSON.stringify(surface, null, 2) + '\n').toMatchFileSnapshot('./exports.snapshot.json');
  });
});
