/**
 * The CPU's cache sizes, for sizing the jitter source's buffer (jitter.ts). Linux reports them in
 * /sys/devices/system/cpu/cpu0/cache/index*\/{level,type,size}; elsewhere, or when unreadable, the
 * caller's fallback is used. Only the per-core L2 is needed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const CACHE_DIR = '/sys/devices/system/cpu/cpu0/cache';

/** "512K" / "32768K" / "1M" → bytes; undefined when unparseable. */
export function parseCacheSize(text: string): number | undefined {
  const m = /^(\d+)\s*([KMG]?)$/i.exec(text.trim());
  if (m === null) return undefined;
  const unit = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[(m[2] ?? '').toUpperCase() as '' | 'K' | 'M' | 'G'];
  return Number(m[1]) * unit;
}

/** Bytes of cpu0's level-2 data or unified cache, or undefined. */
export function l2CacheBytes(dir: string = CACHE_DIR): number | undefined {
  try {
    for (const entry of readdirSync(dir)) {
      if (!entry.startsWith('index')) continue;
      const read = (f: string): string => readFileSync(join(dir, entry, f), 'utf8').trim();
      if (read('level') !== '2' || read('type') === 'Instruction') continue;
      return parseCacheSize(read('size'));
    }
  } catch {
    // not Linux, or sysfs not mounted: the caller falls back
  }
  return undefined;
}
