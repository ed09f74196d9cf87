/**
 * The double-sign guard's contract, checked from the outside:
 * - monotonic: a guarded key's signatures, in the order made, are at strictly increasing positions
 *   (an identical re-sign excepted) — no double sign, no regression, across crashes and twins;
 * - durable: after a crash, the guard's stored watermark is at least the highest position the key
 *   signed before it (what the guard acknowledged must survive a power loss), or the state reads as
 *   corrupt/missing so the guard refuses (fail closed).
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import { compareHrs, decodeHrngSignBytes, type Hrs } from '../guard/index.js';
import type { SignatureRecord } from './ledger.js';
import type { Violation } from './violation.js';

export function checkGuardMonotonic(signatures: readonly SignatureRecord[], guardedKey: (keyId: string) => boolean): Violation[] {
  const last = new Map<string, { hrs: Hrs; bytes: string }>();
  const out: Violation[] = [];
  for (const s of signatures) {
    if (!guardedKey(s.keyId)) continue;
    const d = decodeHrngSignBytes(s.signBytes);
    if (d === undefined) continue;
    const hex = bytesToHex(s.signBytes);
    const prev = last.get(s.keyId);
    if (prev !== undefined) {
      const c = compareHrs(d.hrs, prev.hrs);
      if (c < 0 || (c === 0 && prev.bytes !== hex)) {
        if (out.length < 3)
          out.push({
            check: 'guard',
            message: `key ${s.keyId.slice(0, 12)} (slot ${s.slot}) signed ${c < 0 ? 'below' : 'again at'} height ${d.hrs.height} step ${d.hrs.step} after height ${prev.hrs.height} step ${prev.hrs.step} at ${s.timeMs} ms`,
          });
        continue;
      }
    }
    last.set(s.keyId, { hrs: d.hrs, bytes: hex });
  }
  return out;
}

/** The highest position signed under `keyId` before `beforeMs`. */
export function highestSigned(signatures: readonly SignatureRecord[], keyId: string, beforeMs: number): Hrs | undefined {
  let best: Hrs | undefined;
  for (const s of signatures) {
    if (s.keyId !== keyId || s.timeMs > beforeMs) continue;
    const d = decodeHrngSignBytes(s.signBytes);
    if (d !== undefined && (best === undefined || compareHrs(d.hrs, best) > 0)) best = d.hrs;
  }
  return best;
}

export function checkGuardDurable(
  keyId: string,
  signedBefore: Hrs | undefined,
  stored: Hrs | 'corrupt' | undefined,
  atMs: number,
): Violation[] {
  if (signedBefore === undefined || stored === 'corrupt') return [];
  if (stored !== undefined && compareHrs(stored, signedBefore) >= 0) return [];
  return [
    {
      check: 'guard',
      message: `after the crash at ${atMs} ms the guard of ${keyId.slice(0, 12)} remembers ${stored === undefined ? 'nothing' : `height ${stored.height} step ${stored.step}`} but had signed height ${signedBefore.height} step ${signedBefore.step}`,
    },
  ];
}
