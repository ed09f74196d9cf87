/**
 * The double-sign guard: in front of any Signer (software or HSM-held), it signs sign bytes only if that
 * cannot conflict with anything the key signed before — the rule of tmkms's double-sign protection and
 * EIP-3076's slashing protection, decided by decideSign (decide-sign.ts). The position and the chain id
 * are read from the bytes by a SignBytesDecoder, never taken from the caller.
 *
 * Crash safety is write-ahead: the new height/round/step and the SHA-256 of the sign bytes are made
 * durable BEFORE the signer is called, and the signature is recorded (kept for an identical re-request)
 * after it; both writes are compare-and-swap against the state read under the key's lock. A crash at any
 * point therefore leaves either no trace of the request (nothing was signed) or a durable intent that
 * refuses every other payload at that position. By default the signature is returned only once its record
 * is durable too; with `returnBeforeRecord` (a signer service's choice) it is returned as soon as it exists
 * and the record is written after — the same safety, because a crash before the record is the crash
 * between signing and recording, which the durable intent already covers (only the same bytes may be
 * signed again). The record then waits until the key has been idle `recordDelayMs`, and is dropped when
 * the key's next intent supersedes it first (the next intent replaces the whole state, the record
 * included): a node's back-to-back votes cost one durable write each, as tmkms's state file does, and a
 * paced node's records land between its votes. Until it lands, the guard decides on the state with the
 * signature (it is in memory, under the same lock), so an identical re-request gets it back unchanged.
 *
 * A key with no history is refused unless the guard was opened with `init: true` (an operator's
 * `--init-guard`) or a starting watermark was imported: a mistyped or lost guard directory must not
 * silently start from nothing (Lighthouse's `--init-slashing-protection`).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { silentLogger, systemClock, type Clock, type Logger, type Signer } from '../../crypto/index.js';
import { ConsensusError, GuardRefusalError } from '../errors.js';
import { decideSign, type RefusalReason } from './decide-sign.js';
import { FileGuardStore } from './file-guard-store.js';
import { check } from './guard-check.js';
import { assertKeyId, sameState, type SignedState } from './guard-state.js';
import type { GuardStateStore, StoreWriteHooks, StoreWritePoint } from './guard-state-store.js';
import { formatHrs, type Hrs } from './hrs.js';
import { exportInterchange, importInterchange, importStates, type GuardInterchange, type ImportReport } from './interchange.js';
import { decodeWithAny, hrngSignBytesDecoder, type SignBytesDecoder } from './sign-bytes-decoder.js';

/**
 * Where a signing can be interrupted; tests kill the process at each. With the file store: `slot-written`,
 * `slot-synced` for each write, the atomic writer's four for a key's first intent (file-guard-store.ts).
 */
export type GuardPoint = `intent:${StoreWritePoint}` | 'signed' | `record:${StoreWritePoint}`;

export interface GuardHooks {
  at(point: GuardPoint): void | Promise<void>;
}

export interface SigningGuardOptions {
  /** Where the history is kept; without it, `dir` opens a FileGuardStore there. */
  readonly store?: GuardStateStore;
  readonly dir?: string;
  /** With `dir`: take over a lock held from another host, boot or pid namespace (the operator says its owner is gone). */
  readonly takeOverForeignLock?: boolean;
  /** With `dir`: keep each key's lock from its first signing until close(), as a signer service does (FileGuardStore). */
  readonly holdLocks?: boolean;
  /** The formats accepted, tried in order; default [hrngSignBytesDecoder]. */
  readonly decoders?: readonly SignBytesDecoder[];
  /** When set, sign bytes for any other chain are refused (GUARD_CHAIN_MISMATCH). */
  readonly chainId?: string;
  /** Allow a key with no history to start from nothing (the operator's --init-guard). */
  readonly init?: boolean;
  /** The lowest height signed at (from the chain; GUARD_BELOW_FLOOR below it). */
  readonly minHeight?: number;
  readonly logger?: Logger;
  readonly clock?: Clock;
  /** Fault injection for tests: called after each durable step of a signing. */
  readonly hooks?: GuardHooks;
  /**
   * Return a signature once its intent is durable and it exists, and write its record after, under the key's
   * lock, once the key has been idle `recordDelayMs` (the key's next intent supersedes it; `close()` writes
   * every record still waiting). A failed record is logged and the key's state stays at the durable intent.
   * Default false: returned after the record.
   */
  readonly returnBeforeRecord?: boolean;
  /**
   * With returnBeforeRecord: how long a key must be idle before its last record is written (default 0:
   * as soon as the event loop is free). A signing of the key before then supersedes the record.
   */
  readonly recordDelayMs?: number;
}

