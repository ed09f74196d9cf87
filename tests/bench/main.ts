/**
 * `npm run bench`: runs every `*.bench.js` module beside this file in one process, so each table's
 * ratios compare against baselines measured in the same run. Each module exports `run(): Promise<void>`
 * and prints its own table.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const modules = readdirSync(here)
  .filter((f) => f.endsWith('.bench.js'))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort();

console.log(`hardened-rng benchmarks — node ${process.version}, ${process.arch}, ${new Date().toISOString()}`);
for (const file of modules) {
  const mod = (await import(pathToFileURL(join(here, file)).href)) as { run?: () => Promise<void> };
  if (typeof mod.run !== 'function') throw new Error(`${file} exports no run()`);
  console.log(`\n## ${file.replace(/\.bench\.js$/, '')}`);
  await mod.run();
}
