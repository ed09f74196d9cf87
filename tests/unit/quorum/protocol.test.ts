/**
 * The aggregator's door, with a hand-driven TLS client: certificates pinned to the enrolled identity, a
 * closed enrolment, bad signatures, replays and stale timestamps refused; an unhealthy agent contributes
 * nothing and says so; repeated material is refused by the arrival tests.
 */
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntropySource } from '../../../crypto/entropy/source.js';
import type { AgentEvent } from '../../../quorum/agent.js';
import { AgentIdentity } from '../../../quorum/identity.js';
import { PROTOCOL_VERSION } from '../../../quorum/messages.js';
import { startHarness, type Harness } from './harness.js';
import { testRng } from '../sharing/helpers.js';

interface Client {
  send(type: string, fields: Record<string, unknown>, opts?: { sign?: AgentIdentity; time?: number; nonce?: string }): void;
  next(): Promise<{ type: string; body: Record<string, unknown> } | 'closed'>;
  close(): void;
}

let nonceCounter = 0;
function client(h: Harness, tls: { cert: string; key: string }, agentId: string): Promise<Client> {
  const identity = AgentIdentity.fromPem(tls.key);
  const socket = connect({ host: '127.0.0.1', port: h.aggregator.port, cert: tls.cert, key: tls.key, ca: h.pki.ca });
  const lines: string[] = [];
  const waiters: ((l: string) => void)[] = [];
  let buf = '';
  socket.setEncoding('utf8');
  socket.on('data', (c: string) => {
    buf += c;
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      const l = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      const w = waiters.shift();
      if (w) w(l);
      else lines.push(l);
    }
  });
  socket.on('close', () => {
    for (const w of waiters.splice(0)) w('closed');
    lines.push('closed');
  });
  socket.on('error', () => undefined);
  return new Promise((resolve) =>
    socket.once('secureConnect', () =>
      resolve({
        send(type, fields, opts = {}) {
          const body = {
            agentId,
            time: opts.time ?? Date.now(),
            nonce: opts.nonce ?? (++nonceCounter).toString(16).padStart(32, '0'),
            ...fields,
          };
          socket.write(`${JSON.stringify({ type, body, sig: (opts.sign ?? identity).sign(type, body) })}\n`);
        },
        async next() {
          const l = lines.shift() ?? (await new Promise<string>((r) => waiters.push(r)));
          return l === 'closed' ? 'closed' : (JSON.parse(l) as { type: string; body: Record<string, unknown> });
        },
        close: () => socket.destroy(),
      }),
    ),
  );
}

const reasonOf = (m: { body: Record<string, unknown> } | 'closed'): string => (m === 'closed' ? m : String(m.body['reason']));
const hello = (id: AgentIdentity, region = 'eu') => ({ publicKey: id.publicKey, region, software: 'test', protocol: PROTOCOL_VERSION });

describe('aggregator admission', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ agents: [], label: 'protocol' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('enrols on first contact, then pins: another certificate for the same id is refused', async () => {
    const first = h.pki.issue('pinned');
    const c = await client(h, first, 'pinned');
    c.send('hello', hello(AgentIdentity.fromPem(first.key)));
    expect(await c.next()).toEqual({ type: 'welcome', body: { accepted: true, reason: 'enrolled' } });
    c.close();
    const impostor = h.pki.issue('impostor');
    const d = await client(h, impostor, 'pinned');
    d.send('hello', hello(AgentIdentity.fromPem(impostor.key)));
    const refusal = await d.next();
    expect(refusal).toMatchObject({ type: 'welcome', body: { accepted: false } });
    expect(reasonOf(refusal)).toMatch(/^QUORUM_IDENTITY_MISMATCH: pinned: not the enrolled identity key/);
    expect(await d.next()).toBe('closed');
  });

  it('a hello whose key is not the certificate key, or with a bad signature, is refused', async () => {
    const tls = h.pki.issue('mismatch');
    const other = AgentIdentity.fromPem(h.pki.issue('other').key);
    const c = await client(h, tls, 'mismatch');
    c.send('hello', hello(other), { sign: other });
    expect(reasonOf(await c.next())).toMatch(/^QUORUM_IDENTITY_MISMATCH/);
    const d = await client(h, tls, 'mismatch');
    d.send('hello', hello(AgentIdentity.fromPem(tls.key)), { sign: other });
    expect(reasonOf(await d.next())).toMatch(/^QUORUM_BAD_SIGNATURE/);
  });

  it('replayed, stale and rate-exceeding contributions are not counted; repeated material is refused', async () => {
    const tls = h.pki.issue('replayer');
    const c = await client(h, tls, 'replayer');
    c.send('hello', hello(AgentIdentity.fromPem(tls.key)));
    await c.next();
    const before = h.aggregator.report().counters;
    const m = testRng('replayer').randomBytes(64);
    c.send('contribution', { seq: 1, material: Buffer.from(m).toString('hex') }, { nonce: 'aa'.repeat(16) });
    c.send('contribution', { seq: 2, material: Buffer.from(m).toString('hex') }, { nonce: 'aa'.repeat(16) }); // same nonce
    c.send('contribution', { seq: 1, material: Buffer.from(testRng('r2').randomBytes(64)).toString('hex') }); // old seq
    c.send('contribution', { seq: 3, material: Buffer.from(testRng('r3').randomBytes(64)).toString('hex') }, { time: Date.now() - 60_000 }); // stale
    c.send('contribution', { seq: 4, material: Buffer.from(m).toString('hex') }); // same material
    c.send('contribution', { seq: 5, material: Buffer.from(testRng('r5').randomBytes(64)).toString('hex') });
    await h.waitFor(() => h.aggregator.report().counters.messagesRejected - before.messagesRejected === 4, '4 refusals');
    expect(h.aggregator.report().counters.contributionsAccepted - before.contributionsAccepted).toBe(2);
    c.close();
  });
});

describe('closed enrolment', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ agents: [], label: 'closed', aggregator: { openEnrolment: false } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('an unknown agent with a CA-signed certificate is still refused', async () => {
    const tls = h.pki.issue('stranger');
    const c = await client(h, tls, 'stranger');
    c.send('hello', hello(AgentIdentity.fromPem(tls.key)));
    expect(reasonOf(await c.next())).toBe('QUORUM_NOT_ENROLLED: stranger is not enrolled');
  });
});

describe('an unhealthy agent', () => {
  let h: Harness;
  // A credited source stuck at one value: the pool's start-up test quarantines it, so draws fail.
  const stuck: EntropySource = {
    id: 'stuck',
    kind: 'conditioned',
    creditBitsPerByte: 8,
    available: () => true,
    read: (n: number) => new Uint8Array(n).fill(7),
  };
  beforeAll(async () => {
    h = await startHarness({ agents: [{ id: 'sick', region: 'eu', sources: [stuck] }], label: 'unhealthy' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('contributes nothing and says so, and the aggregator sees it as unhealthy', async () => {
    const events = h.events.get('sick') as AgentEvent[];
    await h.waitFor(() => events.some((e) => e.event === 'unhealthy'), 'unhealthy event');
    await h.waitFor(() => h.aggregator.views()[0]?.health === 'unhealthy', 'unhealthy attestation');
    expect(events.some((e) => e.event === 'contributed')).toBe(false);
    expect(h.aggregator.contributors()).toBe(0);
    expect((events.find((e) => e.event === 'unhealthy') as { reason: string }).reason).toMatch(/^contributing nothing: /);
  });
});
