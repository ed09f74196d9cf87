/**
 * The named scenarios: one per fault the harness must show handled, each with what must happen
 * (`expect`). Validators are 0..n-1; with n = 4 (f = 1) the slots of twins follow (slot 4 is the twin
 * of the twinned identity), and the syncing observer of the long-range scenario comes last.
 */
import type { LinkProfile, NetworkOptions } from '../sim/network.js';
import { QUIET_LINK } from '../sim/network.js';
import { FORK_VIEWS } from './byzantine.js';
import type { Scenario } from './scenario.js';

const NET: NetworkOptions = { link: QUIET_LINK, gstMs: 0, deltaMs: 20 };
const LOSSY: LinkProfile = {
  latency: { kind: 'exponential', minMs: 2, meanMs: 25 },
  loss: 0.1,
  duplicate: 0.05,
  reorder: 0.2,
  reorderMs: 80,
};

function base(name: string, over: Partial<Scenario> = {}): Scenario {
  return { name, n: 4, keys: 'sim', timeoutMs: 100, durationMs: 1500, network: NET, ...over };
}

const forkLeaders = (k: number): number[] => Array.from({ length: k + FORK_VIEWS }, () => 3);

export const SCENARIOS: readonly Scenario[] = [
  base('baseline'),
  base('baseline-ed25519', { keys: 'ed25519', durationMs: 600 }),
  base('lossy-network', { network: { link: LOSSY, gstMs: 1500, deltaMs: 20 } }),
  base('partition', {
    durationMs: 2000,
    network: { ...NET, partitions: [{ fromMs: 300, toMs: 1500, groups: [[0, 1, 2], [3]] }] },
  }),
  base('partition-no-quorum', {
    durationMs: 2000,
    network: {
      ...NET,
      partitions: [
        {
          fromMs: 300,
          toMs: 1500,
          groups: [
            [0, 1],
            [2, 3],
          ],
        },
      ],
    },
  }),
  // A 2/2 split for 12.7 s: no quorum, so every node times out again and again. With the 8× cap the timer
  // in force at the heal is ≤ 8 × timeout and views resynchronise within the liveness bound; the
  // uncapped-backoff mutant is then in a 12.8 s timer and commits only after the bound.
  base('long-partition-no-quorum', {
    durationMs: 13000,
    network: {
      ...NET,
      partitions: [
        {
          fromMs: 300,
          toMs: 13000,
          groups: [
            [0, 1],
            [2, 3],
          ],
        },
      ],
    },
  }),
  base('crash-restart', { crashes: [{ slot: 2, atMs: 500, restartAfterMs: 400 }], writebackMs: 300 }),
  base('crash-stale-backup', { crashes: [{ slot: 1, atMs: 900, restartAfterMs: 50, nodeBackupAtMs: 300 }], writebackMs: 300 }),
  base('crash-amnesia', {
    crashes: [{ slot: 1, atMs: 600, restartAfterMs: 100, wipeNode: true, wipeSigner: true }],
    expect: { refusals: [{ slot: 1, code: 'GUARD_STATE_MISSING' }], silentAfter: [{ slot: 1, ms: 600 }] },
  }),
  base('torn-writes', { tornWrites: { probability: 0.02, slots: [1], restartAfterMs: 200 } }),
  base('pause-and-skew', {
    pauses: [{ slot: 0, atMs: 400, ms: 500 }],
    skews: [
      { slot: 1, offsetMs: 250, drift: 0.05 },
      { slot: 2, offsetMs: -100, drift: -0.05 },
    ],
  }),
  base('double-sign', {
    byzantine: [{ kind: 'double-sign', identity: 3, halves: [[0, 1], [2]] }],
    expect: { evidenceAgainst: [3] },
  }),
  base('equivocation', { byzantine: [{ kind: 'equivocate', identity: 2 }], expect: { evidenceAgainst: [2] } }),
  base('censorship', {
    byzantine: [{ kind: 'censor', identity: 1, tx: 'tx-censored' }],
    txs: [{ tx: 'tx-censored', atMs: 200 }],
    expect: { txCommitted: ['tx-censored'] },
  }),
  base('fork-attack-lock', {
    durationMs: 3000,
    leaders: forkLeaders(4),
    byzantine: [{ kind: 'fork-attack', identity: 3, prefix: [[0, 1], [0, 1], [0, 1], [0]], forkTo: [1, 2] }],
    network: {
      ...NET,
      partitions: [
        {
          fromMs: 0,
          toMs: 1200,
          groups: [
            [0, 1, 3],
            [2, 3],
          ],
        },
      ],
    },
  }),
  base('fork-attack-two-chain', {
    durationMs: 3000,
    leaders: forkLeaders(3),
    byzantine: [{ kind: 'fork-attack', identity: 3, prefix: [[0, 1], [0, 1], [0]], forkTo: [1, 2] }],
    network: {
      ...NET,
      partitions: [
        {
          fromMs: 0,
          toMs: 1200,
          groups: [
            [0, 1, 3],
            [1, 2, 3],
          ],
        },
      ],
    },
  }),
  base('fork-attack-forged', {
    durationMs: 3000,
    leaders: forkLeaders(4),
    byzantine: [{ kind: 'fork-attack', identity: 3, prefix: [[0, 1], [0, 1], [0, 1], [0]], forkTo: [2], forge: true }],
  }),
  base('long-range', {
    durationMs: 2500,
    longRange: { epochView: 10, observerStartMs: 1200, attackAtMs: 1300, forkViews: 6 },
  }),
  base('twins-shared-guard', {
    twins: [{ identity: 3, sharedGuard: true }],
    network: {
      ...NET,
      partitions: [
        {
          fromMs: 0,
          toMs: 800,
          groups: [
            [0, 1, 3],
            [2, 4],
          ],
        },
      ],
    },
    expect: { noEvidenceAgainst: [3], refusals: [{ slot: 4, code: 'GUARD_DOUBLE_SIGN' }] },
  }),
  base('twins-split-state', {
    twins: [{ identity: 3, sharedGuard: false }],
    network: {
      ...NET,
      partitions: [
        {
          fromMs: 0,
          toMs: 800,
          groups: [
            [0, 1, 3],
            [2, 4],
          ],
        },
      ],
    },
    expect: { evidenceAgainst: [3] },
  }),
  base('twins-forensics', {
    twins: [
      { identity: 2, sharedGuard: false },
      { identity: 3, sharedGuard: false },
    ],
    durationMs: 1200,
    network: {
      ...NET,
      partitions: [
        {
          fromMs: 0,
          toMs: 1200,
          groups: [
            [0, 2, 3],
            [1, 4, 5],
          ],
        },
      ],
    },
    expect: { safety: 'break', evidenceAgainst: [2, 3] },
  }),
  base('entropy-stuck', {
    entropy: [{ slot: 1, atMs: 500, source: 'raw', fault: 'stuck' }],
    expect: { rngFailed: [1] },
  }),
  base('entropy-biased', {
    entropy: [{ slot: 2, atMs: 300, source: 'raw', fault: 'biased' }],
    expect: { rngFailed: [2] },
  }),
  base('hsm-repeated-random', {
    entropy: [{ slot: 0, atMs: 400, source: 'hsm', fault: 'repeated-blocks' }],
    expect: { rngFailed: [0] },
  }),
  base('vm-snapshot-clone', { vmClone: [1, 2] }),
];

export function scenarioNamed(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
