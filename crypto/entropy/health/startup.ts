/**
 * SP 800-90B §4.3 start-up testing: before a source contributes — at first use and again before a
 * quarantined source is re-admitted — a fresh set of continuous tests must pass on a start-up read:
 * ≥ 1024 consecutive raw samples (RCT + APT), or for a conditioned source enough output for eight
 * stuck-block comparisons. The start-up samples are discarded, not used. Any alarm, even at the
 * intermittent level, fails start-up: a source gets no benefit of the doubt before it has earned trust.
 */
import { CryptoError } from '../../errors.js';
import type { EntropySource } from '../source.js';
import type { HealthAlarm } from './alarm.js';
import type { ContinuousTest } from './continuous.js';
import { stuckBlockSize } from './stuck-block.js';

export const STARTUP_RAW_SAMPLES = 1024;
export const STARTUP_CONDITIONED_BLOCKS = 8;

/** How much a start-up read takes from `source`, in bytes (= samples for a raw source). */
export function startupReadBytes(source: Pick<EntropySource, 'kind' | 'creditBitsPerByte'>): number {
  return source.kind === 'raw' ? STARTUP_RAW_SAMPLES : (STARTUP_CONDITIONED_BLOCKS + 1) * stuckBlockSize(source.creditBitsPerByte);
}

export type StartupOutcome =
  | { readonly passed: true; readonly samples: number }
  | { readonly passed: false; readonly samples: number; readonly alarm: HealthAlarm };

/** Runs the start-up read of `source` through `tester` (which must be fresh) and wipes the read. */
export function runStartupTest(source: EntropySource, tester: ContinuousTest): StartupOutcome {
  const n = startupReadBytes(source);
  const output = source.read(n);
  try {
    if (output.length !== n)
      throw new CryptoError('ENTROPY_SOURCE_READ_FAILED', `source '${source.id}' returned ${output.length} bytes for a ${n}-byte read`);
    const { alarms } = tester.test(output);
    const alarm = alarms.find((a) => a.level === 'permanent') ?? alarms[0];
    return alarm ? { passed: false, samples: n, alarm } : { passed: true, samples: n };
  } finally {
    output.fill(0);
  }
}