/** A record not yet written: the durable intent it replaces and the state with the signature. */
interface PendingRecord {
  readonly expected: SignedState | undefined;
  readonly next: SignedState;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** Its write once started (by the timer or close()), so it is started once. */
  flushing?: Promise<void>;
}

/** What the guard read from sign bytes it signed (for logs and replies). */
export interface GuardedSignature {
  readonly signature: Uint8Array;
  /**
   * The bytes `signature` is over: the request's, except when `restamped` — the request differed from
   * the last signed bytes only in its timestamp, and these are the last bytes, with the last timestamp
   * (the caller's reply must carry that timestamp, as CometBFT's FilePV does).
   */
  readonly signedBytes: Uint8Array;
  readonly restamped: boolean;
  readonly chainId: string;
  readonly hrs: Hrs;
  readonly format: string;
}

type SignedResult = { readonly signature: Uint8Array; readonly signedBytes: Uint8Array; readonly restamped: boolean };

const REFUSAL_CODE = {
  'double-sign': 'GUARD_DOUBLE_SIGN',
  regression: 'GUARD_REGRESSION',
  'below-floor': 'GUARD_BELOW_FLOOR',
} as const satisfies Record<RefusalReason, string>;

export class SigningGuard {
  readonly #store: GuardStateStore;
  readonly #decoders: readonly SignBytesDecoder[];
  readonly #chainId: string | undefined;
  readonly #init: boolean;
  readonly #minHeight: number | undefined;
  readonly #logger: Logger;
  readonly #clock: Clock;
  readonly #hooks: GuardHooks | undefined;
  readonly #returnBeforeRecord: boolean;
  readonly #recordDelayMs: number;
  /** With returnBeforeRecord: each key's record that is not yet written (at most one: the last signing's). */
  readonly #pending = new Map<string, PendingRecord>();
  /** Signings in flight, and with returnBeforeRecord the records being written after their replies. */
  readonly #inFlight = new Set<Promise<unknown>>();

  private constructor(store: GuardStateStore, opts: SigningGuardOptions) {
    this.#store = store;
    this.#decoders = opts.decoders ?? [hrngSignBytesDecoder];
    this.#chainId = opts.chainId;
    this.#init = opts.init ?? false;
    this.#minHeight = opts.minHeight;
    this.#logger = opts.logger ?? silentLogger;
    this.#clock = opts.clock ?? systemClock;
    this.#hooks = opts.hooks;
    this.#returnBeforeRecord = opts.returnBeforeRecord === true;
    this.#recordDelayMs = opts.recordDelayMs ?? 0;
  }

