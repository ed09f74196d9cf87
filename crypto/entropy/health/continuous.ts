/**
 * The continuous health testing of one source (SP 800-90B §4.4): RCT + APT on every raw sample, or the
 * stuck-block test on a conditioned source's output. A raw source with no credited entropy (H = 0) is
 * not tested: its cutoffs would be infinite, and it counts for nothing in the pool's policy.
 */
import type { EntropySource } from '../source.js';
import type { HealthAlarm, HealthTestName } from './alarm.js';
import { AdaptiveProportionTest } from './apt.js';
import { RepetitionCountTest } from './rct.js';
import { StuckBlockTest, stuckBlockSize } from './stuck-block.js';

export interface TestResult {
  /** The alarms raised, in order; scanning stops at the first permanent one. */
  readonly alarms: readonly HealthAlarm[];
}

export type Cutoffs = Readonly<Partial<Record<HealthTestName, { readonly intermittent: number; readonly permanent: number }>>>;

export interface ContinuousTest {
  readonly description: string;
  /** The cutoffs in force, for reports. */
  readonly cutoffs: Cutoffs;
  test(output: Uint8Array): TestResult;
  /** Starts fresh (a new RCT run, a new APT window) — for the retry read after an intermittent alarm. */
  restart(): void;
}

class RawSampleTest implements ContinuousTest {
  readonly description: string;
  readonly cutoffs: Cutoffs;
  private readonly rct: RepetitionCountTest;
  private readonly apt: AdaptiveProportionTest;

  constructor(minEntropy: number, alphaLog2: number) {
    this.rct = new RepetitionCountTest(minEntropy, alphaLog2);
    this.apt = new AdaptiveProportionTest(minEntropy, alphaLog2);
    this.description = `RCT+APT (H=${minEntropy}, α=2^${alphaLog2}, W=${this.apt.window})`;
    this.cutoffs = {
      'repetition-count': { intermittent: this.rct.intermittentCutoff, permanent: this.rct.permanentCutoff },
      'adaptive-proportion': { intermittent: this.apt.intermittentCutoff, permanent: this.apt.permanentCutoff },
    };
  }

  test(samples: Uint8Array): TestResult {
    const alarms: HealthAlarm[] = [];
    for (let i = 0; i < samples.length; i++) {
      const s = samples[i] ?? 0;
      const a = this.rct.feed(s);
      const b = this.apt.feed(s);
      if (a) alarms.push(a);
      if (b) alarms.push(b);
      if ((a && a.level === 'permanent') || (b && b.level === 'permanent')) break;
    }
    return { alarms };
  }

  restart(): void {
    this.rct.restart();
    this.apt.restart();
  }
}

class ConditionedOutputTest implements ContinuousTest {
  readonly description: string;
  readonly cutoffs: Cutoffs;
  private readonly stuck: StuckBlockTest;

  constructor(creditBitsPerByte: number) {
    this.stuck = new StuckBlockTest(stuckBlockSize(creditBitsPerByte));
    this.description = `stuck-block (${this.stuck.blockBytes}-byte blocks)`;
    this.cutoffs = { 'stuck-block': { intermittent: 2, permanent: 2 } };
  }

  test(output: Uint8Array): TestResult {
    const alarm = this.stuck.feed(output);
    return { alarms: alarm ? [alarm] : [] };
  }

  /** The stuck-block test's alarms are permanent; it keeps comparing against the last block. */
  restart(): void {}
}

class UntestedZeroCredit implements ContinuousTest {
  readonly description = 'none (credited 0 bits)';
  readonly cutoffs = {};
  test(): TestResult {
    return { alarms: [] };
  }

  restart(): void {}
}

/** A fresh tester for `source` at false-alarm level 2^alphaLog2 (and 2^(2·alphaLog2) for permanent). */
export function continuousTestFor(source: Pick<EntropySource, 'kind' | 'creditBitsPerByte'>, alphaLog2: number): ContinuousTest {
  if (source.kind === 'raw') {
    return source.creditBitsPerByte > 0 ? new RawSampleTest(source.creditBitsPerByte, alphaLog2) : new UntestedZeroCredit();
  }
  return new ConditionedOutputTest(source.creditBitsPerByte);
}
