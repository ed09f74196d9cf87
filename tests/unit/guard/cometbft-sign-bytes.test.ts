/**
 * CometBFT canonical sign bytes against CometBFT's and tendermint-rs's Go-generated vectors
 * (tests/vectors/cometbft/vectors.json), and the strict decoders the guard uses: they read back the
 * position of every valid vector, and refuse what a verifier would read differently.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  encodeTimestamp,
  cometbftProposalDecoder,
  cometbftVoteDecoder,
  decodeCanonicalVote,
  proposalSignBytes,
  voteExtensionSignBytes,
  voteSignBytes,
  type BlockId,
  type Timestamp,
} from '../../../consensus/index.js';

interface VoteVector {
  case?: number;
  name?: string;
  chainId: string;
  vote: Record<string, unknown>;
  hex: string;
}
interface ProposalVector {
  name: string;
  chainId: string;
  proposal: Record<string, unknown>;
  hex: string;
}
const V = JSON.parse(readFileSync(new URL('../../vectors/cometbft/vectors.json', import.meta.url), 'utf8')) as {
  voteSignBytes: { vectors: VoteVector[] };
  voteSignBytesGoGenerated: { vectors: VoteVector[] };
  proposalSignBytes: { vectors: ProposalVector[] };
};

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const unhex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));
const utf8 = (s: unknown): Uint8Array => new TextEncoder().encode(String(s ?? ''));
/** Go's zero time.Time: 0001-01-01T00:00:00Z. */
const ZERO_TIME: Timestamp = { seconds: -62135596800n, nanos: 0 };
function ts(iso: unknown): Timestamp {
  if (iso === undefined) return ZERO_TIME;
  const ms = Date.parse(String(iso));
  return { seconds: BigInt(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1e6 };
}
function blockId(o: Record<string, unknown>): BlockId {
  const hash = o.blockHashHex !== undefined ? unhex(String(o.blockHashHex)) : utf8(o.blockHashUtf8);
  const pshHash = o.partsHashHex !== undefined ? unhex(String(o.partsHashHex)) : utf8(o.partsHashUtf8);
  return { hash, partSetHeader: { total: Number(o.partsTotal ?? 0), hash: pshHash } };
}
const voteOf = (o: Record<string, unknown>) => ({
  type: Number(o.type ?? 0) as 1 | 2,
  height: BigInt(Number(o.height ?? 0)),
  round: Number(o.round ?? 0),
  blockId: blockId(o),
  timestamp: ts(o.timestamp),
});

describe('CometBFT canonical vote sign bytes', () => {
  const all = [...V.voteSignBytes.vectors, ...V.voteSignBytesGoGenerated.vectors];
  it.each(all.map((v) => [v.name ?? `vote_test.go case ${v.case}`, v] as const))('%s', (_n, v) => {
    const bytes = voteSignBytes(v.chainId, voteOf(v.vote));
    expect(hex(bytes)).toBe(v.hex);
    // The guard's decoder: a typed vote decodes to its position; an untyped one (type 0) is refused.
    const type = Number(v.vote.type ?? 0);
    const decoded = cometbftVoteDecoder.decode(unhex(v.hex));
    if (type === 1 || type === 2) {
      expect(decoded).toEqual({
        chainId: v.chainId,
        hrs: { height: Number(v.vote.height), round: Number(v.vote.round), step: type + 1 },
        timestamp: encodeTimestamp(ts(v.vote.timestamp)),
      });
    } else {
      expect(decoded).toBeUndefined();
    }
    expect(cometbftProposalDecoder.decode(unhex(v.hex))).toBeUndefined();
  });
});

describe('CometBFT canonical proposal sign bytes', () => {
  it.each(V.proposalSignBytes.vectors.map((v) => [v.name, v] as const))('%s', (_n, v) => {
    const p = v.proposal;
    const bytes = proposalSignBytes(v.chainId, {
      height: BigInt(Number(p.height)),
      round: Number(p.round),
      polRound: Number(p.polRound),
      blockId: blockId(p),
      timestamp: ts(p.timestamp),
    });
    expect(hex(bytes)).toBe(v.hex);
    expect(cometbftProposalDecoder.decode(bytes)).toEqual({
      chainId: v.chainId,
      hrs: { height: Number(p.height), round: Number(p.round), step: 1 },
      timestamp: encodeTimestamp(ts(p.timestamp)),
    });
    expect(cometbftVoteDecoder.decode(bytes)).toBeUndefined();
  });
});

describe("restamp: the same vote or proposal at another time (the guard's timestamp-only rule)", () => {
  const b = blockId({ blockHashHex: 'ab'.repeat(32), partsTotal: 1, partsHashHex: 'cd'.repeat(32) });
  const t1 = ts('2026-01-01T00:00:00Z');
  const t2 = { seconds: t1.seconds + 5n, nanos: 123 };
  it('rebuilds exactly the bytes CometBFT would build with that timestamp, and nothing from a malformed stamp', () => {
    const v1 = voteSignBytes('chain-A', { type: 2, height: 9n, round: 1, blockId: b, timestamp: t1 });
    const v2 = voteSignBytes('chain-A', { type: 2, height: 9n, round: 1, blockId: b, timestamp: t2 });
    expect(hex(cometbftVoteDecoder.restamp?.(v2, encodeTimestamp(t1)) ?? new Uint8Array(0))).toBe(hex(v1));
    const p1 = proposalSignBytes('chain-A', { height: 9n, round: 1, polRound: -1, blockId: b, timestamp: t1 });
    const p2 = proposalSignBytes('chain-A', { height: 9n, round: 1, polRound: -1, blockId: b, timestamp: t2 });
    expect(hex(cometbftProposalDecoder.restamp?.(p2, encodeTimestamp(t1)) ?? new Uint8Array(0))).toBe(hex(p1));
    // A stamp that is not a canonical Timestamp encoding (a duplicated field), or bytes of the other format.
    const dup = Uint8Array.from([...encodeTimestamp(t1), ...encodeTimestamp(t2)]);
    expect(cometbftVoteDecoder.restamp?.(v2, dup)).toBeUndefined();
    expect(cometbftVoteDecoder.restamp?.(p2, encodeTimestamp(t1))).toBeUndefined();
    expect(cometbftProposalDecoder.restamp?.(v2, encodeTimestamp(t1))).toBeUndefined();
  });
});

describe('the strict decoders', () => {
  const base = voteSignBytes('chain-A', {
    type: 1,
    height: 12345n,
    round: 2,
    blockId: blockId({ blockHashHex: 'ab'.repeat(32), partsTotal: 1, partsHashHex: 'cd'.repeat(32) }),
    timestamp: ts('2026-01-01T00:00:00Z'),
  });

  it('refuse bytes a verifier would read at another position: duplicated fields, bad prefixes, trailing bytes', () => {
    const body = base.subarray(1);
    const withPrefix = (b: Uint8Array): Uint8Array => Uint8Array.from([b.length, ...b]);
    // A second height field after the first (protobuf parsers keep the last one).
    const dupHeight = withPrefix(Uint8Array.from([...body, 0x11, 1, 0, 0, 0, 0, 0, 0, 0]));
    // A second chain id.
    const dupChain = withPrefix(Uint8Array.from([...body, 0x32, 1, 0x42]));
    // A non-minimal varint for the type (0x81 0x00 = 1).
    const padded = withPrefix(Uint8Array.from([0x08, 0x81, 0x00, ...body.subarray(2)]));
    const cases: [string, Uint8Array][] = [
      ['duplicated height', dupHeight],
      ['duplicated chain id', dupChain],
      ['non-minimal varint', padded],
      ['length prefix too short', Uint8Array.from([base[0]! - 1, ...body])],
      ['trailing byte', Uint8Array.from([...base, 0])],
      ['no prefix', body],
      ['extension sign bytes', voteExtensionSignBytes('chain-A', { height: 12345n, round: 2, extension: utf8('ext') })],
    ];
    for (const [name, b] of cases)
      expect([name, cometbftVoteDecoder.decode(b), cometbftProposalDecoder.decode(b)]).toEqual([name, undefined, undefined]);
    expect(cometbftVoteDecoder.decode(base)?.hrs).toEqual({ height: 12345, round: 2, step: 2 });
  });

  it('refuse negative or unsafe heights and negative rounds', () => {
    for (const [height, round] of [
      [-1n, 0],
      [2n ** 53n, 0],
      [1n, -1],
    ] as const) {
      const b = voteSignBytes('c', { type: 2, height, round, blockId: blockId({}), timestamp: ZERO_TIME });
      expect([String(height), round, cometbftVoteDecoder.decode(b)]).toEqual([String(height), round, undefined]);
    }
  });

  it('round-trip random votes, and random bytes never decode to a different re-encoding (fast-check)', () => {
    const vote = fc.record({
      type: fc.constantFrom(1 as const, 2 as const),
      height: fc.bigInt({ min: 0n, max: 2n ** 53n - 1n }),
      round: fc.integer({ min: 0, max: 0x7fffffff }),
      blockId: fc.record({
        hash: fc.uint8Array({ maxLength: 32 }),
        partSetHeader: fc.record({ total: fc.nat(), hash: fc.uint8Array({ maxLength: 32 }) }),
      }),
      timestamp: fc.record({ seconds: fc.bigInt({ min: -(2n ** 40n), max: 2n ** 40n }), nanos: fc.integer({ min: 0, max: 999_999_999 }) }),
    });
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), vote, (chainId, v) => {
        const b = voteSignBytes(chainId, v);
        const d = decodeCanonicalVote(b);
        expect(d?.hrs).toEqual({ height: Number(v.height), round: v.round, step: v.type + 1 });
        expect(d?.chainId).toBe(chainId);
      }),
      { numRuns: 200 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (b) => {
        const d = decodeCanonicalVote(b);
        if (d !== undefined) expect(hex(voteSignBytes(d.chainId, d.vote))).toBe(hex(b));
      }),
      { numRuns: 500 },
    );
  });
});
