/**
 * The aggregation service: a mutual-TLS server (node:tls) that enrols agents, verifies and mixes their
 * entropy contributions into session keys, shards each key k-of-n across a quorum chosen by policy.ts,
 * rotates the quorum by proactive refresh, and reconstructs a key from k live agents on request.
 *
 * Per connection: the client certificate must chain to the configured CA (TLS does that) and its key must
 * be the identity key enrolled for the agent id the agent claims (pinning; first contact enrols when
 * enrolment is open). Per message: Ed25519 signature under the enrolled key, freshness (freshness.ts),
 * and for contributions the arrival health tests (arrival-health.ts). The session key exists in memory
 * only while it is being split, refreshed or handed to the requester, and is zeroed afterwards.
 *
 * Rotation is two-phase: the new share set is recorded as `pending`, sent to its holders, and committed
 * (one atomic state write) only when every new holder has acknowledged its share; on any failure — an
 * agent that dies, a timeout, a refusal — the pending set is dropped and the current set stays valid.
 * Agents keep the shares of every epoch until told which one to keep, so the key survives a crash at any
 * point. Not implemented: revocation by command, more than one aggregator
 * writing the same store at once.
 */
import { createServer, type Server, type TLSSocket } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Secret, sharing, silentLogger, systemClock, type Clock, type Logger, type RandomSource } from '../crypto/index.js';
import combineShares = sharing.combineShares;
import inspectShare = sharing.inspectShare;
import refreshEach = sharing.refreshEach;
import splitSecret = sharing.splitSecret;
import { ArrivalMonitor } from './arrival-health.js';
import { QuorumError } from './errors.js';
import { DEFAULT_FRESHNESS_POLICY, INITIAL_FRESHNESS, judgeFreshness, type FreshnessPolicy, type FreshnessState } from './freshness.js';
import { certificatePublicKeyHex, publicKeyFromHex, verifySignature } from './identity.js';
import { parseAgentMessage, PROTOCOL_VERSION, type AgentMessage, type AggregatorMessage, type StatusBody } from './messages.js';
import { keyCheckValue, mixSessionKey, type AcceptedContribution, type Provenance } from './mix.js';
import { assignShares, type AgentView, type AssignmentPolicy } from './policy.js';
import {
  EMPTY_STATE,
  type AggregatorState,
  type EnrolledAgent,
  type SessionKeyRecord,
  type ShareSetRecord,
  type StateStore,
} from './state.js';
import { LineChannel } from './transport.js';

/** A holder's share as gathered: its ciphertext (not secret without the wrapping key) and public info. */
interface GatheredShare {
  readonly agentId: string;
  readonly wrapped: Uint8Array;
  readonly info: sharing.ShareInfo;
}
import type { WrappingKey } from './wrap.js';

export interface AggregatorTls {
  readonly cert: string | Buffer;
  readonly key: string | Buffer;
  readonly ca: string | Buffer;
}

export interface AggregatorOptions {
  readonly tls: AggregatorTls;
  readonly host?: string;
  readonly port?: number;
  readonly store: StateStore;
  readonly wrapping: WrappingKey;
  readonly rng: RandomSource;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Accept unknown agent ids presenting a CA-signed certificate (first contact pins their key). */
  readonly openEnrolment?: boolean;
  readonly freshness?: FreshnessPolicy;
  /** How long to wait for an agent's reply to a share request. */
  readonly requestTimeoutMs?: number;
  /** Agents count as live when the aggregator heard from them this recently. */
  readonly liveWithinMs?: number;
  readonly minBattery?: number;
  readonly maxPerRegion?: number;
}

export interface CreateKeyOptions {
  readonly threshold: number;
  readonly shares: number;
  /** Distinct agents whose contributions must go in (default 2). */
  readonly minAgents?: number;
}

export interface KeySummary {
  readonly keyId: string;
  readonly checkValue: string;
  readonly epoch: number;
  readonly setId: string;
  readonly threshold: number;
  readonly shares: number;
  readonly holders: readonly string[];
  readonly provenance: Provenance;
}

