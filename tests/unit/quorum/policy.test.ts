/**
 * The share-assignment policy as a truth table: eligibility rule by rule, then selection (distinct agents,
 * regions in turn, at most k − 1 per region, battery preference, refusal when the policy cannot be met).
 */
import { describe, expect, it } from 'vitest';
import { assignShares, ineligibility, type AgentView, type AssignmentPolicy } from '../../../quorum/policy.js';

const NOW = 1_000_000;
const base: AgentView = {
  agentId: 'a',
  region: 'eu',
  claimedRegion: 'eu',
  health: 'healthy',
  battery: 80,
  lastSeen: NOW - 1000,
  failures: 0,
  revoked: false,
};
const policy: AssignmentPolicy = { threshold: 3, shares: 5, liveWithinMs: 10_000, minBattery: 20, maxFailures: 3 };
const agent = (agentId: string, region: string, extra: Partial<AgentView> = {}): AgentView => ({
  ...base,
  agentId,
  region,
  claimedRegion: region,
  ...extra,
});

describe('eligibility', () => {
  const table: [string, Partial<AgentView>, string | undefined][] = [
    ['healthy, seen 1 s ago, 80 %', {}, undefined],
    ['on mains (-1)', { battery: -1 }, undefined],
    ['revoked', { revoked: true }, 'revoked'],
    ['attests unhealthy', { health: 'unhealthy' }, 'unhealthy'],
    ['never attested', { health: 'unknown' }, 'unhealthy'],
    ['never seen', { lastSeen: -1 }, 'unreachable'],
    ['seen 10.001 s ago', { lastSeen: NOW - 10_001 }, 'unreachable'],
    ['seen exactly 10 s ago', { lastSeen: NOW - 10_000 }, undefined],
    ['battery 19 %', { battery: 19 }, 'battery'],
    ['battery 20 %', { battery: 20 }, undefined],
    ['claims another region than enrolled', { claimedRegion: 'us' }, 'region-mismatch'],
    ['3 unanswered requests', { failures: 3 }, 'failing'],
    ['2 unanswered requests', { failures: 2 }, undefined],
    ['revoked and unhealthy: revoked first', { revoked: true, health: 'unhealthy' }, 'revoked'],
  ];
  for (const [name, change, want] of table) {
    it(`${name} → ${want ?? 'eligible'}`, () => {
      expect(ineligibility({ ...base, ...change }, policy, NOW)).toBe(want);
    });
  }
});

describe('selection', () => {
  it('regions in turn, at most k − 1 = 2 per region, battery then id within a region', () => {
    const agents = [
      agent('eu-1', 'eu', { battery: 30 }),
      agent('eu-2', 'eu', { battery: 90 }),
      agent('eu-3', 'eu', { battery: -1 }),
      agent('us-1', 'us'),
      agent('us-2', 'us'),
      agent('ap-1', 'ap'),
    ];
    const r = assignShares(agents, policy, NOW);
    expect(r).toEqual({ ok: true, assignees: ['ap-1', 'eu-3', 'us-1', 'eu-2', 'us-2'] });
  });

  it('never two shares to one agent, even if it is listed twice', () => {
    const agents = [agent('x', 'eu'), agent('x', 'us'), agent('y', 'us'), agent('z', 'ap')];
    const r = assignShares(agents, { ...policy, threshold: 2, shares: 3, maxPerRegion: 3 }, NOW);
    expect(r).toEqual({ ok: true, assignees: ['z', 'x', 'y'] });
    expect(assignShares(agents, { ...policy, threshold: 2, shares: 4, maxPerRegion: 3 }, NOW).ok).toBe(false);
  });

  it('refuses when the region cap cannot be met, naming what it found', () => {
    const agents = ['1', '2', '3', '4', '5'].map((i) => agent(`eu-${i}`, 'eu'));
    const r = assignShares(agents, policy, NOW);
    expect(r).toEqual({
      ok: false,
      reason: '3-of-5 needs 5 distinct eligible agents with at most 2 per region; 5 eligible in 1 region(s) allow 2',
      ineligible: {},
    });
    expect(assignShares(agents, { ...policy, maxPerRegion: 5 }, NOW)).toEqual({
      ok: true,
      assignees: ['eu-1', 'eu-2', 'eu-3', 'eu-4', 'eu-5'],
    });
  });

  it('ineligible agents are skipped and reported with their reason', () => {
    const agents = [
      agent('a', 'eu'),
      agent('b', 'us', { battery: 5 }),
      agent('c', 'ap', { claimedRegion: 'eu' }),
      agent('d', 'sa'),
      agent('e', 'us'),
      agent('f', 'af'),
    ];
    const r = assignShares(agents, { ...policy, shares: 4 }, NOW);
    expect(r).toEqual({ ok: true, assignees: ['f', 'a', 'd', 'e'] });
    const tooMany = assignShares(agents, policy, NOW);
    expect(tooMany).toMatchObject({ ok: false, ineligible: { b: 'battery', c: 'region-mismatch' } });
  });
});
