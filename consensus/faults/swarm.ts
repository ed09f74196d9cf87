/**
 * Swarm testing (Groce et al., ISSTA 2012; TigerBeetle's VOPR): each seed draws its own fault profile —
 * which faults are on and how hard they hit — so one campaign covers many different worlds instead of
 * one average one. Within the profile, faults never touch more than f validators (crashes, pauses,
 * torn writes and broken entropy count against the budget), so safety and liveness are both owed.
 *
 * `twinsScenario` draws a Twins scenario (Bano et al., OPODIS 2021): one validator run twice with split
 * state, a leader per view and a partition per few views, for the throughput goal of the benchmark.
 */
import type { LinkProfile, Partition } from '../sim/network.js';
import { SimRandom } from '../sim/random.js';
import type { CrashFault, EntropyFault, Scenario } from './scenario.js';

function subset(r: SimRandom, items: readonly number[], k: number): number[] {
  return r
    .shuffle(items)
    .slice(0, k)
    .sort((a, b) => a - b);
}

export function swarmScenario(seed: number | string): Scenario {
  const r = SimRandom.fromSeed(seed, 'hrng/sim/swarm');
  const n = r.chance(0.75) ? 4 : 7;
  const f = Math.floor((n - 1) / 3);
  const ids = Array.from({ length: n }, (_, i) => i);
  const durationMs = r.int(1000, 2500);
  const link: LinkProfile = {
    latency: r.chance(0.5)
      ? { kind: 'uniform', minMs: r.int(1, 5), maxMs: r.int(10, 40) }
      : { kind: 'exponential', minMs: r.int(1, 5), meanMs: r.int(8, 30) },
    loss: r.chance(0.5) ? r.int(0, 30) / 100 : 0,
    duplicate: r.chance(0.3) ? r.int(0, 10) / 100 : 0,
    reorder: r.chance(0.3) ? r.int(0, 30) / 100 : 0,
    reorderMs: r.int(10, 100),
  };
  const partitions: Partition[] = [];
  for (let i = r.int(0, 2); i > 0; i--) {
    const from = r.int(0, durationMs - 200);
    const side = subset(r, ids, r.int(1, n - 1));
    partitions.push({
      fromMs: from,
      toMs: Math.min(durationMs, from + r.int(100, 1000)),
      groups: [side, ids.filter((x) => !side.includes(x))],
    });
  }
  const faulty = subset(r, ids, r.int(0, f));
  const crashes: CrashFault[] = [];
  const entropy: EntropyFault[] = [];
  const pauses: { slot: number; atMs: number; ms: number }[] = [];
  let torn: Scenario['tornWrites'];
  for (const slot of faulty) {
    const kind = r.pick(['crash', 'crash-node-disk', 'crash-stale', 'pause', 'torn', 'entropy'] as const);
    const atMs = r.int(100, durationMs - 100);
    if (kind === 'crash') crashes.push({ slot, atMs, restartAfterMs: r.int(0, 600) });
    if (kind === 'crash-node-disk') crashes.push({ slot, atMs, restartAfterMs: r.int(0, 600), wipeNode: true });
    if (kind === 'crash-stale') crashes.push({ slot, atMs, restartAfterMs: r.int(0, 300), nodeBackupAtMs: r.int(0, atMs) });
    if (kind === 'pause') pauses.push({ slot, atMs, ms: r.int(50, 800) });
    if (kind === 'torn') torn = { probability: r.int(1, 5) / 100, slots: [slot], restartAfterMs: r.int(50, 400) };
    // A raw source cycling through a short pattern is caught by APT only after a full 512-sample
    // window (many reseeds), so the swarm breaks raw sources the way RCT catches at once.
    if (kind === 'entropy')
      entropy.push(
        r.chance(0.5)
          ? { slot, atMs, source: 'raw', fault: r.pick(['stuck', 'biased'] as const) }
          : { slot, atMs, source: 'hsm', fault: r.pick(['stuck', 'repeated-blocks'] as const) },
      );
  }
  const skews = r.chance(0.3) ? [{ slot: r.int(0, n - 1), offsetMs: r.int(-500, 500), drift: r.int(-5, 5) / 100 }] : [];
  return {
    name: `swarm-${String(seed)}`,
    n,
    keys: 'sim',
    timeoutMs: r.pick([60, 100, 150]),
    durationMs,
    network: { link, gstMs: r.int(0, durationMs), deltaMs: 40, partitions },
    ...(crashes.length > 0 ? { crashes } : {}),
    ...(pauses.length > 0 ? { pauses } : {}),
    ...(entropy.length > 0 ? { entropy } : {}),
    ...(skews.length > 0 ? { skews } : {}),
    ...(torn !== undefined ? { tornWrites: torn } : {}),
    writebackMs: r.pick([50, 300, Number.MAX_SAFE_INTEGER]),
  };
}

/** A Twins scenario with n = 4: identity 3 runs twice (split state), leaders and partitions drawn per view. */
export function twinsScenario(seed: number | string, views = 20): Scenario {
  const r = SimRandom.fromSeed(seed, 'hrng/sim/twins');
  const slots = [0, 1, 2, 3, 4];
  const viewMs = 25;
  const partitions: Partition[] = [];
  for (let v = 0; v < views; v += 4) {
    if (!r.chance(0.5)) continue;
    const side = subset(r, slots, r.int(2, 3));
    partitions.push({ fromMs: v * viewMs, toMs: (v + 4) * viewMs, groups: [side, slots.filter((s) => !side.includes(s))] });
  }
  return {
    name: `twins-${String(seed)}`,
    n: 4,
    keys: 'sim',
    timeoutMs: 100,
    durationMs: views * viewMs,
    network: {
      link: { latency: { kind: 'uniform', minMs: 2, maxMs: 12 }, loss: 0, duplicate: 0, reorder: 0, reorderMs: 0 },
      gstMs: 0,
      deltaMs: 20,
      partitions,
    },
    leaders: Array.from({ length: views }, () => r.int(0, 3)),
    twins: [{ identity: 3, sharedGuard: r.chance(0.5) }],
    expect: { liveness: false },
  };
}
