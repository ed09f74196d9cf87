/**
 * Byzantine strategies as twists on honest code (HotStuffHooks): selective delivery, a fork from an
 * old QC, conflicting proposals, equivocating votes, censorship, silence, forged certificates. A
 * Byzantine validator also ignores its lock and signs without a guard — it wants to be slashable.
 */
import { GENESIS_QC, type HotStuffMessage } from '../protocol/hotstuff-messages.js';
import type { HotStuffHooks } from '../protocol/hotstuff.js';
import type { ByzantineStrategy } from './scenario.js';

/** How many views a fork attack leads after its honest-looking prefix. */
export const FORK_VIEWS = 8;

export function hooksFor(s: ByzantineStrategy): HotStuffHooks {
  const me = s.identity;
  switch (s.kind) {
    case 'fork-attack': {
      const k = s.prefix.length;
      return {
        deliver(to: number, m: HotStuffMessage): boolean {
          if (to === me || m.kind !== 'proposal') return true;
          const v = m.block.view;
          if (v <= k) return s.prefix[v - 1]?.includes(to) ?? false;
          if (v <= k + FORK_VIEWS) return s.forkTo.includes(to);
          return true;
        },
        justifyFor: (view, highQC) => (view === k + 1 ? GENESIS_QC : highQC),
        eagerPropose: (view) => view === k + 1,
        forgeVotes: (view) => s.forge === true && view > k && view <= k + FORK_VIEWS,
      };
    }
    case 'double-sign':
      return {
        extraProposals: () => 1,
        deliver(to: number, m: HotStuffMessage, variant: number): boolean {
          if (to === me || m.kind !== 'proposal') return true;
          return (s.halves[variant] ?? []).includes(to);
        },
      };
    case 'equivocate':
      return { equivocateVote: () => true };
    case 'censor':
      return { censor: (tx) => tx === s.tx };
    case 'silent':
      return { deliver: () => false };
  }
}
