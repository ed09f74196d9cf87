/**
 * Who holds a guard lock, recorded so that a later process can tell a crashed owner from a live one it
 * cannot see. A pid alone cannot: from another pid namespace (another container) or another host (a
 * shared volume) a live owner's pid is absent or names an unrelated process. So the record also holds
 * the kernel's boot id (/proc/sys/kernel/random/boot_id: one per boot of one host), the owner's pid
 * namespace (the inode of /proc/self/ns/pid) and its start time (field 22 of /proc/PID/stat, which tells
 * a reused pid from the owner). Only an owner from this boot and this pid namespace can be proved dead.
 *
 * Linux only (/proc); elsewhere the identity is "unknown" and no lock is ever taken over automatically.
 */
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

export interface LockOwner {
  readonly pid: number;
  readonly bootId: string;
  readonly pidNamespace: string;
  /** Clock ticks since boot at which the owner started; '' when unknown. */
  readonly startTime: string;
  readonly host: string;
}

function read(path: string, how: 'file' | 'link'): string {
  try {
    return (how === 'file' ? readFileSync(path, 'utf8') : readlinkSync(path)).trim();
  } catch {
    return '';
  }
}

/**
 * Whether /proc shows this pid namespace: after `unshare --pid` without a new /proc mount, /proc/N is
 * the host's process N, not ours, and a start time read there would belong to another process.
 */
function procIsOurs(): boolean {
  return read('/proc/self', 'link') === String(process.pid);
}

/** Field 22 of /proc/PID/stat (after the parenthesised command name, which may hold spaces); '' when unknowable. */
export function startTimeOf(pid: number): string {
  if (!procIsOurs()) return '';
  const stat = read(`/proc/${pid}/stat`, 'file');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19] ?? '';
}

export function currentOwner(): LockOwner {
  return {
    pid: process.pid,
    bootId: read('/proc/sys/kernel/random/boot_id', 'file') || 'unknown',
    pidNamespace: read('/proc/self/ns/pid', 'link') || 'unknown',
    startTime: startTimeOf(process.pid),
    host: hostname(),
  };
}

export function encodeOwner(o: LockOwner): string {
  return `${JSON.stringify({ pid: o.pid, bootId: o.bootId, pidNamespace: o.pidNamespace, startTime: o.startTime, host: o.host })}\n`;
}

/** The owner a lock file names, or undefined when it is not a record in this format. */
export function decodeOwner(text: string): LockOwner | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const r = v as Record<string, unknown>;
  const str = (x: unknown): x is string => typeof x === 'string' && x.length <= 256;
  if (!Number.isSafeInteger(r.pid) || (r.pid as number) <= 0) return undefined;
  if (!str(r.bootId) || !str(r.pidNamespace) || !str(r.startTime) || !str(r.host)) return undefined;
  return { pid: r.pid as number, bootId: r.bootId, pidNamespace: r.pidNamespace, startTime: r.startTime, host: r.host };
}

export type Liveness = { readonly dead: true } | { readonly dead: false; readonly why: string };

/**
 * Whether `owner` is provably dead as seen from `self`. Anything not provable — another boot or host,
 * another pid namespace, an unknown identity, a live pid with the owner's start time — is "not dead".
 */
export function ownerLiveness(owner: LockOwner, self: LockOwner = currentOwner()): Liveness {
  if (owner.bootId === 'unknown' || self.bootId === 'unknown') return { dead: false, why: 'boot id unknown' };
  if (owner.bootId !== self.bootId) return { dead: false, why: `held from another boot or host (${owner.host})` };
  if (owner.pidNamespace !== self.pidNamespace)
    return { dead: false, why: `held from another pid namespace (${owner.pidNamespace}, pid ${owner.pid})` };
  if (owner.pid === self.pid) return { dead: false, why: 'held by this process' };
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ESRCH') return { dead: true };
    return { dead: false, why: `by running process ${owner.pid}` };
  }
  // The pid runs: the owner only if it started when the owner did (a reused pid is another process).
  const now = startTimeOf(owner.pid);
  if (owner.startTime !== '' && now !== '' && now !== owner.startTime) return { dead: true };
  return { dead: false, why: `by running process ${owner.pid}` };
}
