/**
 * One entropy source under SP 800-90B §4.3–4.4 supervision: start-up test before first use, continuous
 * tests on every read, quarantine on failure, re-admission only after a fresh start-up test passes.
 *
 * Per read: an intermittent alarm (α) discards that read and retries once — a healthy source raises one
 * per ~2^30 samples, and quarantining on it would turn rare false alarms into outages. The retry starts
 * a fresh APT window and RCT run, so it must pass on its own samples and cannot ride on the counts of
 * the read it replaces. A second alarm in a row, any permanent alarm (α²), a read error or a short read
 * quarantines the source. Discarded and consumed reads are zeroed here; events carry test names and
 * numbers, never sample bytes.
 *
 * Decisions come before observers: the state changes first, then events are emitted, each emit guarded
 * (crypto/log.ts `notify`) so a throwing listener or logger cannot leave a failed source healthy.
 * The source's `kind`, credit and dependency group are read once, at construction: a getter that later
 * raised its credit would otherwise outrun the cutoffs computed from the old one. A quarantined source
 * that goes unavailable and comes back is still quarantined, with its original quarantine time.
 */
import type { Clock } from '../../clock.js';
import { assert } from '../../assert.js';
import { CryptoError } from '../../errors.js';
import { notify } from '../../log.js';
import type { EntropySource, EntropySourceKind } from '../source.js';
import type { AlarmLevel, HealthAlarm, HealthTestName } from './alarm.js';
import { continuousTestFor, type ContinuousTest, type Cutoffs } from './continuous.js';
import { runStartupTest } from './startup.js';

export type SourceState = 'untested' | 'healthy' | 'quarantined' | 'unavailable';

export type FailureTest = HealthTestName | 'read-error';

export interface SourceFailure {
  readonly test: FailureTest;
  readonly level: AlarmLevel;
  /** The count observed (0 for a read error). */
  readonly observed: number;
  readonly cutoff: number;
  /** For a read error: the error's code and message (which never carry sample bytes). */
  readonly detail?: string;
  readonly atMs: number;
}

export type SourceEvent =
  | { readonly type: 'alarm'; readonly source: string; readonly failure: SourceFailure }
  | { readonly type: 'startup'; readonly source: string; readonly passed: boolean; readonly samples: number; readonly readmission: boolean }
  | { readonly type: 'quarantined'; readonly source: string; readonly failure: SourceFailure }
  | { readonly type: 'unavailable'; readonly source: string; readonly reason: string };

export interface SourceStatus {
  readonly id: string;
  readonly kind: EntropySourceKind;
  /** The dependency group (see EntropySource.group); at most one credited source per group counts. */
  readonly group: string;
  readonly creditBitsPerByte: number;
  readonly available: boolean;
  readonly unavailableReason?: string;
  readonly state: SourceState;
  readonly startup: 'not-run' | 'passed' | 'failed';
  readonly tests: string;
  readonly cutoffs: Cutoffs;
  readonly lastFailure?: SourceFailure;
  readonly quarantinedAtMs?: number;
  readonly reads: number;
  readonly bytesRead: number;
  readonly alarms: number;
}

export class MonitoredSource {
  readonly source: EntropySource;
  /** Snapshots taken at construction (see the header). */
  readonly kind: EntropySourceKind;
  readonly creditBitsPerByte: number;
  readonly group: string;
  private readonly alphaLog2: number;
  private readonly clock: Clock;
  private readonly emit: (event: SourceEvent) => void;
  private tester: ContinuousTest;
  private current: SourceState = 'untested';
  private startup: SourceStatus['startup'] = 'not-run';
  private lastFailure: SourceFailure | undefined;
  private quarantinedAt: number | undefined;
  private reads = 0;
  private bytesRead = 0;
  private alarms = 0;

  constructor(source: EntropySource, options: { alphaLog2: number; clock: Clock; onEvent?: (event: SourceEvent) => void }) {
    const credit = source.creditBitsPerByte;
    if (!Number.isFinite(credit) || credit < 0 || credit > 8) {
      throw new CryptoError('CRYPTO_INVALID_ARGUMENT', `source '${source.id}': creditBitsPerByte must be in [0, 8], got ${credit}`);
    }
    this.kind = assert.oneOf(source.kind, `source '${source.id}': kind`, ['raw', 'conditioned'] as const);
    this.creditBitsPerByte = credit;
    this.group = assert.string(source.group ?? source.id, `source '${source.id}': group`, { minLength: 1, maxLength: 128 });
    this.source = source;
    this.alphaLog2 = options.alphaLog2;
    this.clock = options.clock;
    const onEvent = options.onEvent;
    this.emit = onEvent === undefined ? () => {} : (event) => notify(onEvent, event);
    this.tester = continuousTestFor(this, options.alphaLog2);
  }

  get id(): string {
    return this.source.id;
  }

  get state(): SourceState {
    return this.current;
  }

  /** Healthy and credited: counts toward the pool's policy. */
  get credited(): boolean {
    return this.current === 'healthy' && this.creditBitsPerByte > 0;
  }

