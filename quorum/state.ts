/**
 * What the aggregator must not forget across a restart: enrolled agents (their pinned identity keys and
 * regions), each session key's public record (check value, provenance, the current share set: epoch, set
 * id, k, n, which agent holds which x) and a rotation in flight. No secret is in it: the shares live,
 * wrapped, on the agents; the session key nowhere.
 */
import { checkMessage, QuorumError } from './errors.js';
import type { Provenance } from './mix.js';

export interface EnrolledAgent {
  readonly agentId: string;
  readonly publicKey: string;
  readonly region: string;
  readonly enrolledAt: number;
  readonly revoked: boolean;
}

export interface ShareSetRecord {
  readonly epoch: number;
  readonly setId: string;
  readonly threshold: number;
  readonly shares: number;
  readonly holders: readonly { readonly agentId: string; readonly x: number }[];
}

export interface SessionKeyRecord {
  readonly keyId: string;
  readonly checkValue: string;
  readonly provenance: Provenance;
  readonly current: ShareSetRecord;
  /** A rotation that started and did not commit; discarded at start-up (the current set stays valid). */
  readonly pending?: ShareSetRecord;
}

export interface AggregatorState {
  readonly version: 1;
  readonly counter: number;
  readonly agents: readonly EnrolledAgent[];
  readonly keys: readonly SessionKeyRecord[];
}

export const EMPTY_STATE: AggregatorState = Object.freeze({ version: 1, counter: 0, agents: [], keys: [] });

export interface StateStore {
  load(): Promise<AggregatorState | undefined>;
  save(state: AggregatorState): Promise<void>;
  close(): Promise<void>;
  readonly description: string;
}

/** Checks the shape of a loaded state (QUORUM_STATE_CORRUPT otherwise). */
export function parseState(raw: unknown): AggregatorState {
  try {
    const o = checkMessage.record(raw, 'state');
    if (o['version'] !== 1) checkMessage.oneOf(String(o['version']), 'state.version', ['1']);
    checkMessage.integer(o['counter'], 'state.counter');
    if (!Array.isArray(o['agents']) || !Array.isArray(o['keys'])) checkMessage.record(null, 'state.agents/keys');
    for (const a of o['agents'] as unknown[]) {
      const r = checkMessage.record(a, 'agent');
      checkMessage.string(r['agentId'], 'agent.agentId', { minLength: 1 });
      checkMessage.string(r['publicKey'], 'agent.publicKey', { pattern: /[0-9a-f]{64}/ });
    }
    for (const k of o['keys'] as unknown[]) {
      const r = checkMessage.record(k, 'key');
      checkMessage.string(r['keyId'], 'key.keyId', { minLength: 1 });
      const c = checkMessage.record(r['current'], 'key.current');
      checkMessage.integer(c['epoch'], 'key.current.epoch');
      if (!Array.isArray(c['holders'])) checkMessage.record(null, 'key.current.holders');
    }
    return raw as AggregatorState;
  } catch (err) {
    throw new QuorumError('QUORUM_STATE_CORRUPT', `aggregator state: ${(err as Error).message}`, { cause: err });
  }
}
