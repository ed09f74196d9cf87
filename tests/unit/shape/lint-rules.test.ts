/**
 * The lint rules biome.json adds for what review keeps finding fire where they should and only there:
 * no bare `throw` of Error/TypeError/RangeError outside tests (the GritQL plugin
 * scripts/biome/no-bare-throw.grit), at most four positional parameters and no explicit `any` in source.
 * Runs the project's Biome with the project's configuration on planted files in a scratch copy.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = process.cwd();
const scratch = mkdtempSync(join(tmpdir(), 'hrng-lint-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Diagnostic {
  category: string;
  location: { path: string; start: { line: number } };
}

/** Biome's diagnostics (`category path:line`) for the planted files, with biome.json minus its git settings. */
function lint(files: Record<string, string>): string[] {
  const config = JSON.parse(readFileSync(join(root, 'biome.json'), 'utf8')) as Record<string, unknown>;
  delete config.vcs;
  delete config.$schema;
  writeFileSync(join(scratch, 'biome.json'), JSON.stringify(config));
  cpSync(join(root, 'scripts/biome'), join(scratch, 'scripts/biome'), { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(scratch, path, '..'), { recursive: true });
    writeFileSync(join(scratch, path), text);
  }
  let out: string;
  try {
    out = execFileSync(join(root, 'node_modules/.bin/biome'), ['lint', '--reporter=json', '--max-diagnostics=100', '.'], {
      cwd: scratch,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch (err) {
    out = (err as { stdout: string }).stdout;
  }
  const report = JSON.parse(out) as { diagnostics: Diagnostic[] };
  return report.diagnostics.map((d) => `${d.category} ${d.location.path}:${d.location.start.line}`).sort();
}

describe('lint rules (biome.json)', () => {
  it('flag bare throws, five positional parameters and any in source; allow them in tests', () => {
    const source = [
      'export function five(a: number, b: number, c: number, d: number, e: number): number {',
      '  return a + b + c + d + e;',
      '}',
      'export const four = (a: number, b: number, c: number, d: number): number => a + b + c + d;',
      'export function loose(x: any): void {',
      "  if (x) throw new RangeError('r', { cause: x });",
      '  if (!x) throw Error();',
      '  throw new TypeError(`t`);',
      '}',
      'export function typed(): never {',
      "  throw new CliError('CLI_INVALID_ARGUMENT', 'fine');",
      '}',
      'declare class CliError extends Error { constructor(code: string, message: string); }',
    ].join('\n');
    const got = lint({ 'cli/planted.ts': `${source}\n`, 'tests/unit/planted.test.ts': `${source}\n` });
    expect(got).toEqual([
      'lint/complexity/useMaxParams cli/planted.ts:1',
      'lint/suspicious/noExplicitAny cli/planted.ts:5',
      'plugin cli/planted.ts:6',
      'plugin cli/planted.ts:7',
      'plugin cli/planted.ts:8',
    ]);
  });
});
