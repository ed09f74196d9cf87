/**
 * The guard's OS lock across real processes (consensus/guard/guard-lock.ts): a second process is refused
 * while the first lives, even when the first's owner record is forged to look stale — what the kernel's
 * lock adds over the record — and after kill -9 of the first the kernel has released it, so the record's
 * takeover rules decide alone: a crashed owner of this boot and pid namespace is taken over, one from
 * another pid namespace is still refused. The children run the built dist/ (as the signer does).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const LOCK = fileURLToPath(new URL('../../../dist/consensus/guard/guard-lock.js', import.meta.url));
const OWNER = fileURLToPath(new URL('../../../dist/consensus/guard/lock-owner.js', import.meta.url));

/** A child that takes the lock, prints its status, and holds it until killed. */
function holder(path: string): { child: ChildProcess; ready: Promise<string> } {
  const code = `const { acquireLockDetailed } = await import(${JSON.stringify(LOCK)});
const held = await acquireLockDetailed(${JSON.stringify(path)});
process.stdout.write(JSON.stringify(held.status) + '\\n');
setInterval(() => undefined, 60_000);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'pipe'] });
  const ready = new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(out.trim());
    });
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', (c) => reject(new Error(`holder exited ${c}: ${err}`)));
  });
  return { child, ready };
}

/** One attempt from a fresh process: 'acquired' or the refusal's code and message. */
function attempt(path: string, opts: Record<string, unknown> = {}): string {
  const code = `const { acquireLockDetailed } = await import(${JSON.stringify(LOCK)});
try { const h = await acquireLockDetailed(${JSON.stringify(path)}, ${JSON.stringify(opts)}); process.stdout.write('acquired ' + JSON.stringify(h.status)); await h.release(); }
catch (e) { process.stdout.write(e.code + ': ' + e.message); }`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', timeout: 30_000 });
  return r.stdout;
}

/** A record in the lock's format (the built module's encoder), for the given fields. */
function forge(path: string, over: Record<string, unknown>): void {
  const code = `const { currentOwner, encodeOwner } = await import(${JSON.stringify(OWNER)});
process.stdout.write(encodeOwner({ ...currentOwner(), startTime: '', ...${JSON.stringify(over)} }));`;
  writeFileSync(path, spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' }).stdout);
}

let dir: string;
const children: ChildProcess[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hrng-os-lock-int-'));
});
afterEach(() => {
  for (const c of children.splice(0))
    if (c.exitCode === null && c.signalCode === null && c.pid !== undefined) process.kill(c.pid, 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

async function killed(c: ChildProcess): Promise<number> {
  const pid = c.pid ?? 0;
  const gone = new Promise<void>((r) => c.once('exit', () => r()));
  process.kill(pid, 'SIGKILL');
  await gone;
  return pid;
}

describe('guard OS lock between processes', () => {
  it('refuses a second process while the first lives, even with a forged stale record; kill -9 frees it for the takeover rules', async () => {
    const path = join(dir, 'k.lock');
    const a = holder(path);
    children.push(a.child);
    expect(await a.ready).toBe('{"osLock":"ofd"}');
    const aRecord = readFileSync(path, 'utf8');
    expect(JSON.parse(aRecord).pid).toBe(a.child.pid);
    // Forge the record to name a pid that does not run here: by the record alone this is a crashed owner.
    forge(path, { pid: 2 ** 22 + 23 });
    expect(attempt(path)).toMatch(/^GUARD_LOCKED: .*a live process holds its OS lock .*k\.lock\.os; its record names pid 4194327/);
    // Put A's own record back, then kill -9 A: the kernel drops the OS lock, the record stays behind.
    writeFileSync(path, aRecord);
    await killed(a.child);
    expect(readFileSync(path, 'utf8')).toBe(aRecord);
    // Same boot and pid namespace, pid gone: the record's rules allow the takeover.
    expect(attempt(path)).toBe('acquired {"osLock":"ofd"}');
  });

  it('after kill -9 the record still decides: an owner from another pid namespace is refused unless taken over explicitly', async () => {
    const path = join(dir, 'k.lock');
    const a = holder(path);
    children.push(a.child);
    expect(await a.ready).toBe('{"osLock":"ofd"}');
    await killed(a.child);
    // As if A had run in another container sharing this volume (where the OS lock may not reach).
    forge(path, { pid: a.child.pid, pidNamespace: 'pid:[4026599999]' });
    expect(attempt(path)).toMatch(
      /^GUARD_LOCKED: .*held from another pid namespace \(pid:\[4026599999\], pid \d+\); if that signer is gone/,
    );
    expect(attempt(path, { takeOverForeign: true })).toBe('acquired {"osLock":"ofd"}');
  });
});
