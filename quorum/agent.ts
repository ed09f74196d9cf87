/**
 * An entropy agent: collects from its local sources through the project's pool and SP 800-90B health tests
 * (crypto/entropy), signs each 64-byte contribution with its Ed25519 identity key and sends it to the
 * aggregator over mutual TLS, at a jittered interval (between 0.5 and 1.5 times `intervalMs`, drawn from
 * its RandomSource — never faster, which is its own rate limit); sends a signed attestation (sources,
 * credits, health, software, battery, region, shares held) every `statusEveryMs`; and holds the wrapped
 * shares the aggregator gives it (it cannot open them), returning them on request.
 *
 * An agent whose pool cannot deliver (InsufficientEntropyError: too few healthy sources) contributes
 * nothing, says so in its attestation (health 'unhealthy' and the reason) and in an event. Shares held are
 * written atomically to `stateFile` when given, so a restarted agent still holds them.
 *
 * `faults` exists for the failure tests and the soak only (an agent that lies, corrupts, repeats or delays);
 * the CLI never sets it.
 */
import { readFile } from 'node:fs/promises';
import { connect, type TLSSocket } from 'node:tls';
import { silentLogger, systemClock, type Clock, type Logger, type RandomSource } from '../crypto/index.js';
import type { EntropyPool } from '../crypto/entropy/index.js';
import { writeFileAtomic } from '../crypto/fs/index.js';
import { check } from './errors.js';
import type { AgentIdentity } from './identity.js';
import { CONTRIBUTION_BYTES, parseAggregatorMessage, PROTOCOL_VERSION, type AggregatorMessage, type AgentMessage } from './messages.js';
import { LineChannel } from './transport.js';

export const AGENT_SOFTWARE = 'hardened-rng-agent/0.1.0';

export interface AgentFaults {
  /** Attest this region / health / battery instead of the truth. */
  readonly claim?: { readonly region?: string; readonly health?: 'healthy' | 'unhealthy'; readonly battery?: number };
  /** Flip a bit of every share returned. */
  readonly corruptShares?: boolean;
  /** Send each share reply twice. */
  readonly duplicateReplies?: boolean;
  /** Delay share replies by this long. */
  readonly replyDelayMs?: number;
  /** Never acknowledge stored shares (dies mid-rotation without dying). */
  readonly ignoreStore?: boolean;
}

export interface AgentOptions {
  readonly agentId: string;
  readonly region: string;
  readonly host: string;
  readonly port: number;
  readonly tls: { readonly cert: string | Buffer; readonly key: string | Buffer; readonly ca: string | Buffer };
  readonly identity: AgentIdentity;
  readonly pool: EntropyPool;
  readonly rng: RandomSource;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly intervalMs?: number;
  readonly statusEveryMs?: number;
  /** Battery percentage, or -1 on mains (default). */
  readonly battery?: () => number;
  readonly stateFile?: string;
  readonly reconnectMs?: number;
  readonly onEvent?: (event: AgentEvent) => void;
  readonly faults?: AgentFaults;
}

export type AgentEvent =
  | { readonly event: 'connected' }
  | { readonly event: 'refused'; readonly reason: string }
  | { readonly event: 'disconnected'; readonly reason: string }
  | { readonly event: 'unhealthy'; readonly reason: string }
  | { readonly event: 'contributed'; readonly seq: number }
  | { readonly event: 'stored'; readonly keyId: string; readonly epoch: number }
  | { readonly event: 'dropped'; readonly keyId: string; readonly epochs: readonly number[] };

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

export class Agent {
  private channel: LineChannel | undefined;
  private readonly shares = new Map<string, string>();
  private seq = 0;
  private health: { state: 'healthy' | 'unhealthy'; reason: string } = { state: 'unhealthy', reason: 'not started' };
  private timers: NodeJS.Timeout[] = [];
  private stopped = false;
  private welcomed = false;
  private readonly clock: Clock;
  private readonly log: Logger;
  private saving: Promise<void> = Promise.resolve();

  constructor(private readonly options: AgentOptions) {
    check.string(options.agentId, 'agentId', { pattern: /[A-Za-z0-9][A-Za-z0-9._-]{0,63}/ });
    check.string(options.region, 'region', { pattern: /[A-Za-z0-9][A-Za-z0-9._-]{0,63}/ });
    this.clock = options.clock ?? systemClock;
    this.log = options.logger ?? silentLogger;
  }

  /** Loads held shares, runs the pool's start-up tests and connects (reconnecting until stop()). */
  async start(): Promise<void> {
    if (this.options.stateFile !== undefined) {
      try {
        const held = JSON.parse(await readFile(this.options.stateFile, 'utf8')) as Record<string, string>;
        for (const [k, v] of Object.entries(held)) if (typeof v === 'string') this.shares.set(k, v);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
          this.log.warn({ err: (err as Error).message }, 'agent state unreadable; starting without shares');
      }
    }
    this.options.pool.startup();
    this.connect();
  }

  holding(): string[] {
    return [...this.shares.keys()].sort();
  }

  private emit(e: AgentEvent): void {
    this.options.onEvent?.(e);
  }

  private connect(): void {
    if (this.stopped) return;
    const { tls } = this.options;
    const socket: TLSSocket = connect({
      host: this.options.host,
      port: this.options.port,
      cert: tls.cert,
      key: tls.key,
      ca: tls.ca,
      minVersion: 'TLSv1.3',
    });
    this.welcomed = false;
    const channel = new LineChannel(
      socket,
      (line) => this.onLine(line),
      (reason) => {
        this.clearTimers();
        if (this.channel === channel) this.channel = undefined;
        this.emit({ event: 'disconnected', reason });
        if (!this.stopped) this.timers.push(setTimeout(() => this.connect(), this.options.reconnectMs ?? 500));
      },
    );
    this.channel = channel;
    socket.once('secureConnect', () => {
      this.sendSigned('hello', {
        publicKey: this.options.identity.publicKey,
        region: this.options.region,
        software: AGENT_SOFTWARE,
        protocol: PROTOCOL_VERSION,
      });
    });
  }

