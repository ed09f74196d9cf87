/**
 * The gate's targets, in the order of the audit table. To add a target: a module in this folder
 * exporting `CampaignSpec[]` (see ct.ts; the shape is in ../dudect/spec.ts) and ONE line below.
 */
import type { CampaignSpec } from '../dudect/spec.js';
import { negativeControl, plantedLeak32, positiveControl } from './controls.js';
import { ctSpecs } from './ct.js';
import { drbgSpecs } from './drbg.js';
import { kdfSpecs } from './kdf.js';
import { macSpecs } from './mac.js';
import { secretSpecs } from './secret.js';
import { sharingControlSpecs, sharingSpecs } from './sharing.js';

export const GATE_TARGETS: readonly CampaignSpec[] = [...ctSpecs, ...secretSpecs, ...macSpecs, ...kdfSpecs, ...drbgSpecs, ...sharingSpecs];

export { negativeControl, positiveControl, plantedLeak32 };

/** Every spec a child process may be asked to measure, by id. */
export function findSpec(id: string): CampaignSpec | undefined {
  return [...GATE_TARGETS, plantedLeak32, negativeControl, positiveControl, ...sharingControlSpecs].find((s) => s.id === id);
}
