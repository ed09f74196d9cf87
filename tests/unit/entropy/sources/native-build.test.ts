import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../../../crypto/native/cpu-random.js';

// build.mjs runs as the package's install script, so it must exit 0 whatever goes wrong. These tests run
// copies of it (inside the package, so node-addon-api resolves) and never touch the real build/.
const root = packageRoot() ?? process.cwd();
const tmpRoot = join(root, 'tests', '.tmp');
mkdirSync(tmpRoot, { recursive: true });
const dirs: string[] = [];

function copyOfNative(): string {
  const dir = mkdtempSync(join(tmpRoot, 'native-'));
  dirs.push(dir);
  for (const f of ['build.mjs', 'binding.gyp', 'src']) cpSync(join(root, 'crypto', 'native', f), join(dir, f), { recursive: true });
  return dir;
}

function runBuild(dir: string, env: Record<string, string>): { status: number | null; stdout: string; reason: string } {
  const r = spawnSync(process.execPath, [join(dir, 'build.mjs')], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 300_000 });
  const note = join(dir, 'build', 'unavailable.txt');
  return { status: r.status, stdout: r.stdout, reason: existsSync(note) ? readFileSync(note, 'utf8').trim() : '' };
}

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('crypto/native/build.mjs (the install script)', () => {
  it('exits 0 with one line and a recorded reason when told to skip', () => {
    const dir = copyOfNative();
    const r = runBuild(dir, { HARDENED_RNG_SKIP_NATIVE: '1' });
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toMatch(/helper not built: HARDENED_RNG_SKIP_NATIVE=1/);
    expect(r.reason).toBe('HARDENED_RNG_SKIP_NATIVE=1 was set at install');
    expect(existsSync(join(dir, 'build', 'Release', 'cpu_random.node'))).toBe(false);
  });

  it.runIf(process.arch === 'x64')('exits 0 and says why when the compiler is missing', () => {
    const dir = copyOfNative();
    const r = runBuild(dir, { CXX: '/nonexistent/c++', CC: '/nonexistent/cc' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/helper not built: node-gyp exited/);
    expect(r.reason).toMatch(/^node-gyp exited \d+/);
    expect(existsSync(join(dir, 'build', 'build.log'))).toBe(true);
    expect(existsSync(join(dir, 'build', 'Release', 'cpu_random.node'))).toBe(false);
  });
});