  private nonce(): string {
    return hex(this.options.rng.randomBytes(16));
  }

  private sendSigned(type: AgentMessage['type'], fields: Record<string, unknown>): void {
    const body = { agentId: this.options.agentId, time: this.clock.wallMs(), nonce: this.nonce(), ...fields };
    this.channel?.send({ type, body, sig: this.options.identity.sign(type, body) });
  }

  private onLine(line: string): void {
    let msg: AggregatorMessage;
    try {
      msg = parseAggregatorMessage(line);
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'malformed message from the aggregator; disconnecting');
      this.channel?.close('malformed');
      return;
    }
    switch (msg.type) {
      case 'welcome':
        if (!msg.body.accepted) {
          this.emit({ event: 'refused', reason: msg.body.reason });
          return;
        }
        this.welcomed = true;
        this.emit({ event: 'connected' });
        this.sendStatus();
        this.scheduleContribution();
        this.timers.push(setInterval(() => this.sendStatus(), this.options.statusEveryMs ?? 2000));
        return;
      case 'store-share':
        if (this.options.faults?.ignoreStore === true) return;
        this.shares.set(`${msg.body.keyId}@${msg.body.epoch}`, msg.body.wrapped);
        void this.persist().then(() => {
          this.sendSigned('stored', { requestId: msg.body.requestId, keyId: msg.body.keyId, epoch: msg.body.epoch });
          this.emit({ event: 'stored', keyId: msg.body.keyId, epoch: msg.body.epoch });
        });
        return;
      case 'get-share': {
        let wrapped = this.shares.get(`${msg.body.keyId}@${msg.body.epoch}`) ?? '';
        if (this.options.faults?.corruptShares === true && wrapped.length > 0) {
          const b = Buffer.from(wrapped, 'hex');
          b[b.length >> 1] = (b[b.length >> 1] as number) ^ 1;
          wrapped = b.toString('hex');
        }
        const reply = (): void =>
          this.sendSigned('share', { requestId: msg.body.requestId, keyId: msg.body.keyId, epoch: msg.body.epoch, wrapped });
        const delay = this.options.faults?.replyDelayMs ?? 0;
        const send = (): void => {
          reply();
          if (this.options.faults?.duplicateReplies === true) reply();
        };
        if (delay > 0) this.timers.push(setTimeout(send, delay));
        else send();
        return;
      }
      case 'drop-shares': {
        const dropped: number[] = [];
        for (const k of [...this.shares.keys()]) {
          const at = k.lastIndexOf('@');
          if (k.slice(0, at) === msg.body.keyId && Number(k.slice(at + 1)) !== msg.body.keepEpoch) {
            this.shares.delete(k);
            dropped.push(Number(k.slice(at + 1)));
          }
        }
        if (dropped.length > 0) {
          void this.persist();
          this.emit({ event: 'dropped', keyId: msg.body.keyId, epochs: dropped });
        }
        return;
      }
    }
  }

  private persist(): Promise<void> {
    const file = this.options.stateFile;
    if (file === undefined) return Promise.resolve();
    const snapshot = JSON.stringify(Object.fromEntries(this.shares));
    this.saving = this.saving
      .then(() => writeFileAtomic(file, new TextEncoder().encode(snapshot)))
      .catch((err: unknown) => {
        this.log.error({ err: (err as Error).message }, 'could not persist shares');
      });
    return this.saving;
  }

  private scheduleContribution(): void {
    if (this.stopped || !this.welcomed) return;
    const u = (this.options.rng.randomBytes(1)[0] as number) / 256;
    const delay = Math.round((this.options.intervalMs ?? 1000) * (0.5 + u));
    this.timers.push(
      setTimeout(() => {
        this.contribute();
        this.scheduleContribution();
      }, delay),
    );
  }

  /** One draw from the pool; nothing is sent when the pool refuses. */
  contribute(): void {
    let material: Uint8Array | undefined;
    try {
      material = this.options.pool.draw(CONTRIBUTION_BYTES).material;
      this.health = { state: 'healthy', reason: 'pool healthy' };
    } catch (err) {
      const reason = `contributing nothing: ${(err as Error).message}`;
      const changed = this.health.state !== 'unhealthy' || this.health.reason !== reason;
      this.health = { state: 'unhealthy', reason };
      if (changed) {
        this.emit({ event: 'unhealthy', reason });
        this.sendStatus();
      }
      return;
    }
    try {
      this.seq++;
      this.sendSigned('contribution', { seq: this.seq, material: hex(material) });
      this.emit({ event: 'contributed', seq: this.seq });
    } finally {
      material.fill(0);
    }
  }

  private sendStatus(): void {
    if (!this.welcomed) return;
    const claim = this.options.faults?.claim;
    this.seq++;
    this.sendSigned('status', {
      seq: this.seq,
      region: claim?.region ?? this.options.region,
      battery: claim?.battery ?? this.options.battery?.() ?? -1,
      health: claim?.health ?? this.health.state,
      reason: this.health.reason,
      sources: this.options.pool
        .status()
        .map((s) => ({ id: s.id, state: s.state, creditBitsPerKiB: Math.round(s.creditBitsPerByte * 1024) })),
      software: AGENT_SOFTWARE,
      holding: this.holding(),
    });
  }

  private clearTimers(): void {
    for (const t of this.timers.splice(0)) clearTimeout(t);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.clearTimers();
    this.channel?.close('stopped');
    await this.saving;
  }
}
