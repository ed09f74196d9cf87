// `npm run docs:errors`: writes docs/errors.md from every `<LAYER>_ERROR_CODES` table in the tree.
// `--check` writes nothing and exits 1 when the page is stale (tests/unit/shape/error-codes.test.ts does
// the same check inside the unit suite).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorTables, renderErrorsMarkdown } from './source-tree.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'docs', 'errors.md');
const page = renderErrorsMarkdown(errorTables(root));
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // missing counts as stale
  }
  if (current !== page) {
    console.error('docs/errors.md is stale: run npm run docs:errors');
    process.exitCode = 1;
  }
} else {
  writeFileSync(target, page);
  console.log(`docs/errors.md: ${page.split('\n').filter((l) => l.startsWith('| `')).length} codes`);
}
