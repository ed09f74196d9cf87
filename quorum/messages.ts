/**
 * The quorum protocol's messages: one JSON object per line over mutual TLS. Agent → aggregator messages
 * are `{type, body, sig}` with `sig` the agent's Ed25519 signature over signBytes(type, body)
 * (canonical.ts); aggregator → agent messages are `{type, body}`, authenticated by the aggregator's TLS
 * certificate. Every signed body carries the agent id, a millisecond timestamp and a 128-bit nonce
 * (freshness.ts judges them). Parsing checks the shape and nothing else; signatures and freshness are the
 * aggregator's next steps.
 */
import { checkMessage as m } from './errors.js';

export const PROTOCOL_VERSION = 'hrng-quorum/1';
/** Entropy per contribution: one SHA3-512 block. */
export const CONTRIBUTION_BYTES = 64;
export const MAX_LINE_BYTES = 256 * 1024;

const ID = /[A-Za-z0-9][A-Za-z0-9._-]{0,63}/;
const HEX16 = /[0-9a-f]{32}/;

export interface Signed {
  readonly agentId: string;
  readonly time: number;
  readonly nonce: string;
}

export interface HelloBody extends Signed {
  readonly publicKey: string;
  readonly region: string;
  readonly software: string;
  readonly protocol: string;
}

export interface ContributionBody extends Signed {
  readonly seq: number;
  /** 64 bytes from the agent's health-tested pool, hex. */
  readonly material: string;
}

export interface SourceHealth {
  readonly id: string;
  readonly state: string;
  /** The source's assessed credit, bits per 1 024 bytes (an integer). */
  readonly creditBitsPerKiB: number;
}

/** The periodic signed attestation / status report. */
export interface StatusBody extends Signed {
  readonly seq: number;
  readonly region: string;
  /** Self-reported battery percentage (0..100), or -1 for mains power. */
  readonly battery: number;
  readonly health: 'healthy' | 'unhealthy';
  readonly reason: string;
  readonly sources: readonly SourceHealth[];
  readonly software: string;
  /** Shares it holds: "keyId@epoch". */
  readonly holding: readonly string[];
}

export interface StoredBody extends Signed {
  readonly requestId: string;
  readonly keyId: string;
  readonly epoch: number;
}

export interface ShareBody extends Signed {
  readonly requestId: string;
  readonly keyId: string;
  readonly epoch: number;
  /** The wrapped share, hex, or '' when the agent holds none for that key and epoch. */
  readonly wrapped: string;
}

export type AgentMessage =
  | { readonly type: 'hello'; readonly body: HelloBody; readonly sig: string }
  | { readonly type: 'contribution'; readonly body: ContributionBody; readonly sig: string }
  | { readonly type: 'status'; readonly body: StatusBody; readonly sig: string }
  | { readonly type: 'stored'; readonly body: StoredBody; readonly sig: string }
  | { readonly type: 'share'; readonly body: ShareBody; readonly sig: string };

export type AggregatorMessage =
  | { readonly type: 'welcome'; readonly body: { readonly accepted: boolean; readonly reason: string } }
  | {
      readonly type: 'store-share';
      readonly body: { readonly requestId: string; readonly keyId: string; readonly epoch: number; readonly wrapped: string };
    }
  | { readonly type: 'get-share'; readonly body: { readonly requestId: string; readonly keyId: string; readonly epoch: number } }
  | { readonly type: 'drop-shares'; readonly body: { readonly keyId: string; readonly keepEpoch: number } };

function signedFields(b: Readonly<Record<string, unknown>>): Signed {
  return {
    agentId: m.string(b['agentId'], 'body.agentId', { pattern: ID }),
    time: m.integer(b['time'], 'body.time'),
    nonce: m.string(b['nonce'], 'body.nonce', { pattern: HEX16 }),
  };
}

function requestFields(b: Readonly<Record<string, unknown>>): { requestId: string; keyId: string; epoch: number } {
  return {
    requestId: m.string(b['requestId'], 'body.requestId', { pattern: HEX16 }),
    keyId: m.string(b['keyId'], 'body.keyId', { pattern: ID }),
    epoch: m.integer(b['epoch'], 'body.epoch'),
  };
}

/** Parses one line from an agent into a typed message (QUORUM_MALFORMED_MESSAGE otherwise). */
/** The line as a JSON object (QUORUM_MALFORMED_MESSAGE when it is not one). */
function parseLine(line: string): Readonly<Record<string, unknown>> {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    raw = undefined;
  }
  return m.record(raw, 'message');
}

