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

/** The paths in backticks that start a line item (`- \`path\` — source`). */
function namedPaths(readme: string): string[] {
  return [...readme.matchAll(/^\s*[-*] `([^`]+)`/gm)].map((m) => m[1] as string);
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

  it('names no file that is not there, and each line says where its file comes from', () => {
    expect(named.filter((p) => !existsSync(join(dir, p)))).toEqual([]);
    const lines = readme.split('\n').filter((l) => /^\s*[-*] `/.test(l));
    expect(lines.filter((l) => !/` — \S/.test(l))).toEqual([]);
  });

  it('the line parser finds items and ignores prose (so the check can fail)', () => {
    expect(namedPaths('text `a.json` here\n- `b/c.json` — RFC 1\n  * `d.json` — x\n-`e.json`')).toEqual(['b/c.json', 'd.json']);
  });
});
