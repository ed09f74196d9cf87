/**
 * Which validator key signs at a height: the current key, and optionally a next key that takes over
 * from a configured height (a planned key rotation: the chain's validator-set update names the new
 * key from that height on). A pure function, so the switch is tested by a table; the guard keeps each
 * key's history under its own key id, so both histories stay protected across the switch.
 */
import type { Signer } from '../crypto/index.js';
import { SignerError } from './errors.js';

export interface KeySchedule {
  readonly current: Signer;
  readonly next?: { readonly signer: Signer; readonly fromHeight: number };
}

export function keyForHeight(s: KeySchedule, height: number): Signer {
  return s.next !== undefined && height >= s.next.fromHeight ? s.next.signer : s.current;
}

/** Refuses schedules CometBFT cannot use: non-Ed25519 keys, one key twice, a rotation height below 1. */
export function assertKeySchedule(s: KeySchedule): KeySchedule {
  const keys = s.next === undefined ? [s.current] : [s.current, s.next.signer];
  for (const k of keys) {
    if (k.scheme !== 'ed25519')
      throw new SignerError('SIGNER_CONFIG_INVALID', `CometBFT validator keys are Ed25519; key ${k.keyId} is ${k.scheme}`);
  }
  if (s.next !== undefined) {
    if (!Number.isSafeInteger(s.next.fromHeight) || s.next.fromHeight < 1)
      throw new SignerError('SIGNER_CONFIG_INVALID', 'the rotation height must be a positive integer');
    if (s.next.signer.keyId === s.current.keyId) throw new SignerError('SIGNER_CONFIG_INVALID', 'the next key is the current key');
  }
  return s;
}
