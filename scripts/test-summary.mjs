// Adds up vitest's JSON reports of the suite's projects into one closing line, "N passed, N failed,
// N skipped". A project whose report is missing (its run crashed before reporting) counts as a failure.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, ...projects] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
for (const project of projects) {
  try {
    const r = JSON.parse(readFileSync(join(dir, `${project}.json`), 'utf8'));
    passed += r.numPassedTests;
    // A file that fails to load has no failed tests but is a failed suite.
    failed += r.numFailedTests > 0 ? r.numFailedTests : (r.numFailedTestSuites ?? 0);
    skipped += r.numPendingTests + r.numTodoTests;
    console.log(`${project}: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
  } catch (err) {
    failed += 1;
    console.log(`${project}: no report (${err instanceof Error ? err.message : String(err)})`);
  }
}
console.log(`suite: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed > 0 ? 1 : 0;
