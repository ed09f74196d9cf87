/**
 * Safety: no two honest nodes commit different blocks at one height, and no node commits two blocks at
 * one height (a node switching forks). Honest means "not one of the identities the scenario made
 * Byzantine"; observers (syncing full nodes) count as honest.
 */
import type { CommitRecord } from './ledger.js';
import type { Violation } from './violation.js';

export interface SafetyResult {
  readonly violations: readonly Violation[];
  /** Heights where honest nodes committed different blocks. */
  readonly conflictingHeights: readonly number[];
  /** For each conflicting height, the blocks committed there. */
  readonly forks: ReadonlyMap<number, readonly string[]>;
}

export function checkSafety(commits: readonly CommitRecord[], honest: (identity: number) => boolean): SafetyResult {
  const byHeight = new Map<number, Map<string, number[]>>();
  for (const c of commits) {
    if (!honest(c.identity)) continue;
    let at = byHeight.get(c.height);
    if (at === undefined) byHeight.set(c.height, (at = new Map()));
    const slots = at.get(c.block) ?? [];
    slots.push(c.slot);
    at.set(c.block, slots);
  }
  const violations: Violation[] = [];
  const forks = new Map<number, string[]>();
  for (const [height, blocks] of [...byHeight].sort((a, b) => a[0] - b[0])) {
    if (blocks.size < 2) continue;
    forks.set(height, [...blocks.keys()]);
    const desc = [...blocks].map(([b, slots]) => `${b.slice(0, 8)} by slots ${[...new Set(slots)].join(',')}`).join(' vs ');
    if (violations.length < 3) violations.push({ check: 'safety', message: `height ${height}: ${desc}` });
  }
  return { violations, conflictingHeights: [...forks.keys()], forks };
}
