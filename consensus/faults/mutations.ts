/**
 * The mutation suite: deliberately broken variants of the protocol, the guard, the store and the
 * generator. Each must be killed — some check must fail — on the fixed seeds of some named scenario
 * (tests/unit/sim/mutations.test.ts). A mutant that survives means a check that cannot fail.
 */
import type { ProtocolFlags } from '../protocol/hotstuff.js';

export const MUTATIONS = {
  'skip-lock': 'vote without the lock rule (safeNode always true)',
  'quorum-2f': 'accept a QC of 2f votes instead of 2f + 1',
  'commit-two-chain': 'commit on a two-chain instead of a three-chain',
  'skip-signature-check': 'accept votes and QCs without verifying their signatures',
  'accept-retired-keys': 'accept signatures by a key outside its epoch (retired keys)',
  'no-view-change': 'never time out of a view',
  'uncapped-backoff': 'the view timer doubles without its 8× cap (views still change, but too late for the bound)',
  'sign-on-rng-failure': 'sign with a zero nonce when the generator has failed',
  'reuse-nonce': 'draw one nonce and reuse it for every signature',
  'restore-no-reseed': 'restore a generator snapshot without reseeding',
  'skip-health-tests': 'seed the generator without SP 800-90B health tests',
  'guard-no-fsync': "the guard's store never fsyncs",
  'amnesia-init': 'a restarted validator re-initialises an empty guard (--init-guard on every start)',
  'sign-without-guard': 'honest validators sign without the guard',
  'honest-censor': 'honest leaders leave transactions out of their blocks',
} as const;

export type MutationName = keyof typeof MUTATIONS;

export const MUTATION_NAMES = Object.keys(MUTATIONS) as MutationName[];

export function isMutationName(s: string): s is MutationName {
  return Object.hasOwn(MUTATIONS, s);
}

/** The protocol flags a set of mutations turns on. */
export function protocolFlags(m: ReadonlySet<MutationName>): ProtocolFlags {
  return {
    skipLock: m.has('skip-lock'),
    quorumTwoF: m.has('quorum-2f'),
    commitTwoChain: m.has('commit-two-chain'),
    skipSignatureCheck: m.has('skip-signature-check'),
    acceptRetiredKeys: m.has('accept-retired-keys'),
    noViewChange: m.has('no-view-change'),
    uncappedBackoff: m.has('uncapped-backoff'),
    signOnRngFailure: m.has('sign-on-rng-failure'),
    reuseNonce: m.has('reuse-nonce'),
    honestCensor: m.has('honest-censor'),
  };
}
