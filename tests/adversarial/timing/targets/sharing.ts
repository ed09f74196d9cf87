/**
 * crypto/sharing (Shamir over GF(256)): the table-free field multiply, split and combine, fixed (all
 * zero) vs random. The campaigns and their planted-leak twins are built in ../sharing-targets.ts.
 *
 * Each target is measured with its own twin as the positive lane of every run (spec.ts,
 * `positiveControl`): the same operation on the same inputs, written with the textbook loop that stops
 * when the secret operand's bits run out. A conclusive run must flag the twin, so a quiet `sharing.*`
 * target means the run could see a leak of exactly that shape, not only the 512-byte early exit.
 */
import { defineSpec, type CampaignSpec, type TimingTarget } from '../dudect/spec.js';
import { sharingControls, sharingTargets, type SharingCampaign } from '../sharing-targets.js';

const asSpec = (c: SharingCampaign<undefined>, positiveControl?: CampaignSpec): CampaignSpec =>
  defineSpec({
    id: c.id,
    component: c.component,
    file: c.file,
    method: c.method,
    ...(positiveControl === undefined ? {} : { positiveControl }),
    make: () => c.target as TimingTarget<unknown>,
  });

/** The planted leaks, in the order of the targets (gfMul, split, combine); the child finds them by id. */
export const sharingControlSpecs: readonly CampaignSpec[] = sharingControls(undefined).map((c) => asSpec(c));

/** Each target's twin, by id (an explicit table, so a reordering cannot pair a target with another's leak). */
export const SHARING_TWINS: Readonly<Record<string, string>> = {
  'sharing.gfMul': 'control.leaky-gf-mul',
  'sharing.split': 'control.leaky-split',
  'sharing.combine': 'control.leaky-combine',
};

export const sharingSpecs: readonly CampaignSpec[] = sharingTargets(undefined).map((c) =>
  asSpec(
    c,
    sharingControlSpecs.find((p) => p.id === SHARING_TWINS[c.id]),
  ),
);
