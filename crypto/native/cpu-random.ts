/**
 * Loader for the RDRAND/RDSEED helper (src/cpu_random.cc, built by build.mjs at install time).
 *
 * The addon is optional by design: when it was not built, does not load, or the CPU lacks the
 * instruction, `loadCpuRandom()` says why instead of throwing, and the 'rdrand'/'rdseed' sources
 * report unavailable with that reason. It is found relative to the package root, so the same code
 * works from the TypeScript sources (vitest) and from dist/ after `tsc`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EntropySourceError } from '../errors.js';

export type CpuInstruction = 'rdrand' | 'rdseed';

/** What one `fill` did; `carryClear` and `degenerate` count failed attempts over the whole request. */
export interface CpuFillResult {
  readonly ok: boolean;
  readonly failedWord: number;
  readonly carryClear: number;
  readonly degenerate: number;
}

export interface CpuRandom {
  readonly rdrand: boolean;
  readonly rdseed: boolean;
  /** Attempts per 64-bit word before a fill fails (Intel DRNG guide: 10 for RDRAND). */
  readonly tries: Readonly<Record<CpuInstruction, number>>;
  fill(instruction: CpuInstruction, target: Uint8Array): CpuFillResult;
  /** getpid(2) now; undefined when the helper was built before it had getpid. */
  readonly getpid: (() => number) | undefined;
  /** A fresh MADV_WIPEONFORK page whose first byte is 1 (pid.ts); undefined when unavailable. */
  readonly forkSentinel: (() => ArrayBuffer | undefined) | undefined;
  /** Non-blocking exclusive lock of a whole file (file-lock.ts): 1 OFD, 2 flock, 0 busy, -errno; undefined in an older build. */
  readonly lockFile: ((fd: number) => number) | undefined;
  /** Releases a lock lockFile took (`how`: its 1 or 2): 0 or -errno. */
  readonly unlockFile: ((fd: number, how: number) => number) | undefined;
}

export type CpuRandomLoad = { readonly loaded: true; readonly addon: CpuRandom } | { readonly loaded: false; readonly reason: string };

interface RawAddon {
  probe(): { rdrand: boolean; rdseed: boolean; rdrandTries: number; rdseedTries: number };
  fill(instruction: string, target: Uint8Array): Partial<CpuFillResult> & { error?: string };
  getpid?: () => number;
  forkSentinel?: () => ArrayBuffer | undefined;
  lockFile?: (fd: number) => number;
  unlockFile?: (fd: number, how: number) => number;
}

/** The directory holding this package's package.json: from crypto/native/ or dist/crypto/native/. */
export function packageRoot(start: string = dirname(fileURLToPath(import.meta.url))): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'hardened-rng') return dir;
      } catch {
        // an unreadable manifest is not ours; keep walking
      }
    }
    if (dirname(dir) === dir) return undefined;
  }
}

export function addonPath(root: string): string {
  return join(root, 'crypto', 'native', 'build', 'Release', 'cpu_random.node');
}

let cached: CpuRandomLoad | undefined;

export function loadCpuRandom(): CpuRandomLoad {
  cached ??= load();
  return cached;
}

function load(): CpuRandomLoad {
  if (process.arch !== 'x64') return { loaded: false, reason: `RDRAND/RDSEED are x86-64 instructions; this is ${process.arch}` };
  const root = packageRoot();
  if (root === undefined) return { loaded: false, reason: 'cannot find the hardened-rng package root' };
  const file = addonPath(root);
  if (!existsSync(file)) {
    const note = join(root, 'crypto', 'native', 'build', 'unavailable.txt');
    const why = existsSync(note) ? readFileSync(note, 'utf8').trim() : 'it was never built';
    return { loaded: false, reason: `native helper not built (${why}); run: node crypto/native/build.mjs` };
  }
  let raw: RawAddon;
  try {
    raw = createRequire(import.meta.url)(file) as RawAddon;
  } catch (e) {
    return { loaded: false, reason: `native helper does not load: ${e instanceof Error ? e.message : String(e)}` };
  }
  const p = raw.probe();
  return {
    loaded: true,
    addon: {
      rdrand: p.rdrand,
      rdseed: p.rdseed,
      tries: { rdrand: p.rdrandTries, rdseed: p.rdseedTries },
      getpid: typeof raw.getpid === 'function' ? raw.getpid.bind(raw) : undefined,
      forkSentinel: typeof raw.forkSentinel === 'function' ? raw.forkSentinel.bind(raw) : undefined,
      lockFile: typeof raw.lockFile === 'function' ? raw.lockFile.bind(raw) : undefined,
      unlockFile: typeof raw.unlockFile === 'function' ? raw.unlockFile.bind(raw) : undefined,
      fill(instruction, target) {
        const r = raw.fill(instruction, target);
        if (r.error !== undefined) throw new EntropySourceError('CRYPTO_INVALID_ARGUMENT', instruction, `cpu_random.fill: ${r.error}`);
        return {
          ok: r.ok === true,
          failedWord: r.failedWord ?? 0,
          carryClear: r.carryClear ?? 0,
          degenerate: r.degenerate ?? 0,
        };
      },
    },
  };
}