interface Live {
  channel: LineChannel;
  agentId: string;
  publicKey: string;
  freshness: FreshnessState;
  status: StatusBody | undefined;
  lastSeen: number;
  failures: number;
  monitor: ArrivalMonitor;
}

interface Pending {
  readonly agentId: string;
  readonly type: 'stored' | 'share';
  readonly resolve: (body: AgentMessage['body'] | undefined) => void;
  readonly timer: NodeJS.Timeout;
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

export class Aggregator {
  private state: AggregatorState = EMPTY_STATE;
  private server: Server | undefined;
  private readonly live = new Map<string, Live>();
  private readonly pending = new Map<string, Pending>();
  private readonly contributions: AcceptedContribution[] = [];
  private readonly monitors = new Map<string, ArrivalMonitor>();
  private readonly rotating = new Set<string>();
  private saving: Promise<void> = Promise.resolve();
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly counters = { contributionsAccepted: 0, contributionsRejected: 0, messagesRejected: 0 };

  private constructor(private readonly options: AggregatorOptions) {
    this.clock = options.clock ?? systemClock;
    this.log = options.logger ?? silentLogger;
  }

  /** Loads the state (discarding any uncommitted rotation) and listens. */
  static async start(options: AggregatorOptions): Promise<Aggregator> {
    const a = new Aggregator(options);
    await a.loadState();
    await a.listen();
    return a;
  }

  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? 0;
  }

  private async loadState(): Promise<void> {
    const loaded = (await this.options.store.load()) ?? EMPTY_STATE;
    const rolledBack = loaded.keys.filter((k) => k.pending !== undefined).map((k) => k.keyId);
    if (rolledBack.length > 0) {
      this.log.warn({ keys: rolledBack }, 'uncommitted rotation found at start-up: discarded, the current share sets stay valid');
      this.state = { ...loaded, keys: loaded.keys.map(({ pending: _p, ...k }) => k) };
      await this.options.store.save(this.state);
    } else {
      this.state = loaded;
    }
  }

  private listen(): Promise<void> {
    const { tls } = this.options;
    this.server = createServer(
      { cert: tls.cert, key: tls.key, ca: tls.ca, requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.3' },
      (socket) => this.accept(socket),
    );
    this.server.on('tlsClientError', (err) => this.log.info({ err: err.message }, 'TLS handshake refused'));
    return new Promise((resolve, reject) => {
      this.server?.once('error', reject);
      this.server?.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => resolve());
    });
  }

  private accept(socket: TLSSocket): void {
    const peer = socket.getPeerCertificate(true);
    let certKey: string;
    try {
      certKey = certificatePublicKeyHex(new X509Certificate(peer.raw).raw);
    } catch {
      socket.destroy();
      return;
    }
    let session: Live | undefined;
    const channel = new LineChannel(
      socket,
      (line) => {
        try {
          const msg = parseAgentMessage(line);
          if (session === undefined) {
            session = this.hello(msg, certKey, channel);
            return;
          }
          this.handle(session, msg);
        } catch (err) {
          this.counters.messagesRejected++;
          const code = (err as QuorumError).code ?? 'error';
          this.log.info({ agent: session?.agentId, code }, `message refused: ${(err as Error).message}`);
          if (session === undefined || code === 'QUORUM_BAD_SIGNATURE' || code === 'QUORUM_MALFORMED_MESSAGE') {
            channel.send({
              type: 'welcome',
              body: { accepted: false, reason: `${code}: ${(err as Error).message}` },
            } satisfies AggregatorMessage);
            channel.close(code);
          }
        }
      },
      () => {
        if (session !== undefined && this.live.get(session.agentId) === session) this.live.delete(session.agentId);
      },
    );
  }

