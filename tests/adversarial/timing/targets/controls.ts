/**
 * The two controls measured in every run, interleaved with the target (same process, same time window,
 * the same random schedule):
 * - positive: the comparison everybody writes first, exiting at the first differing byte, on a 512-byte
 *   secret (class 0 equals it and runs to the end, class 1 differs at byte 0: ~500 loop iterations, a
 *   leak no amount of noise hides). A conclusive run must flag it, or the harness is broken.
 * - negative: `ct.equal` on the same inputs. It is constant time by construction (OpenSSL's
 *   CRYPTO_memcmp), so when it exceeds the threshold the run measured the machine, not the code, and is
 *   inconclusive.
 * `plantedLeak32` is not in the gate: the under-load test uses it as a leaky *target*.
 */
import * as ct from '../../../../crypto/ct/index.js';
import { defineSpec, type CampaignSpec } from '../dudect/spec.js';
import { bytesTarget, fixedBytes } from './inputs.js';

/** The planted leak. */
export function earlyExitEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const secret512 = fixedBytes(512, 7);

export const positiveControl: CampaignSpec = defineSpec({
  id: 'control.early-exit-equal',
  component: 'positive control (planted leak)',
  file: 'tests/adversarial/timing/targets/controls.ts',
  method: 'earlyExitEqual(secret512, x): x = secret vs random',
  make: () => bytesTarget(secret512, (s) => earlyExitEqual(secret512, s.a)),
});

export const negativeControl: CampaignSpec = defineSpec({
  id: 'control.ct-equal-512',
  component: 'negative control',
  file: 'crypto/ct/equal.ts',
  method: 'ct.equal(secret512, x): x = secret vs random',
  make: () => bytesTarget(secret512, (s) => ct.equal(secret512, s.a)),
});

const secret32 = fixedBytes(32, 29);

export const plantedLeak32: CampaignSpec = defineSpec({
  id: 'planted.early-exit-equal-32',
  component: 'planted leak (test only, not in the gate)',
  file: 'tests/adversarial/timing/targets/controls.ts',
  method: 'earlyExitEqual(secret32, x): x = secret vs random',
  // A leak of tau ≈ 3: 20 000 measurements see it at |t| in the hundreds, even with every core busy.
  budget: { measurements: 20_000, maxMs: 5_000 },
  make: () => bytesTarget(secret32, (s) => earlyExitEqual(secret32, s.a)),
});
