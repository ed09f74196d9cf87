/**
 * Every error code of every layer is in that layer's `<LAYER>_ERROR_CODES` table, and docs/errors.md is
 * the table of them all, generated (`npm run docs:errors`). Scans the whole tree as it is when run, so a
 * layer added later (signer/, quorum/, server/) is covered without touching this file.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { errorTables, layerFolders, renderErrorsMarkdown, usedCodes, type ErrorTable } from '../../../scripts/source-tree.mjs';

const root = process.cwd();
const tables = errorTables(root);

function tabled(ts: readonly ErrorTable[]): Set<string> {
  return new Set(ts.flatMap((t) => t.codes.map((c) => c.code)));
}

describe('error codes', () => {
  it('docs/errors.md is up to date (run `npm run docs:errors`)', () => {
    expect(readFileSync(join(root, 'docs/errors.md'), 'utf8')).toBe(renderErrorsMarkdown(tables));
  });

  it('every code thrown, raised or declared in non-test source is in some <LAYER>_ERROR_CODES table', () => {
    const known = tabled(tables);
    const missing = usedCodes(root)
      .filter((u) => !known.has(u.code))
      .map((u) => `${u.code} (${u.file}:${u.line}, ${u.how})`);
    expect(missing).toEqual([]);
  });

  it('every layer has one errors.ts with one table, and the table has exactly one <LAYER>_INVALID_ARGUMENT', () => {
    const problems: string[] = [];
    for (const layer of layerFolders(root)) {
      const own = tables.filter((t) => t.file === `${layer}/errors.ts`);
      if (own.length !== 1) {
        problems.push(`${layer}/errors.ts declares ${own.length} *_ERROR_CODES tables, not 1`);
        continue;
      }
      const table = own[0] as ErrorTable;
      const prefix = table.name.replace(/_ERROR_CODES$/, '');
      const invalid = table.codes.map((c) => c.code).filter((c) => c.endsWith('_INVALID_ARGUMENT'));
      if (invalid.length !== 1 || invalid[0] !== `${prefix}_INVALID_ARGUMENT`) {
        problems.push(`${table.name}: invalid-argument codes ${JSON.stringify(invalid)}, expected ["${prefix}_INVALID_ARGUMENT"]`);
      }
    }
    for (const t of tables)
      if (t.file !== `${t.layer}/errors.ts`) problems.push(`${t.name} is declared in ${t.file}, not ${t.layer}/errors.ts`);
    expect(problems).toEqual([]);
  });

  it('no code is in two tables, and every meaning is one non-empty line', () => {
    const seen = new Map<string, string>();
    const problems: string[] = [];
    for (const t of tables) {
      for (const { code, meaning } of t.codes) {
        const other = seen.get(code);
        if (other !== undefined) problems.push(`${code} is in ${other} and ${t.name}`);
        seen.set(code, t.name);
        if (meaning.trim() === '' || meaning.includes('\n')) problems.push(`${code}: meaning must be one non-empty line`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('the scan can fail (planted codes in a scratch tree)', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'hrng-shape-codes-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('finds each way of using a code, and only outside tests', () => {
    mkdirSync(join(scratch, 'demo'), { recursive: true });
    mkdirSync(join(scratch, 'tests'), { recursive: true });
    writeFileSync(
      join(scratch, 'demo/errors.ts'),
      [
        "export const DEMO_ERROR_CODES = { DEMO_INVALID_ARGUMENT: 'bad', DEMO_KNOWN: 'known' } as const satisfies Record<string, string>;",
        "export type DemoErrorCode = 'DEMO_IN_UNION' | 'DEMO_KNOWN';",
        "class DemoError extends Error { declare readonly code: 'DEMO_IN_TYPE'; constructor(c: string, m: string) { super(m); } }",
        "class Sub extends DemoError { constructor() { super('DEMO_IN_SUPER', 'message with spaces'); } }",
        "export const a = () => new DemoError('DEMO_IN_NEW', 'NOT_A_CODE because of spaces');",
        "export const b = () => DemoError.from('DEMO_IN_FROM');",
        "export const c = { code: 'DEMO_IN_PROPERTY' };",
        "export const d = (e: { code: string }) => e.code === 'DEMO_COMPARED_ONLY' || new Error('ENOENT');",
        'export { Sub };',
      ].join('\n'),
    );
    writeFileSync(join(scratch, 'demo/errors.test.ts'), "new DemoError('DEMO_IN_TEST', 'x');\n");
    writeFileSync(join(scratch, 'tests/x.ts'), "new DemoError('DEMO_IN_TESTS_FOLDER', 'x');\n");
    const t = errorTables(scratch);
    expect(t.map((x) => [x.name, x.file, x.codes.map((c) => c.code)])).toEqual([
      ['DEMO_ERROR_CODES', 'demo/errors.ts', ['DEMO_INVALID_ARGUMENT', 'DEMO_KNOWN']],
    ]);
    const known = tabled(t);
    const missing = usedCodes(scratch)
      .filter((u) => !known.has(u.code))
      .map((u) => [u.code, u.how]);
    expect(missing).toEqual([
      ['DEMO_IN_UNION', 'code union'],
      ['DEMO_IN_TYPE', 'code type'],
      ['DEMO_IN_SUPER', 'argument'],
      ['DEMO_IN_NEW', 'argument'],
      ['DEMO_IN_FROM', 'argument'],
      ['DEMO_IN_PROPERTY', 'code property'],
    ]);
    expect(renderErrorsMarkdown(t)).toContain('| `DEMO_KNOWN` | known |');
  });
});
