/**
 * The double-sign guard: in front of any Signer (software or HSM-held), it signs a payload at a
 * height/round/step only if that cannot conflict with anything the key signed before — the rule of
 * tmkms's double-sign protection and EIP-3076's slashing protection:
 *   - above the last height/round/step: allowed;
 *   - at it, same payload: the stored signature is returned (re-signing the identical vote);
 *   - at it, a different payload, or below it: refused (GUARD_DOUBLE_SIGN / GUARD_REGRESSION).
 *
 * Crash safety is write-ahead: the new height/round/step and the payload's SHA-256 are made durable
 * (atomic replace + fsync of file and directory) BEFORE the signer is called, and the signature is
 * recorded BEFORE it is returned. A crash at any point therefore leaves either no trace of the request
 * (nothing was signed) or a durable intent that refuses every other payload at that position.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import type { Clock } from '../../crypto/clock.js';
import { systemClock } from '../../crypto/clock.js';
import { equal } from '../../crypto/ct/equal.js';
import type { AtomicWritePoint } from '../../crypto/fs/index.js';
import type { Signer } from '../../crypto/keys/signer.js';
import type { Logger } from '../../crypto/log.js';
import { silentLogger } from '../../crypto/log.js';
import { GuardArgumentError, GuardDoubleSignError, GuardRegressionError } from './guard-errors.js';
import type { SignedState } from './guard-state.js';
import { GuardStore } from './guard-store.js';
import { assertHrs, compareHrs, type Hrs } from './hrs.js';
import { exportInterchange, importInterchange, type GuardInterchange, type ImportReport } from './interchange.js';

/** Where a signing can be interrupted; tests kill the process at each. */
export type GuardPoint = `intent:${AtomicWritePoint}` | 'signed' | `record:${AtomicWritePoint}`;

export interface GuardHooks {
  at(point: GuardPoint): void | Promise<void>;
}

export interface SigningGuardOptions {
  readonly dir: string;
  readonly logger?: Logger;
  readonly clock?: Clock;
  /** Fault injection for tests: called after each durable step of a signing. */
  readonly hooks?: GuardHooks;
}

export class SigningGuard {
  readonly #store: GuardStore;
  readonly #logger: Logger;
  readonly #clock: Clock;
  readonly #hooks: GuardHooks | undefined;

  private constructor(store: GuardStore, opts: SigningGuardOptions) {
    this.#store = store;
    this.#logger = opts.logger ?? silentLogger;
    this.#clock = opts.clock ?? systemClock;
    this.#hooks = opts.hooks;
  }

  /** Opens (creating if needed) the guard directory. */
  static async open(opts: SigningGuardOptions): Promise<SigningGuard> {
    return new SigningGuard(await GuardStore.open(opts.dir), opts);
  }

  get dir(): string {
    return this.#store.dir;
  }

  /** Signs `payload` at `hrs` with `signer` if that is provably safe; throws a typed refusal otherwise. */
  async sign(signer: Signer, hrs: Hrs, payload: Uint8Array): Promise<Uint8Array> {
    const at = assertHrs(hrs);
    if (!(payload instanceof Uint8Array)) throw new GuardArgumentError('payload must be a Uint8Array');
    // No vote or proposal is empty, and tokens refuse to sign empty input (SoftHSM: CKR_ARGUMENTS_BAD):
    // recording the intent first and failing after would close this position to every other payload.
    if (payload.length === 0) throw new GuardArgumentError('payload is empty: no vote or proposal is');
    // Our own copy, taken before the first await: what is hashed and recorded must be exactly what is
    // signed, even if the caller reuses its buffer while the guard waits for the lock and the disk.
    const message = payload.slice();
    const keyId = signer.keyId;
    const payloadHash = sha256(message);
    return this.#store.withKey(keyId, async () => {
      const last = await this.#store.read(keyId);
      if (last !== undefined) {
        const cmp = compareHrs(at, last);
        if (cmp < 0) {
          this.#logger.warn({ keyId, ...at, last: { height: last.height, round: last.round, step: last.step } }, 'guard: regression refused');
          throw new GuardRegressionError(keyId, at, last);
        }
        if (cmp === 0) {
          if (last.payloadHash === null || !equal(last.payloadHash, payloadHash)) {
            this.#logger.warn({ keyId, ...at }, 'guard: double sign refused');
            throw new GuardDoubleSignError(keyId, at);
          }
          // The identical payload: hand back what was signed, if it is there and genuine.
          if (last.signature !== null && signer.verify(message, last.signature)) return last.signature.slice();
          return this.#signAndRecord(signer, { keyId, ...at, payloadHash, signature: null }, message, false);
        }
      }
      return this.#signAndRecord(signer, { keyId, ...at, payloadHash, signature: null }, message, true);
    });
  }

  async #signAndRecord(signer: Signer, intent: SignedState, payload: Uint8Array, writeIntent: boolean): Promise<Uint8Array> {
    if (writeIntent) await this.#store.write(intent, this.#phase('intent'));
    const started = this.#clock.monotonicMs();
    const signature = await signer.sign(payload);
    await this.#hooks?.at('signed');
    await this.#store.write({ ...intent, signature }, this.#phase('record'));
    this.#logger.info(
      { keyId: intent.keyId, height: intent.height, round: intent.round, step: intent.step, signMs: this.#clock.monotonicMs() - started },
      'guard: signed',
    );
    return signature.slice();
  }

  #phase(prefix: 'intent' | 'record'): { at(p: AtomicWritePoint): void | Promise<void> } | undefined {
    const hooks = this.#hooks;
    return hooks === undefined ? undefined : { at: (p) => hooks.at(`${prefix}:${p}`) };
  }

  /** The last allowed height/round/step of a key, or undefined when it never signed here. */
  async lastSigned(keyId: string): Promise<SignedState | undefined> {
    return this.#store.read(keyId);
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
}
