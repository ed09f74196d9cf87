/**
 * The guard's decision, apart from locking and I/O (the shape of tmkms's `check_hrs` and Web3Signer's
 * slashing-protection checks): given the last state a key signed at and a request, sign, hand back the
 * identical signature, or refuse and say why. A pure function, so it is tested by a truth table.
 *
 *   - below the floor (`minHeight`, from the chain: a restored backup cannot reopen old heights): refuse;
 *   - no history, or above the last height/round/step: sign;
 *   - below it: refuse (regression);
 *   - at it with the same payload hash: re-sign (the stored signature, or null when the signing was
 *     interrupted after its intent was made durable — then the guard signs the same bytes again);
 *   - at it with a payload that differs from the last one only in its timestamp (`restampedHash`: the
 *     request's bytes carrying the last state's timestamp hash to the recorded payload hash), CometBFT
 *     FilePV's rule for a node that asks again for its own vote after a restart: re-sign the LAST bytes —
 *     the stored signature and the last timestamp, never a signature over the new time;
 *   - at it with any other payload, or where the payload is unknown (null, after a conflicting import), or
 *     where the last timestamp is unknown (a state from before timestamps were kept): refuse (double sign).
 *
 * Whether a key with no history may sign at all (`init`) is the guard's concern, not this function's.
 */
import { ct } from '../../crypto/index.js';
import equal = ct.equal;
import type { SignedState } from './guard-state.js';
import { compareHrs, type Hrs } from './hrs.js';

export interface SignRequest {
  readonly hrs: Hrs;
  /** SHA-256 of the sign bytes. */
  readonly payloadHash: Uint8Array;
  /**
   * SHA-256 of the sign bytes with the last state's timestamp in place of their own; only for formats
   * with a timestamp, when the last state records one.
   */
  readonly restampedHash?: Uint8Array;
}

export interface DecideOptions {
  /** The lowest height the guard signs at. */
  readonly minHeight?: number;
}

export type RefusalReason = 'double-sign' | 'regression' | 'below-floor';

export type SignDecision =
  | { readonly action: 'sign' }
  /** `restamped`: the request differed only in its timestamp; what is re-signed are the last bytes, at the last timestamp. */
  | { readonly action: 'resign'; readonly signature: Uint8Array | null; readonly restamped: boolean }
  | { readonly action: 'refuse'; readonly reason: RefusalReason };

export function decideSign(last: SignedState | undefined, request: SignRequest, opts: DecideOptions = {}): SignDecision {
  if (opts.minHeight !== undefined && request.hrs.height < opts.minHeight) return { action: 'refuse', reason: 'below-floor' };
  if (last === undefined) return { action: 'sign' };
  const cmp = compareHrs(request.hrs, last);
  if (cmp > 0) return { action: 'sign' };
  if (cmp < 0) return { action: 'refuse', reason: 'regression' };
  if (last.payloadHash === null) return { action: 'refuse', reason: 'double-sign' };
  if (equal(last.payloadHash, request.payloadHash)) return { action: 'resign', signature: last.signature, restamped: false };
  if (last.timestamp !== undefined && request.restampedHash !== undefined && equal(last.payloadHash, request.restampedHash)) {
    return { action: 'resign', signature: last.signature, restamped: true };
  }
  return { action: 'refuse', reason: 'double-sign' };
}