  /** Opens the guard over `store`, or over a file store in `dir` (created if needed). */
  static async open(opts: SigningGuardOptions): Promise<SigningGuard> {
    check.record(opts, 'options');
    if (opts.chainId !== undefined) check.string(opts.chainId, 'chainId', { minLength: 1, maxLength: 256 });
    if (opts.minHeight !== undefined) check.integer(opts.minHeight, 'minHeight');
    if (opts.init !== undefined) check.boolean(opts.init, 'init');
    if (opts.returnBeforeRecord !== undefined) check.boolean(opts.returnBeforeRecord, 'returnBeforeRecord');
    if (opts.recordDelayMs !== undefined) check.integer(opts.recordDelayMs, 'recordDelayMs', { min: 0, max: 60_000 });
    if (opts.decoders !== undefined && (!Array.isArray(opts.decoders) || opts.decoders.length === 0)) {
      throw new ConsensusError('CONSENSUS_INVALID_ARGUMENT', 'decoders must be a non-empty array');
    }
    if ((opts.store === undefined) === (opts.dir === undefined)) {
      throw new ConsensusError('CONSENSUS_INVALID_ARGUMENT', 'exactly one of store and dir is required');
    }
    const store =
      opts.store ??
      (await FileGuardStore.open(check.string(opts.dir, 'dir', { minLength: 1 }), {
        takeOverForeign: opts.takeOverForeignLock === true,
        holdLocks: opts.holdLocks === true,
      }));
    if (store instanceof FileGuardStore) {
      const status = store.lockStatus();
      if (status.osLock === 'unavailable') {
        (opts.logger ?? silentLogger).warn(
          { dir: store.dir, osLock: status.osLock, reason: status.reason },
          'guard: no OS lock on this host; only the lock files keep two signers apart',
        );
      }
    }
    return new SigningGuard(store, opts);
  }

  /** The directory of a file store, or undefined for another store. */
  get dir(): string | undefined {
    return this.#store instanceof FileGuardStore ? this.#store.dir : undefined;
  }

  /** Signs `signBytes` with `signer` if that is provably safe; throws a typed refusal otherwise. */
  async sign(signer: Signer, signBytes: Uint8Array): Promise<Uint8Array> {
    return (await this.signDetailed(signer, signBytes)).signature;
  }

