/**
 * tests/vectors/README.md names the source of every vector file: each file under tests/vectors/ has a
 * line with its path (relative to tests/vectors/, in backticks), and every path named there exists.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = join(process.cwd(), 'tests/vectors');

function filesUnder(d: string): string[] {
  return readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(d, e.name)) : [join(d, e.name)]));
}

/**
 * The files a line item names: the backticked paths it starts with, before its source ("- `a.json` —
 * source", "- `a`, `b`: source"). Backticked text later in the line (an upstream path) is not a file here.
 */
function namedPaths(readme: string): string[] {
  return [...readme.matchAll(/^\s*[-*] ((?:`[^`]+`(?:,? and |, )?)+)(?::|\s+—)\s*\S/gm)].flatMap((m) =>
    [...(m[1] as string).matchAll(/`([^`]+)`/g)].map((t) => t[1] as string),
  );
}

describe('tests/vectors/README.md', () => {
  const readme = readFileSync(join(dir, 'README.md'), 'utf8');
  const named = namedPaths(readme);

  it('has a line for every vector file', () => {
    const files = filesUnder(dir)
      .map((f) => relative(dir, f).split('\\').join('/'))
      .filter((f) => f !== 'README.md');
    expect(files.length).toBeGreaterThan(20);
    expect(files.filter((f) => !named.includes(f))).toEqual([]);
  });

  it('names no file that is not there, and each item line says where its files come from', () => {
    expect(named.filter((p) => !existsSync(join(dir, p)))).toEqual([]);
    const items = readme.split('\n').filter((l) => /^\s*[-*] `/.test(l));
    expect(items.filter((l) => namedPaths(l).length === 0)).toEqual([]);
  });

  it('the line parser finds items and ignores prose and upstream paths (so the check can fail)', () => {
    const text = [
      'text `a.json` here',
      '- `b/c.json` — RFC 1 `up/stream.go`',
      '  * `d.json`, `e.json` and `f.json`: x',
      '-`g.json`',
      '- `h.json` no source',
    ];
    expect(namedPaths(text.join('\n'))).toEqual(['b/c.json', 'd.json', 'e.json', 'f.json']);
  });
});
