/**
 * What a dudect target is, in one place — the shape every target module uses.
 *
 * A `CampaignSpec` names a constant-time claim and says how to build its `TimingTarget`. The spec is
 * data plus a factory: the gate imports it in the test process (for the id and the table), and each
 * measurement builds the target afresh with `make()` inside its own child process, so no target's JIT
 * state, heap or caches depend on the targets measured before it.
 *
 * Adding a target: write `targets/NAME.ts` exporting `CampaignSpec[]` (see targets/ct.ts), and add
 * one line to the list in targets/index.ts. Nothing else changes.
 */
import type { MeasureOptions } from './measure.js';
import type { SampleClass } from './welch.js';

export interface TimingTarget<S> {
  /** A fresh input slot (allocated once, reused; never timed). */
  allocate(): S;
  /**
   * Fill `slot` for class 0 (the fixed input) or class 1 (a random input). Never timed. Both classes
   * must take the same code path here (the helpers in targets/inputs.ts copy from a fixed or a random
   * pool through the same function), so the classes differ only in the values.
   */
  prepare(slot: S, cls: SampleClass): void;
  /** The operation under test, on a prepared slot. */
  run(slot: S): unknown;
}

export interface CampaignSpec {
  /** Unique, stable id (`layer.function[.variant]`): the child process finds the target by it. */
  readonly id: string;
  /** Human name for the audit table. */
  readonly component: string;
  /** Source file of the code under test, relative to the repository root. */
  readonly file: string;
  /** What is measured: the call and its fixed-vs-random classes. */
  readonly method: string;
  /**
   * Overrides of the CI budget (`ciOptions()`: 40 000 measurements, runs capped at 10 s) for targets
   * that need more measurements or more time per measurement. Ignored by the long campaign.
   */
  readonly budget?: Partial<MeasureOptions>;
  /**
   * The planted leak measured as this target's positive lane, when the target has a twin of its own
   * shape (the same operation written with a secret-dependent loop; see ../sharing-targets.ts). A run
   * whose twin is not flagged is blind, as with the default control (the early-exit comparison).
   */
  readonly positiveControl?: CampaignSpec;
  /** Builds the target (called only in the child process that measures it). */
  make(): TimingTarget<never>;
}

/** Types a target module's spec without casts: `defineSpec({ ..., make: () => bytesTarget(...) })`. */
export function defineSpec<S>(spec: Omit<CampaignSpec, 'make'> & { make(): TimingTarget<S> }): CampaignSpec {
  return spec as CampaignSpec;
}
