/**
 * The validator set: n = 3f + 1 identities, each with one key per epoch. Epoch e covers views
 * [starts[e], starts[e+1]); a key retires when its epoch ends, and a signature by a retired key on a
 * later view is invalid — the rule that defeats a long-range attack (a fork from an old height signed
 * with keys that have since retired, Buterin's "weak subjectivity"). Verification is memoised by
 * signature, so a QC seen by every node is checked once per run.
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import type { Verifier } from '../../crypto/index.js';

export class ValidatorSet {
  readonly n: number;
  readonly f: number;
  /** Votes in a quorum certificate: 2f + 1. */
  readonly quorum: number;
  /** keys[identity][epoch]. */
  readonly #keys: readonly (readonly Verifier[])[];
  readonly #starts: readonly number[];
  readonly #cache = new Map<string, boolean>();
  readonly #memo: boolean;

  constructor(keys: readonly (readonly Verifier[])[], epochStarts: readonly number[] = [0], opts: { readonly memoise?: boolean } = {}) {
    this.n = keys.length;
    this.f = Math.floor((this.n - 1) / 3);
    this.quorum = 2 * this.f + 1;
    this.#keys = keys;
    this.#starts = epochStarts;
    this.#memo = opts.memoise ?? true;
  }

  epochOf(view: number): number {
    let e = 0;
    for (let i = 1; i < this.#starts.length; i++) if (view >= (this.#starts[i] ?? Infinity)) e = i;
    return e;
  }

  /** The key `identity` signs with at `view`; with `anyEpoch`, every key it ever had (a broken check). */
  verifiers(identity: number, view: number, anyEpoch = false): readonly Verifier[] {
    const ks = this.#keys[identity] ?? [];
    if (anyEpoch) return ks;
    const k = ks[Math.min(this.epochOf(view), ks.length - 1)];
    return k === undefined ? [] : [k];
  }

  /**
   * Whether `signature` over `message` is valid under `identity`'s key at `view` (with `anyEpoch`, under
   * any key it ever had: a broken check).
   */
  verify(message: Uint8Array, signature: Uint8Array, at: { identity: number; view: number; anyEpoch?: boolean }): boolean {
    const { identity, view, anyEpoch = false } = at;
    for (const v of this.verifiers(identity, view, anyEpoch)) {
      if (!this.#memo) {
        if (v.verify(message, signature)) return true;
        continue;
      }
      const key = `${v.keyId}:${bytesToHex(signature)}:${bytesToHex(message)}`;
      let ok = this.#cache.get(key);
      if (ok === undefined) {
        ok = v.verify(message, signature);
        this.#cache.set(key, ok);
      }
      if (ok) return true;
    }
    return false;
  }

  /** The verifier holding `keyId`, whichever identity and epoch (for evidence). */
  verifierOf(keyId: string): { readonly identity: number; readonly verifier: Verifier } | undefined {
    for (let i = 0; i < this.#keys.length; i++)
      for (const v of this.#keys[i] ?? []) if (v.keyId === keyId) return { identity: i, verifier: v };
    return undefined;
  }
}
