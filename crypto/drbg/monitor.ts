/**
 * The generator's health state (DESIGN.md "Failure policy"; SP 800-90B §4.3–4.4 outcomes seen from
 * SP 800-90A's side):
 *
 *   healthy  — every admitted source passes its tests and the last draw raised no alarm;
 *   degraded — the pool's policy is still met, but a source is quarantined or the last draw had an
 *              intermittent alarm (a discarded, retried read);
 *   failed   — the policy can no longer be met, or a self-test failed: every request throws.
 *
 * Each source event is logged as a structured record {source, test, level, observed, cutoff} — never
 * sample bytes — and every state change is logged and delivered to listeners. Every logger and listener
 * call is guarded (crypto/log.ts): an observer that throws never changes what the generator decides.
 */
import type { Clock } from '../clock.js';
import { CryptoError, HardenedRngError } from '../errors.js';
import type { SourceEvent, SourceFailure, SourceStatus } from '../entropy/health/monitored-source.js';
import type { Contribution, PoolDraw } from '../entropy/pool.js';
import { guardedLogger, notify, type Logger } from '../log.js';

export type RngState = 'healthy' | 'degraded' | 'failed';

export interface RngStateChange {
  readonly from: RngState;
  readonly to: RngState;
  readonly reason: string;
  readonly atMs: number;
}

export type SeedPurpose = 'instantiate' | 'interval' | 'on-demand' | 'prediction-resistance' | 'fork' | 'clock-jump' | 'recovery';

export interface SeedProvenance {
  /** The pool draw the current seed came from (1 for the first). */
  readonly drawCounter: number;
  readonly purpose: SeedPurpose;
  /** Wall-clock time of the draw. */
  readonly atMs: number;
  /** Bits of min-entropy claimed for the draw; each credited source alone covered this plus 64. */
  readonly claimedBits: number;
  readonly contributions: readonly Contribution[];
}

export interface SourceReport {
  readonly id: string;
  readonly kind: 'raw' | 'conditioned';
  /** Dependency group: at most one credited source per group counts toward minSources. */
  readonly group: string;
  readonly available: boolean;
  readonly unavailableReason?: string;
  readonly state: SourceStatus['state'];
  readonly startup: SourceStatus['startup'];
  /** Credit per byte read (conditioned) — the same number as per sample for a raw source. */
  readonly creditBitsPerByte: number;
  /** Raw sources only: the assessed min-entropy per 8-bit sample. */
  readonly creditBitsPerSample?: number;
  readonly tests: string;
  readonly cutoffs: SourceStatus['cutoffs'];
  readonly lastFailure?: SourceFailure;
  readonly reads: number;
  readonly bytesRead: number;
  readonly alarms: number;
}

export function sourceReport(s: SourceStatus): SourceReport {
  return {
    id: s.id,
    kind: s.kind,
    group: s.group,
    available: s.available,
    ...(s.unavailableReason !== undefined ? { unavailableReason: s.unavailableReason } : {}),
    state: s.state,
    startup: s.startup,
    creditBitsPerByte: s.creditBitsPerByte,
    ...(s.kind === 'raw' ? { creditBitsPerSample: s.creditBitsPerByte } : {}),
    tests: s.tests,
    cutoffs: s.cutoffs,
    ...(s.lastFailure ? { lastFailure: s.lastFailure } : {}),
    reads: s.reads,
    bytesRead: s.bytesRead,
    alarms: s.alarms,
  };
}

export type Listener<T> = (value: T) => void;

export interface RngEvents {
  /** A change of healthy / degraded / failed. */
  state: RngStateChange;
  /** A source event: alarm, quarantine, start-up result, unavailability. */
  source: SourceEvent;
  /** A successful (re)seed. */
  reseed: SeedProvenance;
}

export class RngMonitor {
  private readonly logger: Logger;
  private readonly clock: Clock;
  private current: RngState = 'healthy';
  private why = 'starting';
  private since: number;
  private permanent = false;
  private lastDrawAlarms: { source: string; failure: SourceFailure }[] = [];
  private pendingDrawAlarms: { source: string; failure: SourceFailure }[] = [];
  private seed: SeedProvenance | undefined;
  private readonly stateListeners = new Set<Listener<RngStateChange>>();
  private readonly sourceListeners = new Set<Listener<SourceEvent>>();
  private readonly reseedListeners = new Set<Listener<SeedProvenance>>();

  constructor(logger: Logger, clock: Clock) {
    this.logger = guardedLogger(logger);
    this.clock = clock;
    this.since = clock.wallMs();
  }

  get state(): RngState {
    return this.current;
  }

  get reason(): string {
    return this.why;
  }

  get sinceMs(): number {
    return this.since;
  }

  /** Failed for good (a self-test failed): no recovery by reseeding. */
  get permanentlyFailed(): boolean {
    return this.permanent;
  }

  get provenance(): SeedProvenance | undefined {
    return this.seed;
  }

  /** Subscribes to an event; returns the unsubscribe function. */
  on<E extends keyof RngEvents>(event: E, listener: Listener<RngEvents[E]>): () => void {
    const sets: { readonly [K in keyof RngEvents]: Set<Listener<RngEvents[K]>> } = {
      state: this.stateListeners,
      source: this.sourceListeners,
      reseed: this.reseedListeners,
    };
    const set = sets[event] as Set<Listener<RngEvents[E]>> | undefined;
    if (set === undefined)
      throw new CryptoError('CRYPTO_INVALID_ARGUMENT', `event must be one of state, source, reseed, got '${String(event)}'`);
    set.add(listener);
    return () => set.delete(listener);
  }

