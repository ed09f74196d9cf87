/**
 * The one file through which the simulation uses the signing guard (consensus/guard/SigningGuard), so
 * a change of the guard's API is a change here. A validator's signing path is: sign bytes in
 * `hrng-sign/v1` → `SigningGuard.sign` (which reads the position and chain id from the bytes and
 * decides) → the `Signer`. Refusals are typed errors; the node treats each as "stay silent" and the
 * harness counts it.
 */
import { HardenedRngError, type Signer } from '../../crypto/index.js';
import { SigningGuard } from '../guard/index.js';
import type { SimDisk } from './disk.js';
import { SimGuardStore, type SimGuardStoreFaults } from './guard-store.js';

export type SignOutcome = { readonly signature: Uint8Array } | { readonly refused: string };

export interface SimGuard {
  sign(signer: Signer, signBytes: Uint8Array): Promise<SignOutcome>;
}

export interface OpenGuardOptions {
  readonly disk: SimDisk;
  readonly now: () => number;
  readonly chainId: string;
  /** First start of a validator (the operator's --init-guard); false after a restart. */
  readonly init: boolean;
  readonly faults?: SimGuardStoreFaults;
}

/** The real guard over the simulated store. */
export async function openSimGuard(opts: OpenGuardOptions): Promise<SimGuard> {
  const store = new SimGuardStore(opts.disk, opts.now, opts.faults ?? {});
  const guard = await SigningGuard.open({ store, chainId: opts.chainId, init: opts.init });
  return {
    async sign(signer, signBytes) {
      try {
        return { signature: await guard.sign(signer, signBytes) };
      } catch (err) {
        if (err instanceof HardenedRngError) return { refused: err.code };
        throw err;
      }
    },
  };
}

/** What the guard's store holds for a key now: its position, 'corrupt', or undefined (no state). */
export async function storedPosition(
  disk: SimDisk,
  keyId: string,
): Promise<{ height: number; round: number; step: number } | 'corrupt' | undefined> {
  try {
    const s = await new SimGuardStore(disk, () => 0).read(keyId);
    return s === undefined ? undefined : { height: s.height, round: s.round, step: s.step };
  } catch {
    return 'corrupt';
  }
}

/** No guard at all: Byzantine validators, and the "sign without the guard" mutation. */
export const unguarded: SimGuard = {
  async sign(signer, signBytes) {
    return { signature: await signer.sign(signBytes) };
  },
};
