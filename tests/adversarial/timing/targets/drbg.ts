/**
 * HmacDrbg.generate from a state instantiated with fixed vs random entropy. Each measurement needs a
 * freshly instantiated generator, which costs as much as the call measured: 20 s in CI.
 */
import { HmacDrbg } from '../../../../crypto/drbg/hmac-drbg.js';
import type { HashName } from '../../../../crypto/hash.js';
import { defineSpec, type CampaignSpec, type TimingTarget } from '../dudect/spec.js';
import { classPools, fixedBytes } from './inputs.js';

const LABEL: Readonly<Record<'sha512' | 'sha3-512', string>> = { sha512: 'SHA-512', 'sha3-512': 'SHA3-512' };

interface DrbgSlot {
  drbg: HmacDrbg | undefined;
  readonly entropy: Uint8Array;
}

function generateTarget(hash: HashName): TimingTarget<DrbgSlot> {
  const nonce = fixedBytes(16, 13);
  const fill = classPools(fixedBytes(48, 17));
  return {
    allocate: () => ({ drbg: undefined, entropy: new Uint8Array(48) }),
    prepare: (slot, cls) => {
      fill(slot.entropy, cls);
      slot.drbg = new HmacDrbg({ hash, entropy: slot.entropy, nonce });
    },
    run: (slot) => (slot.drbg as HmacDrbg).generate(64),
  };
}

export const drbgSpecs: readonly CampaignSpec[] = (['sha512', 'sha3-512'] as const satisfies readonly HashName[]).map((hash) =>
  defineSpec({
    id: `drbg.generate.${hash}`,
    component: `HmacDrbg.generate (${LABEL[hash]})`,
    file: 'crypto/drbg/hmac-drbg.ts',
    method: 'generate(64) from state instantiated with entropy = fixed vs random',
    budget: { maxMs: 20_000 },
    make: () => generateTarget(hash),
  }),
);
