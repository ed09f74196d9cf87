/**
 * Mixing agents' contributions into a session key, the way the entropy pool mixes sources
 * (crypto/entropy/pool.ts: hashed-XOR, SHA3-512, Hash_df):
 *
 *   d_a   = SHA3-512(lp("hrng/pool/v1/source") ‖ lp("agent:" ‖ id_a) ‖ counter ‖ material_a)   per contribution
 *   d_0   = SHA3-512(lp("hrng/pool/v1/source") ‖ lp("aggregator")    ‖ counter ‖ 64 bytes of the aggregator's Rng)
 *   x     = d_0 ⊕ d_1 ⊕ … ⊕ d_m
 *   ikm   = Hash_df_SHA3-512(lp("hrng/quorum/v1/mix") ‖ counter ‖ x, 512 bits)
 *   key   = HKDF-SHA-512(ikm, salt = keyId, info = "hrng/quorum/v1/session-key", 32 bytes)   (RFC 5869)
 *
 * Each input is hashed under its own label before the XOR, so an input chosen after seeing the others
 * still needs a SHA3-512 preimage to steer x; one unpredictable input (any honest agent, or the
 * aggregator's own generator) makes the key unpredictable. The aggregator sees every input, so it is
 * trusted with the key it derives (docs/quorum.md, threat model). Provenance records which contributions
 * went in — agent, sequence number, nonce — and never the material.
 */
import { contributionDigest, hashDf } from '../crypto/entropy/index.js';
import { hkdf, type RandomSource } from '../crypto/index.js';
import { CONTRIBUTION_BYTES } from './messages.js';
import { lp, u64 } from './encoding.js';
import { check, QuorumError } from './errors.js';

export interface AcceptedContribution {
  readonly agentId: string;
  readonly seq: number;
  readonly nonce: string;
  readonly receivedAt: number;
  /** 64 bytes; zeroed by mixSessionKey. */
  readonly material: Uint8Array;
}

export interface Provenance {
  readonly keyId: string;
  readonly createdAt: number;
  readonly counter: number;
  readonly aggregatorDraw: true;
  readonly contributions: readonly { readonly agentId: string; readonly seq: number; readonly nonce: string }[];
  readonly agents: number;
}

export const SESSION_KEY_BYTES = 32;
const encoder = new TextEncoder();

/**
 * The session key from `contributions` (at least `minAgents` distinct agents) and 64 fresh bytes of
 * `rng`. Zeroes every contribution's material.
 */
export function mixSessionKey(
  contributions: readonly AcceptedContribution[],
  rng: RandomSource,
  meta: { readonly keyId: string; readonly counter: number; readonly createdAt: number; readonly minAgents: number },
): { key: Uint8Array; provenance: Provenance } {
  check.string(meta.keyId, 'keyId', { minLength: 1, maxLength: 64 });
  check.integer(meta.counter, 'counter', { min: 1 });
  const agents = new Set(contributions.map((c) => c.agentId));
  if (agents.size < meta.minAgents) {
    for (const c of contributions) c.material.fill(0);
    throw new QuorumError(
      'QUORUM_INSUFFICIENT_CONTRIBUTIONS',
      `contributions from ${agents.size} agent(s); at least ${meta.minAgents} needed`,
    );
  }
  const counter = BigInt(meta.counter);
  const x = new Uint8Array(64);
  const xor = (d: Uint8Array): void => {
    for (let i = 0; i < 64; i++) x[i] = (x[i] as number) ^ (d[i] as number);
    d.fill(0);
  };
  const own = rng.randomBytes(CONTRIBUTION_BYTES);
  try {
    xor(contributionDigest('aggregator', counter, own));
    for (const c of contributions) xor(contributionDigest(`agent:${c.agentId}`, counter, c.material));
    const ikm = hashDf([lp('hrng/quorum/v1/mix'), u64(meta.counter), x], 64);
    const key = hkdf('sha512', ikm, encoder.encode(meta.keyId), encoder.encode('hrng/quorum/v1/session-key'), SESSION_KEY_BYTES);
    ikm.fill(0);
    return {
      key,
      provenance: {
        keyId: meta.keyId,
        createdAt: meta.createdAt,
        counter: meta.counter,
        aggregatorDraw: true,
        agents: agents.size,
        contributions: contributions.map((c) => ({ agentId: c.agentId, seq: c.seq, nonce: c.nonce })),
      },
    };
  } finally {
    own.fill(0);
    x.fill(0);
    for (const c of contributions) c.material.fill(0);
  }
}

/** A public check value for a session key (HKDF of it under its own label), to compare keys without showing them. */
export function keyCheckValue(key: Uint8Array): string {
  return Buffer.from(hkdf('sha256', key, undefined, encoder.encode('hrng/quorum/v1/key-check-value'), 8)).toString('hex');
}