  private deliver<T>(listeners: Set<Listener<T>>, value: T): void {
    for (const l of [...listeners])
      notify(l, value, (err) => this.logger.error({ error: describeError(err) }, 'an Rng event listener threw; ignored'));
  }

  /** The pool's event hook: log the event as a structured record, remember alarms for the state. */
  readonly sourceEvent = (event: SourceEvent): void => {
    switch (event.type) {
      case 'alarm': {
        const f = event.failure;
        this.pendingDrawAlarms.push({ source: event.source, failure: f });
        const record = {
          source: event.source,
          test: f.test,
          alarm: f.level,
          observed: f.observed,
          cutoff: f.cutoff,
          ...(f.detail ? { detail: f.detail } : {}),
        };
        if (f.level === 'permanent') this.logger.error(record, 'entropy source failed a health test');
        else this.logger.warn(record, 'entropy source raised an intermittent health alarm');
        break;
      }
      case 'quarantined':
        this.logger.error(
          { source: event.source, test: event.failure.test, observed: event.failure.observed, cutoff: event.failure.cutoff },
          'entropy source quarantined',
        );
        break;
      case 'startup':
        (event.passed ? this.logger.info : this.logger.error).call(
          this.logger,
          { source: event.source, test: 'startup', passed: event.passed, samples: event.samples, readmission: event.readmission },
          event.passed
            ? event.readmission
              ? 'entropy source re-admitted'
              : 'entropy source passed start-up tests'
            : 'entropy source failed start-up tests',
        );
        break;
      case 'unavailable':
        this.logger.info({ source: event.source, reason: event.reason }, 'entropy source unavailable');
        break;
    }
    this.deliver(this.sourceListeners, event);
  };

  /** Marks the start of a pool draw: alarms from here on belong to it. */
  beginDraw(): void {
    this.pendingDrawAlarms = [];
  }

  /** A draw succeeded: record its provenance and re-derive the state from the sources. */
  drawSucceeded(draw: PoolDraw, purpose: SeedPurpose, sources: readonly SourceStatus[]): void {
    this.seed = {
      drawCounter: Number(draw.counter),
      purpose,
      atMs: this.clock.wallMs(),
      claimedBits: draw.claimedBits,
      contributions: draw.contributions,
    };
    this.lastDrawAlarms = this.pendingDrawAlarms;
    this.pendingDrawAlarms = [];
    this.logger.info(
      {
        purpose,
        draw: Number(draw.counter),
        claimedBits: draw.claimedBits,
        sources: draw.contributions.map((c) => `${c.id}:${c.creditedBits}`).join(','),
      },
      'generator seeded',
    );
    this.evaluate(sources);
    this.deliver(this.reseedListeners, this.seed);
  }

  /** healthy or degraded, from the sources' states and the last draw's alarms (after a successful draw). */
  private evaluate(sources: readonly SourceStatus[]): void {
    if (this.permanent) return;
    const quarantined = sources.filter((s) => s.state === 'quarantined');
    const [q] = quarantined;
    if (q) {
      const f = q.lastFailure;
      const detail = f
        ? f.test === 'read-error'
          ? `read error`
          : `${f.test} ${f.level}: observed ${f.observed}, cutoff ${f.cutoff}`
        : 'start-up failed';
      const more = quarantined.length > 1 ? ` (+${quarantined.length - 1} more quarantined)` : '';
      this.transition('degraded', `source '${q.id}' quarantined (${detail})${more}`);
      return;
    }
    const [a] = this.lastDrawAlarms;
    if (a) {
      this.transition(
        'degraded',
        `intermittent ${a.failure.test} alarm on '${a.source}' in the last draw (observed ${a.failure.observed}, cutoff ${a.failure.cutoff})`,
      );
      return;
    }
    this.transition('healthy', 'all admitted sources healthy');
  }

  /** A draw could not meet the policy, or another condition makes output impossible. */
  fail(reason: string): void {
    if (this.permanent) return;
    this.transition('failed', reason);
  }

  /** A known-answer self-test failed: failed for good. */
  failPermanently(reason: string): void {
    this.transition('failed', reason);
    this.permanent = true;
  }

  private transition(to: RngState, reason: string): void {
    if (to === this.current && reason === this.why) return;
    const change: RngStateChange = { from: this.current, to, reason, atMs: this.clock.wallMs() };
    const changed = to !== this.current;
    this.current = to;
    this.why = reason;
    if (!changed) return;
    this.since = change.atMs;
    const record = { from: change.from, to, reason };
    if (to === 'failed') this.logger.error(record, 'random generator failed');
    else if (to === 'degraded') this.logger.warn(record, 'random generator degraded');
    else this.logger.info(record, 'random generator healthy');
    this.deliver(this.stateListeners, change);
  }
}

/** An error as one line for a reason or a log record: code and message, never more. */
export function describeError(err: unknown): string {
  if (err instanceof HardenedRngError) return `${err.code}: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}