  /** As `sign`, also saying what the bytes stated (chain id, position, format). */
  async signDetailed(signer: Signer, signBytes: Uint8Array): Promise<GuardedSignature> {
    check.bytes(signBytes, 'signBytes', { minLength: 1 });
    // Our own copy, taken before the first await: what is decoded, hashed and recorded must be exactly
    // what is signed, even if the caller reuses its buffer while the guard waits for the lock and the disk.
    const message = signBytes.slice();
    const keyId = assertKeyId(signer.keyId);
    const decoded = decodeWithAny(this.#decoders, message);
    if (decoded === undefined) {
      this.#logger.info({ keyId, formats: this.#decoders.map((d) => d.format) }, 'guard: undecodable sign bytes refused');
      throw new ConsensusError(
        'GUARD_SIGN_BYTES_UNDECODABLE',
        `refused: sign bytes in none of the accepted formats (${this.#decoders.map((d) => d.format).join(', ')})`,
      );
    }
    const { chainId, hrs, format } = decoded;
    if (this.#chainId !== undefined && chainId !== this.#chainId) {
      this.#logger.info({ keyId, chainId, expected: this.#chainId }, 'guard: other chain refused');
      throw new ConsensusError(
        'GUARD_CHAIN_MISMATCH',
        `refused: sign bytes for chain '${chainId.slice(0, 64)}', this guard signs for '${this.#chainId}'`,
      );
    }
    const payloadHash = sha256(message);
    const work = this.#store.withKey(keyId, async (): Promise<SignedResult> => {
      const onDisk = await this.#store.read(keyId);
      // A record not yet written stands for the state while the store still holds its intent; one that
      // another writer's state replaced since is dropped, never written.
      const pending = this.#pending.get(keyId);
      const stale = pending !== undefined && !sameState(onDisk, pending.expected);
      if (stale) this.#takePending(keyId);
      const last = pending !== undefined && !stale ? pending.next : onDisk;
      return this.#decideAndSign(signer, { message, keyId, decoded, payloadHash, last, onDisk });
    });
    this.#track(work);
    return { ...(await work), chainId, hrs, format };
  }

  /** Under the key's lock: decides on `last` (the state, a record not yet written included) and signs or refuses. */
  async #decideAndSign(
    signer: Signer,
    w: {
      readonly message: Uint8Array;
      readonly keyId: string;
      readonly decoded: NonNullable<ReturnType<typeof decodeWithAny>>;
      readonly payloadHash: Uint8Array;
      readonly last: SignedState | undefined;
      /** What the store holds: every write is compare-and-swap against it. */
      readonly onDisk: SignedState | undefined;
    },
  ): Promise<SignedResult> {
    const { message, keyId, decoded, payloadHash, last, onDisk } = w;
    const { chainId, hrs, decoder } = decoded;
    if (last === undefined && !this.#init) {
      this.#logger.info({ keyId, ...hrs }, 'guard: no history for this key, refused');
      throw new ConsensusError(
        'GUARD_STATE_MISSING',
        `refused: no signing history for key ${keyId}; start it with --init-guard or import a watermark`,
      );
    }
    // The request with the last timestamp in place of its own, for the timestamp-only rule (decide-sign.ts).
    const restampedBytes =
      last?.timestamp !== undefined && decoded.timestamp !== undefined && decoder.restamp !== undefined
        ? decoder.restamp(message, last.timestamp)
        : undefined;
    const decision = decideSign(
      last,
      { hrs, payloadHash, ...(restampedBytes !== undefined ? { restampedHash: sha256(restampedBytes) } : {}) },
      this.#minHeight === undefined ? {} : { minHeight: this.#minHeight },
    );
    if (decision.action === 'refuse') {
      const code = REFUSAL_CODE[decision.reason];
      const against = decision.reason === 'below-floor' ? { height: this.#minHeight ?? 0, round: 0, step: 0 } : (last ?? hrs);
      this.#logger.info(
        {
          keyId,
          chainId,
          ...hrs,
          last: against === undefined ? null : { height: against.height, round: against.round, step: against.step },
          reason: decision.reason,
        },
        `guard: ${decision.reason} refused`,
      );
      throw new GuardRefusalError(code, keyId, hrs, against);
    }
    const intent: SignedState = {
      keyId,
      ...hrs,
      payloadHash,
      signature: null,
      ...(decoded.timestamp !== undefined ? { timestamp: decoded.timestamp } : {}),
    };
    if (decision.action === 'resign') {
      // The last bytes (identical, or the request at the last timestamp): hand back what was signed,
      // if it is there and genuine; else sign those same bytes, which the durable intent allowed.
      const restamped = decision.restamped && restampedBytes !== undefined && last !== undefined;
      const signedBytes = restamped ? restampedBytes : message;
      if (restamped) this.#logger.info({ keyId, chainId, ...hrs }, 'guard: only the timestamp differs; the last signature is returned');
      if (decision.signature !== null && signer.verify(signedBytes, decision.signature)) {
        return { signature: decision.signature.slice(), signedBytes, restamped };
      }
      const state = restamped ? last : intent;
      return {
        signature: await this.#signAndRecord(signer, { onDisk, intent: state, message: signedBytes }, false),
        signedBytes,
        restamped,
      };
    }
    return {
      signature: await this.#signAndRecord(signer, { onDisk, intent, message }, true),
      signedBytes: message,
      restamped: false,
    };
  }

  /** Keeps `p` until it settles, so close() waits for every signing in flight (its outcome is the caller's). */
  #track(p: Promise<unknown>): void {
    const settled: Promise<void> = p.then(
      () => void this.#inFlight.delete(settled),
      () => void this.#inFlight.delete(settled),
    );
    this.#inFlight.add(settled);
  }

  async #signAndRecord(
    signer: Signer,
    w: {
      /** The state in the store, which the intent and the record are swapped against. */
      readonly onDisk: SignedState | undefined;
      readonly intent: SignedState;
      readonly message: Uint8Array;
    },
    writeIntent: boolean,
  ): Promise<Uint8Array> {
    const { intent } = w;
    let current = w.onDisk;
    if (writeIntent) {
      // The new intent replaces the whole state: a record still waiting is superseded, never written.
      this.#takePending(intent.keyId);
      await this.#swap(current, intent, 'intent');
      current = intent;
    }
    const started = this.#clock.monotonicMs();
    const signature = await signer.sign(w.message);
    await this.#hooks?.at('signed');
    const record: SignedState = { ...intent, signature };
    if (this.#returnBeforeRecord) this.#defer({ expected: current, next: record, timer: undefined });
    else await this.#swap(current, record, 'record');
    this.#logger.info(
      { keyId: intent.keyId, height: intent.height, round: intent.round, step: intent.step, signMs: this.#clock.monotonicMs() - started },
      'guard: signed',
    );
    return signature.slice();
  }

  /**
   * Keeps `p` as the key's record not yet written and arms its write for when the key has been idle
   * recordDelayMs. The timer does not keep the process alive: a record lost at exit is the crash case.
   */
  #defer(p: PendingRecord): void {
    const keyId = p.next.keyId;
    this.#takePending(keyId);
    this.#pending.set(keyId, p);
    p.timer = setTimeout(() => void this.#flush(p), this.#recordDelayMs);
    p.timer.unref();
  }

  /** Takes the key's record not yet written out of the queue (the caller holds the key's lock). */
  #takePending(keyId: string): PendingRecord | undefined {
    const p = this.#pending.get(keyId);
    if (p === undefined) return undefined;
    clearTimeout(p.timer);
    this.#pending.delete(keyId);
    return p;
  }

  /** Writes `p` under the key's lock unless a signing took it first; a failure is logged, never thrown. */
  #flush(p: PendingRecord): Promise<void> {
    if (p.flushing !== undefined) return p.flushing;
    const keyId = p.next.keyId;
    const done = this.#store
      .withKey(keyId, async () => {
        if (this.#pending.get(keyId) !== p) return;
        this.#takePending(keyId);
        await this.#swap(p.expected, p.next, 'record');
      })
      .catch((e: unknown) => {
        this.#logger.error(
          { keyId, height: p.next.height, round: p.next.round, step: p.next.step, code: e instanceof ConsensusError ? e.code : 'unknown' },
          'guard: the record after the reply failed; the key stands at its durable intent',
        );
      });
    p.flushing = done;
    this.#track(done);
    return done;
  }

  async #swap(expected: SignedState | undefined, next: SignedState, phase: 'intent' | 'record'): Promise<void> {
    const hooks = this.#phase(phase);
    if (!(await this.#store.compareAndSwap(next.keyId, expected, next, hooks ? { hooks } : {}))) {
      this.#logger.error(
        { keyId: next.keyId, height: next.height, round: next.round, step: next.step, phase },
        'guard: state changed under the lock',
      );
      throw new ConsensusError(
        'GUARD_STATE_CONFLICT',
        `guard state of key ${next.keyId} changed under its lock before the ${phase} at ${formatHrs(next)} was written; nothing signed`,
      );
    }
  }

  #phase(prefix: 'intent' | 'record'): StoreWriteHooks | undefined {
    const hooks = this.#hooks;
    return hooks === undefined ? undefined : { at: (p) => hooks.at(`${prefix}:${p}`) };
  }

  /** The last allowed height/round/step of a key, or undefined when it never signed here. */
  async lastSigned(keyId: string): Promise<SignedState | undefined> {
    return this.#store.read(assertKeyId(keyId));
  }

  /** The whole history in the interchange format (EIP-3076-like), for moving a validator. */
  async exportInterchange(): Promise<GuardInterchange> {
    return exportInterchange(this.#store, this.#clock);
  }

  /** Merges an interchange document conservatively (never lowers a key's history); refuses malformed input whole. */
  async importInterchange(doc: unknown): Promise<ImportReport> {
    const report = await importInterchange(this.#store, doc);
    this.#logger.info({ ...report }, 'guard: interchange imported');
    return report;
  }

  /** Merges starting watermarks (e.g. from priv_validator_state.json) conservatively. */
  async importWatermarks(states: readonly SignedState[]): Promise<ImportReport> {
    const report = await importStates(this.#store, states);
    this.#logger.info({ ...report }, 'guard: watermarks imported');
    return report;
  }

  async close(): Promise<void> {
    // Signings in flight finish first, then every record not yet written is written now.
    await Promise.all(this.#inFlight);
    await Promise.all([...this.#pending.values()].map((p) => this.#flush(p)));
    await Promise.all(this.#inFlight);
    await this.#store.close();
  }
}
