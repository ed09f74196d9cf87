/**
 * crypto/sharing (Shamir over GF(256)): the table-free field multiply, split and combine, fixed (all
 * zero) vs random. The campaigns and their planted-leak twins are built in ../sharing-targets.ts.
 */
import { defineSpec, type CampaignSpec, type TimingTarget } from '../dudect/spec.js';
import { sharingTargets } from '../sharing-targets.js';

export const sharingSpecs: readonly CampaignSpec[] = sharingTargets(undefined).map((c) =>
  defineSpec({ id: c.id, component: c.component, file: c.file, method: c.method, make: () => c.target as TimingTarget<unknown> }),
);