  private hello(msg: AgentMessage, certKey: string, channel: LineChannel): Live {
    if (msg.type !== 'hello') throw new QuorumError('QUORUM_MALFORMED_MESSAGE', `the first message must be hello, got ${msg.type}`);
    const b = msg.body;
    if (b.protocol !== PROTOCOL_VERSION)
      throw new QuorumError('QUORUM_MALFORMED_MESSAGE', `protocol ${b.protocol}, this aggregator speaks ${PROTOCOL_VERSION}`);
    if (b.publicKey !== certKey)
      throw new QuorumError('QUORUM_IDENTITY_MISMATCH', `${b.agentId}: the certificate's key is not the key in hello`);
    if (!verifySignature(b.publicKey, msg.type, b, msg.sig)) throw new QuorumError('QUORUM_BAD_SIGNATURE', `${b.agentId}: hello signature`);
    let enrolled = this.state.agents.find((a) => a.agentId === b.agentId);
    if (enrolled === undefined) {
      if (this.options.openEnrolment !== true) throw new QuorumError('QUORUM_NOT_ENROLLED', `${b.agentId} is not enrolled`);
      if (this.state.agents.some((a) => a.publicKey === b.publicKey))
        throw new QuorumError('QUORUM_IDENTITY_MISMATCH', `${b.agentId}: this key is enrolled under another id`);
      enrolled = { agentId: b.agentId, publicKey: b.publicKey, region: b.region, enrolledAt: this.clock.wallMs(), revoked: false };
      this.state = { ...this.state, agents: [...this.state.agents, enrolled] };
      // hello() answers at once; the enrolment's save is queued, and its failure is logged, not lost.
      this.save().catch((err: unknown) =>
        this.log.error({ agent: b.agentId, err: (err as Error).message }, 'could not save the enrolment'),
      );
      this.log.info({ agent: b.agentId, region: b.region }, 'agent enrolled');
    }
    if (enrolled.revoked) throw new QuorumError('QUORUM_NOT_ENROLLED', `${b.agentId} is revoked`);
    if (enrolled.publicKey !== certKey) throw new QuorumError('QUORUM_IDENTITY_MISMATCH', `${b.agentId}: not the enrolled identity key`);
    const verdict = judgeFreshness(
      INITIAL_FRESHNESS,
      { time: b.time, nonce: b.nonce, rated: false },
      this.clock.wallMs(),
      this.freshnessPolicy(),
    );
    if (!verdict.ok) throw new QuorumError(verdict.code, `${b.agentId}: ${verdict.reason}`);
    const previous = this.live.get(b.agentId);
    if (previous !== undefined) previous.channel.close('replaced');
    let monitor = this.monitors.get(b.agentId);
    if (monitor === undefined) {
      monitor = new ArrivalMonitor();
      this.monitors.set(b.agentId, monitor);
    }
    const session: Live = {
      channel,
      agentId: b.agentId,
      publicKey: enrolled.publicKey,
      freshness: verdict.next,
      status: undefined,
      lastSeen: this.clock.wallMs(),
      failures: 0,
      monitor,
    };
    this.live.set(b.agentId, session);
    channel.send({ type: 'welcome', body: { accepted: true, reason: 'enrolled' } } satisfies AggregatorMessage);
    // Tell the agent which epoch of each key is current (drops leftovers of an interrupted rotation).
    for (const k of this.state.keys) {
      if (!this.rotating.has(k.keyId))
        channel.send({ type: 'drop-shares', body: { keyId: k.keyId, keepEpoch: k.current.epoch } } satisfies AggregatorMessage);
    }
    return session;
  }

  private freshnessPolicy(): FreshnessPolicy {
    return this.options.freshness ?? DEFAULT_FRESHNESS_POLICY;
  }

