/**
 * Entropy: no two draws anywhere in the run gave the same nonce, no two validators hold the same key,
 * a validator whose generator failed signs nothing afterwards, and a validator whose entropy source
 * broke stops signing within one reseed interval (it must fail closed, not sign on weak randomness).
 */
import type { Ledger } from './ledger.js';
import type { Violation } from './violation.js';

export interface EntropyInput {
  readonly ledger: Ledger;
  /** Slots whose source the scenario broke, and when. */
  readonly brokenSources: ReadonlyMap<number, number>;
  /** Signatures allowed after a source breaks before the generator must have noticed. */
  readonly grace: number;
}

export function checkEntropy(input: EntropyInput): Violation[] {
  const { ledger } = input;
  const out: Violation[] = [];
  const seen = new Map<string, number>();
  for (const n of ledger.nonces) {
    const prev = seen.get(n.hex);
    if (prev !== undefined) {
      out.push({ check: 'entropy', message: `nonce ${n.hex.slice(0, 12)}… drawn twice (slots ${prev} and ${n.slot})` });
      break;
    }
    seen.set(n.hex, n.slot);
  }
  const keys = new Map<string, number>();
  for (const k of ledger.keys) {
    const prev = keys.get(k.publicKeyHex);
    if (prev !== undefined && prev !== k.identity) {
      out.push({ check: 'entropy', message: `validators ${prev} and ${k.identity} hold the same key ${k.publicKeyHex.slice(0, 12)}…` });
      break;
    }
    keys.set(k.publicKeyHex, k.identity);
  }
  for (const [slot, failedAt] of ledger.rngFailures) {
    const after = ledger.signatures.filter((s) => s.slot === slot && s.timeMs > failedAt);
    if (after.length > 0)
      out.push({ check: 'entropy', message: `slot ${slot} signed ${after.length} messages after its generator failed at ${failedAt} ms` });
  }
  for (const [slot, brokeAt] of input.brokenSources) {
    const after = ledger.signatures.filter((s) => s.slot === slot && s.timeMs > brokeAt).length;
    if (after > input.grace)
      out.push({
        check: 'entropy',
        message: `slot ${slot} signed ${after} messages after its entropy source broke at ${brokeAt} ms (grace ${input.grace})`,
      });
  }
  return out;
}
