/**
 * Secret sharing: split and combine of a 32-byte secret at 3-of-5 and 128-of-255, ours (table-free,
 * constant time; raw and authenticated) against `shamir-secret-sharing` (log/exp tables) in the same run.
 * Goal: the authenticated (public) split and combine within 2× of it. "auth v2" is format v2
 * (`{ version: 2 }`: a combine of k shares hashes twice), "auth v1" the format v1 kept for compatibility
 * (k + 1 hashes). Ours and the oracle alternate batch by batch; each figure is the median batch on process
 * CPU time. The last column is the floor of a v2 combine: its two one-shot SHA3-256 calls (the set id
 * over 60 + 33n bytes, the check over 27 + L + 32 bytes), timed alone.
 */
import { combine as oracleCombine, split as oracleSplit } from 'shamir-secret-sharing';
import { Rng } from '../../crypto/drbg/rng.js';
import { combineShares, inspectShare, splitSecret } from '../../crypto/sharing/authenticated.js';
import { combineRaw, splitRaw } from '../../crypto/sharing/shamir.js';
import { generateKeyPairSync, hash } from 'node:crypto';
import { ArrivalMonitor } from '../../quorum/arrival-health.js';
import { INITIAL_FRESHNESS, judgeFreshness } from '../../quorum/freshness.js';
import { AgentIdentity, publicKeyFromHex, verifySignature } from '../../quorum/identity.js';
import { parseAgentMessage } from '../../quorum/messages.js';
import { mixSessionKey, type AcceptedContribution } from '../../quorum/mix.js';
import { cpuMs, median, printTable } from './cpu-time.js';

async function paired(rounds: number, batch: number, fns: readonly (() => unknown)[]): Promise<number[]> {
  const times: number[][] = fns.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (const [i, fn] of fns.entries()) {
      const t0 = cpuMs();
      for (let b = 0; b < batch; b++) await fn();
      (times[i] as number[]).push((cpuMs() - t0) / batch);
    }
  }
  return times.map(median);
}

export async function run(): Promise<void> {
  const rng = await Rng.create();
  const secret = rng.randomBytes(32);
  const rows: string[][] = [
    [
      'k-of-n',
      'operation',
      'oracle ms',
      'ours raw ms',
      'raw / oracle',
      'auth v2 ms',
      'v2 / oracle',
      'auth v1 ms',
      'v1 / oracle',
      'v2 hash floor / oracle',
    ],
  ];
  for (const [k, n, rounds, batch] of [
    [3, 5, 15, 200],
    [128, 255, 9, 3],
  ] as const) {
    const theirs = await oracleSplit(secret, n, k);
    const raw = splitRaw(secret, k, n, rng);
    const auth = splitSecret(secret, { threshold: k, shares: n, version: 2 }, rng);
    const authV1 = splitSecret(secret, { threshold: k, shares: n, version: 1 }, rng);
    const [so, sr, sa, s1] = await paired(rounds, batch, [
      () => oracleSplit(secret, n, k),
      () => splitRaw(secret, k, n, rng),
      () => splitSecret(secret, { threshold: k, shares: n, version: 2 }, rng),
      () => splitSecret(secret, { threshold: k, shares: n, version: 1 }, rng),
    ]);
    const checkInput = new Uint8Array(new ArrayBuffer(27 + secret.length + 32));
    const setInput = new Uint8Array(60 + 33 * n);
    // "+ set id": the combine the aggregator runs, with the expected set id (quorum/aggregator.ts).
    const setId = { setId: inspectShare(auth[0] as Uint8Array).setId };
    const setIdV1 = { setId: inspectShare(authV1[0] as Uint8Array).setId };
    const [co, cr, ca, c1, cas, c1s, cf] = await paired(rounds, batch * 4, [
      () => oracleCombine(theirs.slice(0, k)),
      () => combineRaw(raw.slice(0, k)),
      () => combineShares(auth.slice(0, k)),
      () => combineShares(authV1.slice(0, k)),
      () => combineShares(auth.slice(0, k), setId),
      () => combineShares(authV1.slice(0, k), setIdV1),
      () => {
        hash('sha3-256', setInput, 'binary');
        return hash('sha3-256', checkInput, 'binary');
      },
    ]);
    for (const [op, o, r, a, v1, f] of [
      ['split', so, sr, sa, s1, undefined],
      ['combine', co, cr, ca, c1, cf],
      ['combine + set id', co, cr, cas, c1s, cf],
    ] as const) {
      rows.push([
        `${k}-of-${n}`,
        op,
        (o as number).toFixed(4),
        (r as number).toFixed(4),
        `${((r as number) / (o as number)).toFixed(2)}×`,
        (a as number).toFixed(4),
        `${((a as number) / (o as number)).toFixed(2)}×`,
        (v1 as number).toFixed(4),
        `${((v1 as number) / (o as number)).toFixed(2)}×`,
        f === undefined ? '' : `${((f as number) / (o as number)).toFixed(2)}×`,
      ]);
    }
  }
  await contributionRate(rng);
  rng.destroy();
  printTable(rows);
}

/** What the aggregator does per contribution: parse, verify Ed25519, freshness, arrival tests, mix. */
async function contributionRate(rng: Rng): Promise<void> {
  const identity = AgentIdentity.fromPem(generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }) as string);
  const key = publicKeyFromHex(identity.publicKey);
  const N = 2000;
  const now = Date.now();
  const lines = Array.from({ length: N }, (_, i) => {
    const body = {
      agentId: 'bench',
      time: now,
      nonce: Buffer.from(rng.randomBytes(16)).toString('hex'),
      seq: i + 1,
      material: Buffer.from(rng.randomBytes(64)).toString('hex'),
    };
    return JSON.stringify({ type: 'contribution', body, sig: identity.sign('contribution', body) });
  });
  const t0 = cpuMs();
  const monitor = new ArrivalMonitor();
  let state = INITIAL_FRESHNESS;
  const accepted: AcceptedContribution[] = [];
  for (const line of lines) {
    const m = parseAgentMessage(line);
    if (m.type !== 'contribution' || !verifySignature(key, m.type, m.body, m.sig)) throw new Error('bench: bad message');
    const v = judgeFreshness(state, { time: m.body.time, nonce: m.body.nonce, seq: m.body.seq, rated: false }, now);
    if (!v.ok) throw new Error(v.reason);
    state = { ...v.next, nonces: v.next.nonces.slice(-64) };
    const material = Uint8Array.from(Buffer.from(m.body.material, 'hex'));
    if (monitor.check(material) !== undefined) throw new Error('bench: arrival test');
    accepted.push({ agentId: `a${accepted.length % 7}`, seq: m.body.seq, nonce: m.body.nonce, receivedAt: now, material });
    if (accepted.length === 100)
      mixSessionKey(accepted.splice(0), rng, { keyId: 'bench', counter: 1, createdAt: now, minAgents: 2 }).key.fill(0);
  }
  const ms = cpuMs() - t0;
  console.log(
    `aggregator: ${N} contributions parsed, Ed25519-verified, freshness- and health-checked and mixed (100 per key) in ${ms.toFixed(0)} ms CPU: ${((N / ms) * 1000).toFixed(0)} contributions/s`,
  );
}