  private handle(s: Live, msg: AgentMessage): void {
    const b = msg.body;
    if (b.agentId !== s.agentId) throw new QuorumError('QUORUM_IDENTITY_MISMATCH', `${s.agentId} sent a message as ${b.agentId}`);
    if (!verifySignature(s.publicKey, msg.type, b, msg.sig))
      throw new QuorumError('QUORUM_BAD_SIGNATURE', `${s.agentId}: ${msg.type} signature`);
    const seq = msg.type === 'contribution' || msg.type === 'status' ? msg.body.seq : undefined;
    const verdict = judgeFreshness(
      s.freshness,
      { time: b.time, nonce: b.nonce, ...(seq !== undefined ? { seq } : {}), rated: msg.type === 'contribution' },
      this.clock.wallMs(),
      this.freshnessPolicy(),
    );
    if (!verdict.ok) {
      if (msg.type === 'contribution') this.counters.contributionsRejected++;
      throw new QuorumError(verdict.code, `${s.agentId}: ${verdict.reason}`);
    }
    s.freshness = verdict.next;
    s.lastSeen = this.clock.wallMs();
    switch (msg.type) {
      case 'hello':
        throw new QuorumError('QUORUM_MALFORMED_MESSAGE', 'hello twice');
      case 'status':
        s.status = msg.body;
        return;
      case 'contribution': {
        const material = Uint8Array.from(Buffer.from(msg.body.material, 'hex'));
        const why = s.monitor.check(material);
        if (why !== undefined) {
          material.fill(0);
          this.counters.contributionsRejected++;
          throw new QuorumError('QUORUM_UNHEALTHY_CONTRIBUTION', `${s.agentId}: ${why}`);
        }
        this.contributions.push({
          agentId: s.agentId,
          seq: msg.body.seq,
          nonce: msg.body.nonce,
          receivedAt: this.clock.wallMs(),
          material,
        });
        // Bounded: the newest contributions are the ones that go into the next key.
        if (this.contributions.length > 4096) this.contributions.shift()?.material.fill(0);
        this.counters.contributionsAccepted++;
        return;
      }
      case 'stored':
      case 'share': {
        const p = this.pending.get(msg.body.requestId);
        // A reply nobody waits for (late, twice, or for another agent) is dropped.
        if (p === undefined || p.agentId !== s.agentId || p.type !== msg.type) return;
        this.pending.delete(msg.body.requestId);
        clearTimeout(p.timer);
        p.resolve(msg.body);
        return;
      }
    }
  }

