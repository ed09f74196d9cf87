/**
 * Who holds the shares: a pure function of what the aggregator knows about each agent, so the policy is
 * a truth table (tests/unit/quorum/policy.test.ts).
 *
 * Eligible: enrolled and not revoked; healthy by its last signed attestation; seen by the aggregator
 * itself within `liveWithinMs` (reachability is observed, never taken from the agent's word); battery
 * at least `minBattery` (or on mains); reporting the region it was enrolled with (an agent whose claimed
 * region changes is lying or moved, and holds nothing until re-enrolled); fewer than `maxFailures`
 * unanswered share requests. Chosen: distinct agents (one share each, never two to one agent), regions in
 * turn so that no region gets more than `maxPerRegion` shares (default k − 1: no single region can
 * reconstruct), preferring within a region the agent with more battery, then the smaller id.
 */
export interface AgentView {
  readonly agentId: string;
  /** The region recorded at enrolment. */
  readonly region: string;
  /** The region its latest attestation claims. */
  readonly claimedRegion: string;
  readonly health: 'healthy' | 'unhealthy' | 'unknown';
  /** -1 on mains power. */
  readonly battery: number;
  /** When the aggregator last received a valid signed message from it (ms), or -1. */
  readonly lastSeen: number;
  readonly failures: number;
  readonly revoked: boolean;
}

export interface AssignmentPolicy {
  readonly threshold: number;
  readonly shares: number;
  readonly liveWithinMs: number;
  readonly minBattery: number;
  readonly maxFailures: number;
  /** Default threshold − 1. */
  readonly maxPerRegion?: number;
}

export type Ineligibility = 'revoked' | 'unhealthy' | 'unreachable' | 'battery' | 'region-mismatch' | 'failing';

export type Assignment =
  | { readonly ok: true; readonly assignees: readonly string[] }
  | { readonly ok: false; readonly reason: string; readonly ineligible: Readonly<Record<string, Ineligibility>> };

export function ineligibility(a: AgentView, policy: AssignmentPolicy, now: number): Ineligibility | undefined {
  if (a.revoked) return 'revoked';
  if (a.health !== 'healthy') return 'unhealthy';
  if (a.lastSeen < 0 || now - a.lastSeen > policy.liveWithinMs) return 'unreachable';
  if (a.battery !== -1 && a.battery < policy.minBattery) return 'battery';
  if (a.claimedRegion !== a.region) return 'region-mismatch';
  if (a.failures >= policy.maxFailures) return 'failing';
  return undefined;
}

export function assignShares(agents: readonly AgentView[], policy: AssignmentPolicy, now: number): Assignment {
  const ineligible: Record<string, Ineligibility> = {};
  const byRegion = new Map<string, AgentView[]>();
  const seen = new Set<string>();
  for (const a of agents) {
    if (seen.has(a.agentId)) continue; // one share per agent, whatever the input says
    seen.add(a.agentId);
    const why = ineligibility(a, policy, now);
    if (why !== undefined) {
      ineligible[a.agentId] = why;
      continue;
    }
    const list = byRegion.get(a.region) ?? [];
    list.push(a);
    byRegion.set(a.region, list);
  }
  const cap = policy.maxPerRegion ?? policy.threshold - 1;
  const batteryRank = (b: number): number => (b === -1 ? 101 : b);
  const regions = [...byRegion.keys()].sort();
  for (const r of regions) {
    (byRegion.get(r) as AgentView[]).sort((x, y) => batteryRank(y.battery) - batteryRank(x.battery) || (x.agentId < y.agentId ? -1 : 1));
  }
  const assignees: string[] = [];
  const taken = new Map<string, number>();
  for (let round = 0; assignees.length < policy.shares; round++) {
    let progressed = false;
    for (const r of regions) {
      if (assignees.length === policy.shares) break;
      const next = (byRegion.get(r) as AgentView[])[round];
      if (next === undefined || (taken.get(r) ?? 0) >= cap) continue;
      assignees.push(next.agentId);
      taken.set(r, (taken.get(r) ?? 0) + 1);
      progressed = true;
    }
    if (!progressed) break;
  }
  if (assignees.length < policy.shares) {
    const eligible = regions.reduce((n, r) => n + (byRegion.get(r) as AgentView[]).length, 0);
    return {
      ok: false,
      reason: `${policy.threshold}-of-${policy.shares} needs ${policy.shares} distinct eligible agents with at most ${cap} per region; ${eligible} eligible in ${regions.length} region(s) allow ${assignees.length}`,
      ineligible,
    };
  }
  return { ok: true, assignees };
}
