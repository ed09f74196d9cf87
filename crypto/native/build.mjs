#!/usr/bin/env node
// Install-time build of the RDRAND/RDSEED helper (the package's "install" script).
//
// It must never fail an install: without the helper the 'rdrand' and 'rdseed' sources report
// unavailable and everything else works. So every path ends in exit code 0; when the helper is not
// built, one line says why on stdout and the same reason goes to build/unavailable.txt, which the
// loader (cpu-random.ts) shows as the sources' unavailableReason(). The compiler's full output, when
// there is any, is kept in build/build.log.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const buildDir = join(here, 'build');
const reasonFile = join(buildDir, 'unavailable.txt');
const addonFile = join(buildDir, 'Release', 'cpu_random.node');

function record(reason, log) {
  try {
    // A helper left from an earlier build would contradict the reason; the sources go by the file.
    rmSync(addonFile, { force: true });
    mkdirSync(buildDir, { recursive: true });
    writeFileSync(reasonFile, `${reason}\n`);
    if (log) writeFileSync(join(buildDir, 'build.log'), log);
  } catch {
    // Even an unwritable tree must not fail the install; the loader then reports the addon missing.
  }
  console.log(`hardened-rng: RDRAND/RDSEED helper not built: ${reason}`);
  process.exit(0);
}

// npm sets npm_config_node_gyp for lifecycle scripts; outside npm, use the node-gyp npm bundles next
// to this node binary (…/bin/node → …/lib/node_modules/npm/node_modules/node-gyp), then a local one.
function findNodeGyp() {
  const candidates = [];
  if (process.env.npm_config_node_gyp) candidates.push(process.env.npm_config_node_gyp);
  const prefix = dirname(dirname(process.execPath));
  candidates.push(join(prefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  candidates.push(join(prefix, 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  try {
    candidates.push(createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    // not installed locally: fine, the bundled one is the usual case
  }
  return candidates.find((c) => existsSync(c));
}

// Building offline needs Node's headers. Official Node distributions and Debian's nodejs-dev ship
// them beside the binary (<prefix>/include/node); use them unless npm already chose a nodedir.
function nodedirArgs() {
  if (process.env.npm_config_nodedir) return [];
  const prefix = dirname(dirname(process.execPath));
  return existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? [`--nodedir=${prefix}`] : [];
}

function main() {
  if (process.arch !== 'x64') record(`RDRAND/RDSEED are x86-64 instructions; this is ${process.arch}`);
  if (process.env.HARDENED_RNG_SKIP_NATIVE === '1') record('HARDENED_RNG_SKIP_NATIVE=1 was set at install');
  const gyp = findNodeGyp();
  if (!gyp) record('node-gyp not found (not run by npm, and no bundled npm/node-gyp beside node)');
  const run = spawnSync(process.execPath, [gyp, 'rebuild', ...nodedirArgs()], {
    cwd: here,
    encoding: 'utf8',
    timeout: 300_000,
    env: process.env,
  });
  const log = `${run.stdout ?? ''}${run.stderr ?? ''}`;
  if (run.error) record(`node-gyp could not run: ${run.error.message}`, log);
  if (run.status !== 0) {
    const lines = log.split('\n').filter((l) => /error|not found|No such/i.test(l));
    const hint = (lines.find((l) => !/^gyp ERR! (cwd|node -v|node-gyp -v|command|System|not ok)/.test(l)) ?? '').trim();
    record(`node-gyp exited ${run.status}${hint ? `: ${hint.slice(0, 200)}` : ''} (see crypto/native/build/build.log)`, log);
  }
  if (!existsSync(addonFile)) record(`node-gyp succeeded but ${addonFile} is missing`, log);
  try {
    createRequire(import.meta.url)(addonFile).probe();
  } catch (e) {
    rmSync(addonFile, { force: true });
    record(`built addon does not load: ${e instanceof Error ? e.message : String(e)}`, log);
  }
  rmSync(reasonFile, { force: true });
  console.log('hardened-rng: RDRAND/RDSEED helper built');
}

try {
  main();
} catch (e) {
  record(`unexpected: ${e instanceof Error ? e.message : String(e)}`);
}