export function parseAgentMessage(line: string): AgentMessage {
  const o = parseLine(line);
  const type = m.oneOf(o['type'], 'type', ['hello', 'contribution', 'status', 'stored', 'share'] as const);
  const b = m.record(o['body'], 'body');
  const sig = m.string(o['sig'], 'sig', { pattern: /[0-9a-f]{128}/ });
  const s = signedFields(b);
  switch (type) {
    case 'hello':
      return {
        type,
        sig,
        body: {
          ...s,
          publicKey: m.string(b['publicKey'], 'body.publicKey', { pattern: /[0-9a-f]{64}/ }),
          region: m.string(b['region'], 'body.region', { pattern: ID }),
          software: m.string(b['software'], 'body.software', { maxLength: 64 }),
          protocol: m.string(b['protocol'], 'body.protocol', { maxLength: 32 }),
        },
      };
    case 'contribution':
      return {
        type,
        sig,
        body: {
          ...s,
          seq: m.integer(b['seq'], 'body.seq', { min: 1 }),
          material: m.string(b['material'], 'body.material', { pattern: new RegExp(`[0-9a-f]{${2 * CONTRIBUTION_BYTES}}`) }),
        },
      };
    case 'status': {
      const sources = b['sources'];
      if (!Array.isArray(sources) || sources.length > 16) m.record(null, 'body.sources (an array of at most 16)');
      const holding = b['holding'];
      if (!Array.isArray(holding) || holding.length > 1024) m.record(null, 'body.holding (an array of at most 1024)');
      return {
        type,
        sig,
        body: {
          ...s,
          seq: m.integer(b['seq'], 'body.seq', { min: 1 }),
          region: m.string(b['region'], 'body.region', { pattern: ID }),
          battery: b['battery'] === -1 ? -1 : m.integer(b['battery'], 'body.battery', { min: 0, max: 100 }),
          health: m.oneOf(b['health'], 'body.health', ['healthy', 'unhealthy'] as const),
          reason: m.string(b['reason'], 'body.reason', { maxLength: 512 }),
          sources: (sources as unknown[]).map((x, i) => {
            const r = m.record(x, `body.sources[${i}]`);
            return {
              id: m.string(r['id'], 'id', { pattern: ID }),
              state: m.string(r['state'], 'state', { maxLength: 32 }),
              creditBitsPerKiB: m.integer(r['creditBitsPerKiB'], 'creditBitsPerKiB', { max: 8192 }),
            };
          }),
          software: m.string(b['software'], 'body.software', { maxLength: 64 }),
          holding: (holding as unknown[]).map((h, i) => m.string(h, `body.holding[${i}]`, { pattern: /[A-Za-z0-9._-]{1,64}@[0-9]{1,15}/ })),
        },
      };
    }
    case 'stored':
      return { type, sig, body: { ...s, ...requestFields(b) } };
    case 'share':
      return {
        type,
        sig,
        body: { ...s, ...requestFields(b), wrapped: m.string(b['wrapped'], 'body.wrapped', { pattern: /(?:[0-9a-f]{2}){0,20000}/ }) },
      };
  }
}

/** Parses one line from the aggregator (agents are strict too: a malformed line closes the connection). */
export function parseAggregatorMessage(line: string): AggregatorMessage {
  const o = parseLine(line);
  const type = m.oneOf(o['type'], 'type', ['welcome', 'store-share', 'get-share', 'drop-shares'] as const);
  const b = m.record(o['body'], 'body');
  switch (type) {
    case 'welcome':
      return {
        type,
        body: { accepted: m.boolean(b['accepted'], 'body.accepted'), reason: m.string(b['reason'], 'body.reason', { maxLength: 512 }) },
      };
    case 'store-share':
      return {
        type,
        body: { ...requestFields(b), wrapped: m.string(b['wrapped'], 'body.wrapped', { pattern: /(?:[0-9a-f]{2}){1,20000}/ }) },
      };
    case 'get-share':
      return { type, body: requestFields(b) };
    case 'drop-shares':
      return {
        type,
        body: { keyId: m.string(b['keyId'], 'body.keyId', { pattern: ID }), keepEpoch: m.integer(b['keepEpoch'], 'body.keepEpoch') },
      };
  }
}
