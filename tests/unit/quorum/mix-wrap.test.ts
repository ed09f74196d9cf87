/**
 * Mixing and wrapping: every input moves the key (no coalition short of all inputs fixes it, the
 * aggregator's own draw included), provenance carries no material; a wrapped share opens only for its own
 * agent, key and epoch; signatures bind the message type.
 */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, signBytes } from '../../../quorum/canonical.js';
import { AgentIdentity, verifySignature } from '../../../quorum/identity.js';
import { keyCheckValue, mixSessionKey, type AcceptedContribution } from '../../../quorum/mix.js';
import { WrappingKey } from '../../../quorum/wrap.js';
import { scriptedRng, testRng } from '../sharing/helpers.js';

const material = (b: number): Uint8Array => new Uint8Array(64).fill(b);
const contributions = (bytes: readonly number[]): AcceptedContribution[] =>
  bytes.map((b, i) => ({
    agentId: `agent-${i}`,
    seq: i + 1,
    nonce: i.toString(16).padStart(32, '0'),
    receivedAt: 0,
    material: material(b),
  }));
const own = (b: number) => scriptedRng(Array(64).fill(b));
const meta = { keyId: 'k1', counter: 1, createdAt: 0, minAgents: 2 };

describe('mixSessionKey', () => {
  const key = (agentBytes: number[], aggregatorByte: number, m = meta): string =>
    keyCheckValue(mixSessionKey(contributions(agentBytes), own(aggregatorByte), m).key);

  it('is a function of every input: each agent, the aggregator draw, the key id and the counter', () => {
    const reference = key([1, 2, 3], 9);
    expect(key([1, 2, 3], 9)).toBe(reference);
    expect(
      new Set([
        reference,
        key([7, 2, 3], 9),
        key([1, 7, 3], 9),
        key([1, 2, 7], 9),
        key([1, 2, 3], 7),
        key([1, 2, 3], 9, { ...meta, keyId: 'k2' }),
        key([1, 2, 3], 9, { ...meta, counter: 2 }),
      ]).size,
    ).toBe(7);
  });

  it('swapping two agents’ contributions changes the key (each is hashed under its own id)', () => {
    expect(key([1, 2], 9)).not.toBe(key([2, 1], 9));
  });

  it('refuses too few distinct agents and zeroes every contribution it was given', () => {
    const c = contributions([5]);
    expect(() => mixSessionKey(c, own(1), meta)).toThrow(expect.objectContaining({ code: 'QUORUM_INSUFFICIENT_CONTRIBUTIONS' }));
    expect(c[0]!.material.every((b) => b === 0)).toBe(true);
    const d = contributions([5, 6]);
    const { provenance } = mixSessionKey(d, own(1), meta);
    expect(d.every((x) => x.material.every((b) => b === 0))).toBe(true);
    expect(provenance).toEqual({
      keyId: 'k1',
      createdAt: 0,
      counter: 1,
      aggregatorDraw: true,
      agents: 2,
      contributions: [
        { agentId: 'agent-0', seq: 1, nonce: '0'.repeat(32) },
        { agentId: 'agent-1', seq: 2, nonce: '0'.repeat(31) + '1' },
      ],
    });
  });
});

describe('WrappingKey', () => {
  const w = WrappingKey.fromBytes(new Uint8Array(32).fill(3));
  const rng = testRng('wrap');
  const address = { keyId: 'k1', epoch: 2, agentId: 'agent-1', publicKey: 'ab'.repeat(32) };
  const share = Uint8Array.from({ length: 100 }, (_, i) => i);

  it('round-trips for the same address, and fails for another agent, key, epoch, identity or a flipped bit', () => {
    const wrapped = w.wrap(share, address, rng);
    expect(Array.from(w.unwrap(wrapped, address))).toEqual(Array.from(share));
    for (const other of [{ agentId: 'agent-2' }, { keyId: 'k2' }, { epoch: 3 }, { publicKey: 'cd'.repeat(32) }]) {
      expect(() => w.unwrap(wrapped, { ...address, ...other })).toThrow(expect.objectContaining({ code: 'QUORUM_UNWRAP_FAILED' }));
    }
    const bad = wrapped.slice();
    bad[20] = bad[20]! ^ 1;
    expect(() => w.unwrap(bad, address)).toThrow(expect.objectContaining({ code: 'QUORUM_UNWRAP_FAILED' }));
    expect(() => WrappingKey.fromBytes(new Uint8Array(32).fill(4)).unwrap(wrapped, address)).toThrow(
      expect.objectContaining({ code: 'QUORUM_UNWRAP_FAILED' }),
    );
  });

  it('never shows its bytes', () => {
    expect(`${w}`).toBe('WrappingKey(redacted)');
    expect(JSON.stringify({ w })).toBe('{"w":"WrappingKey(redacted)"}');
  });
});

describe('signatures', () => {
  const pem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
  const id = AgentIdentity.fromPem(pem);
  const body = { agentId: 'a', time: 5, nonce: '00'.repeat(16), seq: 1 };

  it('canonical JSON sorts keys at every level, so field order does not matter', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 'x'], c: true } })).toBe('{"a":{"c":true,"d":[1,"x"]},"b":1}');
    expect(Buffer.from(signBytes('status', { b: 1, a: 2 })).toString()).toBe('hrng/quorum/v1/status\u0000{"a":2,"b":1}');
  });

  it('verify under the identity, fail for another type, another body or another key', () => {
    const sig = id.sign('contribution', body);
    expect(verifySignature(id.publicKey, 'contribution', { seq: 1, nonce: body.nonce, time: 5, agentId: 'a' }, sig)).toBe(true);
    expect(verifySignature(id.publicKey, 'status', body, sig)).toBe(false);
    expect(verifySignature(id.publicKey, 'contribution', { ...body, seq: 2 }, sig)).toBe(false);
    const other = AgentIdentity.fromPem(generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }) as string);
    expect(verifySignature(other.publicKey, 'contribution', body, sig)).toBe(false);
    expect(`${id}`).toMatch(/^AgentIdentity\([0-9a-f]{16}…\)$/);
  });
});
