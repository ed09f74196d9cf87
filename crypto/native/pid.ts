/**
 * Fork detection and the process id as the kernel reports it, for the Rng's clone checks.
 *
 * Node's `process.pid` is a value captured at bootstrap: a process duplicated by native code (fork(2)
 * from an addon) keeps its parent's value there, so a check against it can never fire. The native helper
 * offers two better answers:
 *
 * - a **wipe-on-fork page** (madvise MADV_WIPEONFORK, Linux ≥ 4.14; BoringSSL and OpenSSL detect forks the
 *   same way): one page whose first byte is 1 in this process and 0 in any child fork(2) makes, so the
 *   check before every request is a one-byte read;
 * - **getpid(2)**, asked of the kernel on every call — used for the check where the kernel refuses the
 *   advice, and for the pid in the DRBG's personalization string.
 *
 * Where the helper is not built (no compiler, not x86-64) neither exists and there is no way to see a fork
 * from JavaScript; `forkDetector()` then says so, and the Rng reports its fork check as unavailable instead
 * of claiming one it cannot make. The clock-discontinuity check and the fresh getrandom() bytes in every
 * generate call cover clones either way.
 */
import { loadCpuRandom } from './cpu-random.js';

export type ForkMechanism = 'wipe-on-fork' | 'getpid' | 'none';

export interface ForkDetector {
  readonly mechanism: ForkMechanism;
  /** Why the check is weaker than wipe-on-fork, when it is. */
  readonly reason?: string;
  /** The process id now (getpid(2) where the helper is built, else `process.pid`). */
  pid(): number;
  /** Whether this process is a fork of the one that last called `rearm()`. */
  forked(): boolean;
  /** After a reseed: this process is the reference from now on. */
  rearm(): void;
}

let cached: ForkDetector | undefined;

/** A detector that compares `pid()` with its value at the last rearm (tests inject `pid`). */
export function pidForkDetector(pid: () => number, mechanism: ForkMechanism, reason?: string): ForkDetector {
  let seeded = pid();
  return {
    mechanism,
    ...(reason !== undefined ? { reason } : {}),
    pid,
    forked: () => pid() !== seeded,
    rearm: () => void (seeded = pid()),
  };
}

/** A detector reading the first byte of a wipe-on-fork page: 1 here, 0 in a fork(2) child. */
export function sentinelForkDetector(page: ArrayBuffer, pid: () => number): ForkDetector {
  const sentinel = new Uint8Array(page, 0, 1);
  return { mechanism: 'wipe-on-fork', pid, forked: () => sentinel[0] !== 1, rearm: () => void (sentinel[0] = 1) };
}

export function forkDetector(): ForkDetector {
  if (cached !== undefined) return cached;
  const load = loadCpuRandom();
  if (!load.loaded || load.addon.getpid === undefined) {
    const reason = load.loaded ? 'the native helper predates getpid; rebuild it: node crypto/native/build.mjs' : load.reason;
    cached = pidForkDetector(() => process.pid, 'none', `no fork check: process.pid is fixed at bootstrap and ${reason}`);
    return cached;
  }
  const getpid = load.addon.getpid;
  const page = load.addon.forkSentinel?.();
  if (page === undefined) {
    cached = pidForkDetector(getpid, 'getpid', 'the kernel refused MADV_WIPEONFORK; getpid(2) on every request');
    return cached;
  }
  cached = sentinelForkDetector(page, getpid);
  return cached;
}
