/**
 * The process id as the kernel reports it now, for the Rng's fork check.
 *
 * Node's `process.pid` is a value captured at bootstrap: a process duplicated by native code (fork(2)
 * from an addon) or restored under a new pid keeps its parent's value there, so a check against it can
 * never fire. The native helper's getpid(2) asks the kernel on every call. Where the helper is not built
 * (no compiler, not x86-64) there is no way to read the real pid from JavaScript; `processId()` then says
 * so, and the Rng reports its fork check as unavailable instead of claiming one it cannot make. The clock
 * discontinuity check and the fresh getrandom() bytes in every generate call cover clones either way.
 */
import { loadCpuRandom } from './cpu-random.js';

export type ProcessId =
  | { readonly native: true; readonly read: () => number }
  | { readonly native: false; readonly read: () => number; readonly reason: string };

let cached: ProcessId | undefined;

export function processId(): ProcessId {
  if (cached !== undefined) return cached;
  const load = loadCpuRandom();
  const getpid = load.loaded ? load.addon.getpid : undefined;
  cached =
    getpid !== undefined
      ? { native: true, read: getpid }
      : {
          native: false,
          read: () => process.pid,
          reason: load.loaded ? 'the native helper predates getpid; rebuild it: node crypto/native/build.mjs' : load.reason,
        };
  return cached;
}
