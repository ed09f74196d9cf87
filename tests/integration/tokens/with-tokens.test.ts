/**
 * scripts/tokens/with-tokens.sh itself: whatever way the wrapped command ends, the script passes its exit
 * status on, stops the swtpm it started (by pid) and removes its per-run directory; a run killed outright
 * is cleaned up by the next one. Each case runs the script with a private TMPDIR, so what it leaves
 * behind is visible — and so these runs, nested inside the suite's own, also show that parallel runs
 * (own directory, own token store, own swtpm port pair) do not collide.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tpm } from '../helpers/tokens.js';

const script = resolve(import.meta.dirname, '../../../scripts/tokens/with-tokens.sh');

/** A child environment without this suite's token variables, with its own TMPDIR. */
function envFor(dir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: dir };
  for (const name of Object.keys(env)) if (/^(HRNG_TEST_|TPM2_PKCS11_|SOFTHSM2_CONF$)/.test(name)) delete env[name];
  return env;
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A daemon that exited stays a zombie until reaped: that is not running.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
}

/** The pid of the swtpm the run in `dir` started, read from its state (undefined if there is no TPM). */
function swtpmPid(dir: string): number | undefined {
  const [run] = readdirSync(dir).filter((n) => n.startsWith('hrng-tokens.'));
  if (run === undefined) return undefined;
  const file = join(dir, run, 'tpm', 'swtpm.pid');
  return existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : undefined;
}

async function waitFor(what: string, ok: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('scripts/tokens/with-tokens.sh', () => {
  const dirs: string[] = [];
  const privateTmp = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'hrng-with-tokens-test-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('passes the command’s exit status on, and leaves no process or directory behind', () => {
    const dir = privateTmp();
    // The command reports the swtpm pid it ran next to, so the test can check that it is gone after.
    const r = spawnSync('bash', [script, 'sh', '-c', 'cat "$TPM2_PKCS11_STORE/../swtpm.pid" 2>/dev/null; exit 7'], {
      env: envFor(dir),
      encoding: 'utf8',
    });
    expect(r.status).toBe(7);
    expect(readdirSync(dir)).toEqual([]);
    const pid = Number(r.stdout.trim());
    if (tpm.up) {
      expect(pid).toBeGreaterThan(0);
      expect(running(pid)).toBe(false);
    }
  });

  it('on SIGTERM stops the command and swtpm, removes its directory and exits 143', async () => {
    const dir = privateTmp();
    const child = spawn('bash', [script, 'node', '-e', 'setTimeout(() => {}, 60_000)'], { env: envFor(dir), stdio: 'ignore' });
    const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
    await waitFor('the tokens to come up', () => readdirSync(dir).length > 0 && (!tpm.up || swtpmPid(dir) !== undefined));
    const pid = swtpmPid(dir);
    await new Promise((r) => setTimeout(r, 500));
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    expect(readdirSync(dir)).toEqual([]);
    if (pid !== undefined) expect(running(pid)).toBe(false);
  });

  it('cleans up after a run that was killed outright, on the next run', async () => {
    const dir = privateTmp();
    const child = spawn('bash', [script, 'node', '-e', 'setTimeout(() => {}, 60_000)'], {
      env: envFor(dir),
      stdio: 'ignore',
      detached: true,
    });
    const exited = new Promise<void>((res) => child.on('exit', () => res()));
    await waitFor('the tokens to come up', () => readdirSync(dir).length > 0 && (!tpm.up || swtpmPid(dir) !== undefined));
    const pid = swtpmPid(dir);
    await new Promise((r) => setTimeout(r, 500));
    // SIGKILL for the whole group (script and command): nothing of ours gets to clean up.
    process.kill(-(child.pid as number), 'SIGKILL');
    await exited;
    expect(readdirSync(dir).length).toBe(1);
    const r = spawnSync('bash', [script, 'true'], { env: envFor(dir), encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('left by an earlier run');
    expect(readdirSync(dir)).toEqual([]);
    if (pid !== undefined) expect(running(pid)).toBe(false);
  });
});
