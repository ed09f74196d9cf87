/**
 * crypto/ct: every helper, fixed vs random. For a comparison the fixed input is the one that matches the
 * secret (so a leaky comparison runs to the end) and the random one almost surely differs at byte 0 (so
 * a leaky comparison exits at once).
 */
import * as ct from '../../../../crypto/ct/index.js';
import { defineSpec, type CampaignSpec, type TimingTarget } from '../dudect/spec.js';
import { bytesTarget, classPools, fixedBytes } from './inputs.js';

const secret = fixedBytes(32, 1);
const zero = new Uint8Array(32);
const other = fixedBytes(32, 99);

interface Choice {
  c: number;
  readonly bit: Uint8Array;
}

/** select's choice: class 0 always 1, class 1 a random bit (drawn the same way as the fixed one). */
function selectTarget(): TimingTarget<Choice> {
  const fill = classPools(Uint8Array.of(1));
  return {
    allocate: () => ({ c: 0, bit: new Uint8Array(1) }),
    prepare: (slot, cls) => {
      fill(slot.bit, cls);
      slot.c = (slot.bit[0] as number) & 1;
    },
    run: (slot) => ct.select(slot.c, secret, other),
  };
}

export const ctSpecs: readonly CampaignSpec[] = [
  defineSpec({
    id: 'ct.equal',
    component: 'ct.equal',
    file: 'crypto/ct/equal.ts',
    method: 'equal(secret32, x): x = secret vs random',
    make: () => bytesTarget(secret, (s) => ct.equal(secret, s.a)),
  }),
  defineSpec({
    id: 'ct.compare',
    component: 'ct.compare',
    file: 'crypto/ct/compare.ts',
    method: 'compare(secret32, x): x = secret vs random',
    make: () => bytesTarget(secret, (s) => ct.compare(secret, s.a)),
  }),
  defineSpec({
    id: 'ct.isZero',
    component: 'ct.isZero',
    file: 'crypto/ct/is-zero.ts',
    method: 'isZero(x): x = 32 zero bytes vs random',
    make: () => bytesTarget(zero, (s) => ct.isZero(s.a)),
  }),
  defineSpec({
    id: 'ct.select',
    component: 'ct.select',
    file: 'crypto/ct/select.ts',
    method: 'select(c, a32, b32): c = 1 vs random bit',
    make: selectTarget,
  }),
];
