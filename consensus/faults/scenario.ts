/**
 * A scenario: everything a run depends on besides the seed and the code, as plain JSON (a failing run
 * prints it; `hrng sim replay --scenario FILE --seed S` takes it back). Times are virtual ms.
 */
import type { NetworkOptions } from '../sim/network.js';
import type { SimKeyKind } from '../sim/keys.js';
import type { SourceFault } from '../sim/entropy.js';

export type ByzantineStrategy =
  /** Leader of views 1..prefix+k: builds a chain shown to some, then a fork from genesis shown to others. */
  | {
      readonly kind: 'fork-attack';
      readonly identity: number;
      readonly prefix: readonly (readonly number[])[];
      readonly forkTo: readonly number[];
      readonly forge?: boolean;
    }
  /** Proposes two blocks in each view it leads, one to each half. */
  | { readonly kind: 'double-sign'; readonly identity: number; readonly halves: readonly [readonly number[], readonly number[]] }
  /** Votes for the proposal and for a made-up block in every view. */
  | { readonly kind: 'equivocate'; readonly identity: number }
  /** Leaves `tx` out of its proposals. */
  | { readonly kind: 'censor'; readonly identity: number; readonly tx: string }
  /** Says nothing at all (crashed from the start, from the protocol's point of view). */
  | { readonly kind: 'silent'; readonly identity: number };

export interface CrashFault {
  readonly slot: number;
  readonly atMs: number;
  /** Restart this long after the crash; absent: stays down. */
  readonly restartAfterMs?: number;
  /** The node's disk is lost (protocol amnesia). */
  readonly wipeNode?: boolean;
  /** The signer's disk is lost too: the guard state is gone (full amnesia). */
  readonly wipeSigner?: boolean;
  /** The node's disk comes back from a backup taken at this time (a stale protocol state). */
  readonly nodeBackupAtMs?: number;
}

export interface EntropyFault {
  readonly slot: number;
  readonly atMs: number;
  /** Which source breaks: the raw noise source, or the HSM's random generator. */
  readonly source: 'raw' | 'hsm';
  readonly fault: SourceFault;
}

export interface Expectation {
  /** 'hold' (default) or 'break' (f ≥ n/3 on purpose). */
  readonly safety?: 'hold' | 'break';
  /** Check liveness after stabilisation (default true when safety holds). */
  readonly liveness?: boolean;
  /** Identities evidence must name. */
  readonly evidenceAgainst?: readonly number[];
  /** Identities evidence must not name. */
  readonly noEvidenceAgainst?: readonly number[];
  /** Slots that must have had a guard refusal with this code. */
  readonly refusals?: readonly { readonly slot: number; readonly code: string }[];
  /** Transactions every honest node must commit. */
  readonly txCommitted?: readonly string[];
  /** Slots whose generator must have failed. */
  readonly rngFailed?: readonly number[];
  /** Slots that must sign nothing after this time. */
  readonly silentAfter?: readonly { readonly slot: number; readonly ms: number }[];
}

export interface Scenario {
  readonly name: string;
  /** Validators, 3f + 1. */
  readonly n: number;
  readonly keys: SimKeyKind;
  readonly timeoutMs: number;
  /** The safety phase: faults happen within it. Liveness is owed from the stabilisation time after it. */
  readonly durationMs: number;
  readonly network: NetworkOptions;
  /** Leaders of views 1, 2, …; round robin after the list. */
  readonly leaders?: readonly number[];
  /** Extra slots running an identity again (Twins); `sharedGuard`: one guard state for both. */
  readonly twins?: readonly { readonly identity: number; readonly sharedGuard: boolean }[];
  readonly byzantine?: readonly ByzantineStrategy[];
  readonly crashes?: readonly CrashFault[];
  readonly pauses?: readonly { readonly slot: number; readonly atMs: number; readonly ms: number }[];
  readonly skews?: readonly { readonly slot: number; readonly offsetMs: number; readonly drift: number }[];
  readonly entropy?: readonly EntropyFault[];
  /** These identities boot from one VM snapshot of one generator. */
  readonly vmClone?: readonly number[];
  /** Storage faults on the signer disks: a write torn (and the node crashed) with this probability. */
  readonly tornWrites?: { readonly probability: number; readonly slots: readonly number[]; readonly restartAfterMs: number };
  /** Pending writes older than this are written back by the OS on their own (default: never). */
  readonly writebackMs?: number;
  readonly txs?: readonly { readonly tx: string; readonly atMs: number }[];
  /** Key rotation at `epochView`; an attacker with the retired keys shows a fork to a syncing observer. */
  readonly longRange?: {
    readonly epochView: number;
    readonly observerStartMs: number;
    readonly attackAtMs: number;
    readonly forkViews: number;
  };
  readonly expect?: Expectation;
}

import { ConsensusError } from '../errors.js';

/**
 * Checks a scenario document (e.g. a file given to `hrng sim replay`) for the fields a run needs and
 * returns it typed; SIM_SCENARIO_INVALID naming the first bad field otherwise. Optional fields are
 * taken as written: a run uses them as they are.
 */
export function parseScenario(doc: unknown): Scenario {
  const bad = (why: string): never => {
    throw new ConsensusError('SIM_SCENARIO_INVALID', `scenario: ${why}`);
  };
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return bad('not an object');
  const d = doc as Record<string, unknown>;
  if (typeof d.name !== 'string' || d.name.length === 0 || d.name.length > 200) bad('name must be a non-empty string');
  const n = d.n;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 4 || n > 31 || (n - 1) % 3 !== 0) bad('n must be 3f + 1 within 4..31');
  if (d.keys !== 'sim' && d.keys !== 'ed25519') bad("keys must be 'sim' or 'ed25519'");
  for (const k of ['timeoutMs', 'durationMs'] as const) {
    const v = d[k];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v > 3_600_000) bad(`${k} must be a positive number of ms (≤ 1 h)`);
  }
  const net = d.network as Record<string, unknown> | undefined;
  if (typeof net !== 'object' || net === null) return bad('network missing');
  if (typeof net.gstMs !== 'number' || typeof net.deltaMs !== 'number') bad('network.gstMs and network.deltaMs must be numbers');
  const link = net.link as Record<string, unknown> | undefined;
  if (typeof link !== 'object' || link === null || typeof link.latency !== 'object')
    bad('network.link with a latency distribution is required');
  return doc as Scenario;
}