  private request<T extends 'stored' | 'share'>(
    agentId: string,
    type: T,
    message: AggregatorMessage & { body: { requestId: string } },
  ): Promise<(T extends 'stored' ? AgentMessage & { type: 'stored' } : AgentMessage & { type: 'share' })['body'] | undefined> {
    const s = this.live.get(agentId);
    if (s === undefined || !s.channel.isOpen) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(message.body.requestId);
        s.failures++;
        resolve(undefined);
      }, this.options.requestTimeoutMs ?? 3000);
      this.pending.set(message.body.requestId, { agentId, type, timer, resolve: resolve as (b: AgentMessage['body'] | undefined) => void });
      s.channel.send(message);
    });
  }

  private newRequestId(): string {
    return hex(this.options.rng.randomBytes(16));
  }

  /**
   * Saves run one at a time, each writing the state as it is when its turn comes: two writes in flight
   * could finish out of order and leave an older state on disk. A failed save rejects its own caller and
   * does not stop the ones queued after it; close() waits for the queue.
   */
  private save(): Promise<void> {
    const run = this.saving.then(() => this.options.store.save(this.state));
    this.saving = run.catch(() => undefined);
    return run;
  }

  private agentOf(agentId: string): EnrolledAgent {
    const a = this.state.agents.find((x) => x.agentId === agentId);
    if (a === undefined) throw new QuorumError('QUORUM_NOT_ENROLLED', `${agentId} is not enrolled`);
    return a;
  }

  /** What the policy sees about every enrolled agent now. */
  views(): AgentView[] {
    return this.state.agents.map((a) => {
      const s = this.live.get(a.agentId);
      const arrivalsFailed = this.monitors.get(a.agentId)?.stats().failed !== undefined;
      return {
        agentId: a.agentId,
        region: a.region,
        claimedRegion: s?.status?.region ?? a.region,
        health: s?.status === undefined ? 'unknown' : arrivalsFailed ? 'unhealthy' : s.status.health,
        battery: s?.status?.battery ?? -1,
        lastSeen: s !== undefined && s.channel.isOpen ? s.lastSeen : -1,
        failures: s?.failures ?? 0,
        revoked: a.revoked,
      };
    });
  }

  private policy(threshold: number, shares: number): AssignmentPolicy {
    return {
      threshold,
      shares,
      liveWithinMs: this.options.liveWithinMs ?? 15_000,
      minBattery: this.options.minBattery ?? 20,
      maxFailures: 3,
      ...(this.options.maxPerRegion !== undefined ? { maxPerRegion: this.options.maxPerRegion } : {}),
    };
  }

  private chooseHolders(threshold: number, shares: number): readonly string[] {
    const a = assignShares(this.views(), this.policy(threshold, shares), this.clock.wallMs());
    if (!a.ok)
      throw new QuorumError(
        'QUORUM_NO_QUORUM',
        `${a.reason} (ineligible: ${
          Object.entries(a.ineligible)
            .map(([id, why]) => `${id} ${why}`)
            .join(', ') || 'none'
        })`,
      );
    return a.assignees;
  }

  /**
   * Wraps each share for its holder and waits for every signed acknowledgement; true when all arrived.
   * The shares are zeroed.
   */
  private async distribute(keyId: string, epoch: number, holders: readonly string[], shares: readonly Uint8Array[]): Promise<string[]> {
    const results = await Promise.all(
      holders.map(async (agentId, i) => {
        const agent = this.agentOf(agentId);
        const share = shares[i] as Uint8Array;
        const wrapped = this.options.wrapping.wrap(share, { keyId, epoch, agentId, publicKey: agent.publicKey }, this.options.rng);
        share.fill(0);
        const requestId = this.newRequestId();
        const ack = await this.request(agentId, 'stored', {
          type: 'store-share',
          body: { requestId, keyId, epoch, wrapped: hex(wrapped) },
        });
        return ack !== undefined && ack.keyId === keyId && ack.epoch === epoch ? undefined : agentId;
      }),
    );
    return results.filter((r): r is string => r !== undefined);
  }

  /** A new session key from the contributions received since the last one, sharded k-of-n. */
  async createKey(options: CreateKeyOptions): Promise<KeySummary> {
    const holders = this.chooseHolders(options.threshold, options.shares);
    const counter = this.state.counter + 1;
    const keyId = `k${counter}-${hex(this.options.rng.randomBytes(4))}`;
    const taken = this.contributions.splice(0);
    const { key, provenance } = mixSessionKey(taken, this.options.rng, {
      keyId,
      counter,
      createdAt: this.clock.wallMs(),
      minAgents: options.minAgents ?? 2,
    });
    let shares: Uint8Array[];
    let checkValue: string;
    try {
      checkValue = keyCheckValue(key);
      // Format v2: a combine checks the key itself against the set's check value (one hash, and an
      // inconsistent set is refused rather than combined); sets made earlier stay v1 through every refresh.
      shares = splitSecret(key, { threshold: options.threshold, shares: options.shares, version: 2 }, this.options.rng);
    } finally {
      key.fill(0);
    }
    const info = shares.map((s) => inspectShare(s));
    const current: ShareSetRecord = {
      epoch: 1,
      setId: (info[0] as { setId: string }).setId,
      threshold: options.threshold,
      shares: options.shares,
      holders: holders.map((agentId, i) => ({ agentId, x: (info[i] as { x: number }).x })),
    };
    this.state = { ...this.state, counter };
    await this.save();
    const missing = await this.distribute(keyId, 1, holders, shares);
    if (missing.length > 0) {
      for (const h of holders)
        this.live.get(h)?.channel.send({ type: 'drop-shares', body: { keyId, keepEpoch: 0 } } satisfies AggregatorMessage);
      throw new QuorumError(
        'QUORUM_ROTATION_FAILED',
        `key ${keyId} not created: no acknowledgement from ${missing.join(', ')} (the key was discarded)`,
      );
    }
    const record: SessionKeyRecord = { keyId, checkValue, provenance, current };
    this.state = { ...this.state, keys: [...this.state.keys, record] };
    await this.save();
    this.log.info({ keyId, checkValue, holders, agents: provenance.agents }, 'session key created and sharded');
    return summary(record);
  }

  private keyRecord(keyId: string): SessionKeyRecord {
    const k = this.state.keys.find((r) => r.keyId === keyId);
    if (k === undefined) throw new QuorumError('QUORUM_UNKNOWN_KEY', `no session key ${keyId}`);
    return k;
  }

  /**
   * k holders of the current set whose shares verify, gathered from live holders in parallel: each reply
   * is unwrapped, checked against the set id and its holder's x, and zeroed at once — what is kept is the
   * ciphertext (openShare unwraps it again when it is used), so a gather holds no share in the clear. A
   * share that fails to unwrap or verify is skipped and its agent charged a failure.
   */
  private async gather(record: SessionKeyRecord): Promise<GatheredShare[]> {
    const set = record.current;
    const got: GatheredShare[] = [];
    let enough: () => void = () => undefined;
    const early = new Promise<void>((resolve) => (enough = resolve));
    const all = Promise.all(
      set.holders.map(async ({ agentId, x }) => {
        const requestId = this.newRequestId();
        const reply = await this.request(agentId, 'share', {
          type: 'get-share',
          body: { requestId, keyId: record.keyId, epoch: set.epoch },
        });
        if (reply === undefined || reply.wrapped === '' || reply.epoch !== set.epoch || reply.keyId !== record.keyId) return;
        try {
          const wrapped = Buffer.from(reply.wrapped, 'hex');
          const share = this.openShare(record, { agentId, wrapped });
          let info: sharing.ShareInfo;
          try {
            info = inspectShare(share);
          } finally {
            share.fill(0);
          }
          if (info.setId !== set.setId || info.x !== x)
            throw new QuorumError('QUORUM_UNWRAP_FAILED', `${agentId} returned a share of another set or x`);
          if (got.length < set.threshold) got.push({ agentId, wrapped, info });
          if (got.length === set.threshold) enough();
        } catch (err) {
          const live = this.live.get(agentId);
          if (live !== undefined) live.failures++;
          this.log.warn({ agent: agentId, code: (err as QuorumError).code }, `share refused: ${(err as Error).message}`);
        }
      }),
    );
    // As soon as k shares verified; replies still in flight are dropped when they come (late).
    await Promise.race([early, all]);
    if (got.length < set.threshold) {
      throw new QuorumError(
        'QUORUM_SHARE_UNAVAILABLE',
        `${record.keyId}: ${got.length} valid share(s) from live agents, ${set.threshold} needed`,
      );
    }
    return got.splice(0, set.threshold);
  }

  /** A gathered share in the clear, for the caller to zero when done. */
  private openShare(record: SessionKeyRecord, g: { readonly agentId: string; readonly wrapped: Uint8Array }): Uint8Array {
    return this.options.wrapping.unwrap(g.wrapped, {
      keyId: record.keyId,
      epoch: record.current.epoch,
      agentId: g.agentId,
      publicKey: this.agentOf(g.agentId).publicKey,
    });
  }

  /** The session key, for the requester, as a zeroizing Secret (the caller disposes it). */
  async reconstruct(keyId: string): Promise<Secret> {
    const record = this.keyRecord(keyId);
    const gathered = await this.gather(record);
    const shares: Uint8Array[] = [];
    try {
      for (const g of gathered) shares.push(this.openShare(record, g));
      const key = combineShares(shares, { setId: record.current.setId });
      if (keyCheckValue(key) !== record.checkValue) {
        key.fill(0);
        throw new QuorumError('QUORUM_SHARE_UNAVAILABLE', `${keyId}: the shares combined to a key with the wrong check value`);
      }
      return Secret.from(key);
    } finally {
      for (const s of shares) s.fill(0);
    }
  }

  /**
   * Proactive refresh to a new quorum (same or new k, n): k current holders are gathered (ciphertext),
   * and their shares unwrapped and refreshed one at a time, each zeroed before the next is unwrapped
   * (refreshEach, crypto/sharing/refresh.ts — the key is never formed, no two old shares are in memory
   * together), the new set is recorded as pending,
   * distributed, and committed only when every new holder acknowledged. A failure leaves the current set.
   */
  async rotate(keyId: string, target?: { readonly threshold: number; readonly shares: number }): Promise<KeySummary> {
    if (this.rotating.has(keyId)) throw new QuorumError('QUORUM_ROTATION_FAILED', `${keyId}: a rotation is already running`);
    this.rotating.add(keyId);
    try {
      const record = this.keyRecord(keyId);
      const k = target?.threshold ?? record.current.threshold;
      const n = target?.shares ?? record.current.shares;
      const holders = this.chooseHolders(k, n);
      const old = await this.gather(record);
      const fresh = refreshEach(
        old.map((g) => g.info),
        (i) => this.openShare(record, old[i] as GatheredShare),
        { threshold: k, shares: n },
        this.options.rng,
      );
      const info = fresh.map((s) => inspectShare(s));
      const epoch = record.current.epoch + 1;
      const pending: ShareSetRecord = {
        epoch,
        setId: (info[0] as { setId: string }).setId,
        threshold: k,
        shares: n,
        holders: holders.map((agentId, i) => ({ agentId, x: (info[i] as { x: number }).x })),
      };
      this.replaceKey({ ...record, pending });
      await this.save();
      const missing = await this.distribute(keyId, epoch, holders, fresh);
      if (missing.length > 0) {
        this.replaceKey(record);
        await this.save();
        for (const h of holders)
          this.live
            .get(h)
            ?.channel.send({ type: 'drop-shares', body: { keyId, keepEpoch: record.current.epoch } } satisfies AggregatorMessage);
        throw new QuorumError(
          'QUORUM_ROTATION_FAILED',
          `${keyId}: epoch ${epoch} not acknowledged by ${missing.join(', ')}; epoch ${record.current.epoch} remains valid`,
        );
      }
      const committed: SessionKeyRecord = { keyId, checkValue: record.checkValue, provenance: record.provenance, current: pending };
      this.replaceKey(committed);
      await this.save();
      for (const s of this.live.values())
        s.channel.send({ type: 'drop-shares', body: { keyId, keepEpoch: epoch } } satisfies AggregatorMessage);
      this.log.info({ keyId, epoch, holders }, 'quorum rotated');
      return summary(committed);
    } finally {
      this.rotating.delete(keyId);
    }
  }

  private replaceKey(record: SessionKeyRecord): void {
    this.state = { ...this.state, keys: this.state.keys.map((k) => (k.keyId === record.keyId ? record : k)) };
  }

  keys(): KeySummary[] {
    return this.state.keys.map(summary);
  }

  report(): {
    agents: (AgentView & { arrivals: ReturnType<ArrivalMonitor['stats']> | undefined })[];
    counters: { contributionsAccepted: number; contributionsRejected: number; messagesRejected: number };
    pendingContributions: number;
  } {
    return {
      agents: this.views().map((v) => ({ ...v, arrivals: this.monitors.get(v.agentId)?.stats() })),
      counters: { ...this.counters },
      pendingContributions: this.contributions.length,
    };
  }

  /** Distinct agents with contributions waiting for the next key. */
  contributors(): number {
    return new Set(this.contributions.map((c) => c.agentId)).size;
  }

  async close(): Promise<void> {
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.resolve(undefined);
    }
    this.pending.clear();
    for (const s of this.live.values()) s.channel.close('shutdown');
    for (const c of this.contributions.splice(0)) c.material.fill(0);
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    await this.saving;
    await this.options.store.close();
  }
}

function summary(r: SessionKeyRecord): KeySummary {
  return {
    keyId: r.keyId,
    checkValue: r.checkValue,
    epoch: r.current.epoch,
    setId: r.current.setId,
    threshold: r.current.threshold,
    shares: r.current.shares,
    holders: r.current.holders.map((h) => h.agentId),
    provenance: r.provenance,
  };
}

export { publicKeyFromHex };
