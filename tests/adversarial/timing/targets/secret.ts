/** Secret.equals: a secret against the same bytes vs random bytes. */
import { Secret } from '../../../../crypto/secret/index.js';
import { defineSpec, type CampaignSpec, type TimingTarget } from '../dudect/spec.js';
import { classPools, fixedBytes } from './inputs.js';

function equalsTarget(): TimingTarget<Secret> {
  const fixed = fixedBytes(32, 3);
  const mine = Secret.from(fixed.slice());
  const fill = classPools(fixed);
  return {
    allocate: () => Secret.from(new Uint8Array(32)),
    prepare: (slot, cls) => slot.use((b) => fill(b, cls)),
    run: (slot) => mine.equals(slot),
  };
}

export const secretSpecs: readonly CampaignSpec[] = [
  defineSpec({
    id: 'secret.equals',
    component: 'Secret.equals',
    file: 'crypto/secret/secret.ts',
    method: 'secret32.equals(x): x = same bytes vs random',
    make: equalsTarget,
  }),
];