  /** Checks availability; a source that went away is marked unavailable, one that came back is untested. */
  refreshAvailability(): boolean {
    let available: boolean;
    try {
      available = this.source.available();
    } catch {
      available = false;
    }
    if (!available && this.current !== 'unavailable') {
      this.current = 'unavailable';
      this.emit({ type: 'unavailable', source: this.id, reason: this.unavailableReason() ?? 'not available' });
    } else if (available && this.current === 'unavailable') {
      // Back from unavailable: still quarantined (with its original time) if it was, else untested.
      this.current = this.quarantinedAt === undefined ? 'untested' : 'quarantined';
    }
    return available;
  }

  /** SP 800-90B §4.3: a fresh tester must pass the start-up read before the source is (re-)admitted. */
  runStartup(): boolean {
    if (!this.refreshAvailability()) return false;
    const readmission = this.current === 'quarantined';
    this.tester = continuousTestFor(this, this.alphaLog2);
    let passed: boolean;
    let samples = 0;
    try {
      const outcome = runStartupTest(this.source, this.tester);
      samples = outcome.samples;
      this.reads++;
      this.bytesRead += outcome.samples;
      passed = outcome.passed;
      if (!outcome.passed) this.fail(this.failureOf(outcome.alarm), true);
    } catch (err) {
      passed = false;
      this.fail(this.readFailure(err), true);
    }
    this.startup = passed ? 'passed' : 'failed';
    if (passed) {
      this.current = 'healthy';
      this.quarantinedAt = undefined;
    }
    this.emit({ type: 'startup', source: this.id, passed, samples, readmission });
    return passed;
  }

  /** Milliseconds since quarantine, or undefined when not quarantined. */
  quarantinedForMs(): number | undefined {
    return this.quarantinedAt === undefined ? undefined : this.clock.monotonicMs() - this.quarantinedAt;
  }

  /**
   * `bytes` bytes that passed the continuous tests, or undefined when the source failed them (it is then
   * quarantined, or was given its one retry). The caller owns — and must zero — the returned bytes.
   */
  readTested(bytes: number): Uint8Array | undefined {
    if (this.current !== 'healthy') return undefined;
    for (let attempt = 0; attempt < 2; attempt++) {
      let output: Uint8Array;
      try {
        output = this.source.read(bytes);
        if (output.length !== bytes) {
          output.fill(0);
          throw new CryptoError('ENTROPY_SOURCE_READ_FAILED', `short read: ${output.length} of ${bytes} bytes`);
        }
      } catch (err) {
        this.fail(this.readFailure(err), true);
        return undefined;
      }
      this.reads++;
      this.bytesRead += bytes;
      const { alarms } = this.tester.test(output);
      if (alarms.length === 0) return output;
      output.fill(0);
      const permanent = alarms.find((a) => a.level === 'permanent');
      const alarm = permanent ?? alarms[0];
      if (alarm === undefined) return undefined;
      if (permanent || attempt === 1) {
        this.fail(this.failureOf(alarm), true);
        return undefined;
      }
      this.fail(this.failureOf(alarm), false);
      this.tester.restart();
    }
    return undefined;
  }

  status(): SourceStatus {
    let available: boolean;
    try {
      available = this.source.available();
    } catch {
      available = false;
    }
    const reason = available ? undefined : this.unavailableReason();
    return {
      id: this.id,
      kind: this.kind,
      group: this.group,
      creditBitsPerByte: this.creditBitsPerByte,
      available,
      ...(reason !== undefined ? { unavailableReason: reason } : {}),
      state: this.current,
      startup: this.startup,
      tests: this.tester.description,
      cutoffs: this.tester.cutoffs,
      ...(this.lastFailure ? { lastFailure: this.lastFailure } : {}),
      ...(this.quarantinedAt !== undefined ? { quarantinedAtMs: this.quarantinedAt } : {}),
      reads: this.reads,
      bytesRead: this.bytesRead,
      alarms: this.alarms,
    };
  }

  private unavailableReason(): string | undefined {
    try {
      return this.source.unavailableReason?.();
    } catch {
      return undefined;
    }
  }

  private failureOf(alarm: HealthAlarm): SourceFailure {
    return { test: alarm.test, level: alarm.level, observed: alarm.observed, cutoff: alarm.cutoff, atMs: this.clock.monotonicMs() };
  }

  private readFailure(err: unknown): SourceFailure {
    const code = (err as { code?: unknown } | null)?.code;
    const message = err instanceof Error ? err.message : String(err);
    const detail = typeof code === 'string' ? `${code}: ${message}` : message;
    return { test: 'read-error', level: 'permanent', observed: 0, cutoff: 0, detail, atMs: this.clock.monotonicMs() };
  }

  /** Records the failure and quarantines first; only then tells the observers (see the header). */
  private fail(failure: SourceFailure, quarantine: boolean): void {
    this.lastFailure = failure;
    this.alarms++;
    if (quarantine) {
      this.current = 'quarantined';
      this.quarantinedAt = failure.atMs;
    }
    this.emit({ type: 'alarm', source: this.id, failure });
    if (quarantine) this.emit({ type: 'quarantined', source: this.id, failure });
  }
}
