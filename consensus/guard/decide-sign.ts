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
 *   - at it with a different payload, or where the payload is unknown (null, after a conflicting import):
 *     refuse (double sign).
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
}

export interface DecideOptions {
  /** The lowest height the guard signs at. */
  readonly minHeight?: number;
}

export type RefusalReason = 'double-sign' | 'regression' | 'below-floor';

export type SignDecision =
  | { readonly action: 'sign' }
  | { readonly action: 'resign'; readonly signature: Uint8Array | null }
  | { readonly action: 'refuse'; readonly reason: RefusalReason };

export function decideSign(last: SignedState | undefined, request: SignRequest, opts: DecideOptions = {}): SignDecision {
  if (opts.minHeight !== undefined && request.hrs.height < opts.minHeight) return { action: 'refuse', reason: 'below-floor' };
  if (last === undefined) return { action: 'sign' };
  const cmp = compareHrs(request.hrs, last);
  if (cmp > 0) return { action: 'sign' };
  if (cmp < 0) return { action: 'refuse', reason: 'regression' };
  if (last.payloadHash === null || !equal(last.payloadHash, request.payloadHash)) return { action: 'refuse', reason: 'double-sign' };
  return { action: 'resign', signature: last.signature };
}
