/**
 * The world: slots running nodes over the simulated network, and the node faults — crash (power loss:
 * each disk keeps what was durable), restart, pause (a stalled VM: events wait and then arrive together),
 * clock skew and drift. Everything it does is folded into the trace.
 */
import { ConsensusError } from '../errors.js';
import { SimDisk } from './disk.js';
import { SimNetwork, type NetworkOptions } from './network.js';
import type { BootInfo, MessageLabel, NodeContext, NodeFactory, SimNode } from './node.js';
import type { SimRandom } from './random.js';
import { Simulator, type TimerHandle } from './simulator.js';

export interface SlotSpec {
  readonly identity: number;
  /** Boots late (a node joining and syncing). */
  readonly startAtMs?: number;
  /** Slots naming the same group share one signer disk (Twins with one guard state). */
  readonly signerDiskGroup?: string;
}

export interface WorldOptions<M> {
  readonly slots: readonly SlotSpec[];
  /** Validators (identities 0..validators-1) as nodes see them. */
  readonly validators: number;
  /** All identities, observers included (≥ validators). */
  readonly identities?: number;
  readonly network: NetworkOptions;
  readonly factory: NodeFactory<M>;
  readonly label: MessageLabel<M>;
  readonly random: SimRandom;
  readonly keepTrace?: number;
}

export interface ClockSkew {
  readonly offsetMs: number;
  /** Rate error: 0.01 runs the local clock 1 % fast. */
  readonly drift: number;
}

interface Slot<M> {
  readonly spec: SlotSpec;
  readonly index: number;
  readonly disk: SimDisk;
  readonly signerDisk: SimDisk;
  readonly random: SimRandom;
  node: SimNode<M> | undefined;
  incarnation: number;
  up: boolean;
  pausedUntil: number;
  skew: ClockSkew;
  timers: Map<string, TimerHandle>;
}

export class World<M> {
  readonly sim: Simulator;
  readonly network: SimNetwork;
  readonly #opts: WorldOptions<M>;
  readonly #slots: Slot<M>[] = [];
  /** Slots per identity. */
  readonly #holders: number[][] = [];
  crashes = 0;

  constructor(opts: WorldOptions<M>) {
    this.#opts = opts;
    this.sim = new Simulator({ keepTrace: opts.keepTrace ?? 0 });
    this.network = new SimNetwork(opts.network, opts.random.fork('network'));
    const signerDisks = new Map<string, SimDisk>();
    for (let v = 0; v < (opts.identities ?? opts.validators); v++) this.#holders.push([]);
    opts.slots.forEach((spec, index) => {
      const group = spec.signerDiskGroup ?? `slot-${index}`;
      const signerDisk = signerDisks.get(group) ?? new SimDisk(`signer-${group}`);
      signerDisks.set(group, signerDisk);
      this.#slots.push({
        spec,
        index,
        disk: new SimDisk(`node-${index}`),
        signerDisk,
        random: opts.random.fork(`slot-${index}`),
        node: undefined,
        incarnation: 0,
        up: false,
        pausedUntil: 0,
        skew: { offsetMs: 0, drift: 0 },
        timers: new Map(),
      });
      this.#holders[spec.identity]?.push(index);
    });
  }

  get slotCount(): number {
    return this.#slots.length;
  }

  identityOf(slot: number): number {
    return this.#slot(slot).spec.identity;
  }

  signerDisk(slot: number): SimDisk {
    return this.#slot(slot).signerDisk;
  }

  nodeDisk(slot: number): SimDisk {
    return this.#slot(slot).disk;
  }

  isUp(slot: number): boolean {
    return this.#slot(slot).up;
  }

  node(slot: number): SimNode<M> | undefined {
    const s = this.#slot(slot);
    return s.up ? s.node : undefined;
  }

  #slot(i: number): Slot<M> {
    const s = this.#slots[i];
    if (s === undefined) throw new ConsensusError('CONSENSUS_INVALID_ARGUMENT', `no slot ${i}`);
    return s;
  }

  /** Starts every slot at time 0. */
  start(): void {
    for (const s of this.#slots) this.sim.after(s.spec.startAtMs ?? 0, () => this.#boot(s, false));
  }

  async #boot(s: Slot<M>, restart: boolean): Promise<void> {
    s.incarnation++;
    s.up = true;
    const boot: BootInfo = { restart, incarnation: s.incarnation };
    const ctx = this.#context(s, s.incarnation);
    this.sim.trace.add(`${this.sim.now} boot ${s.index} ${s.incarnation}`);
    s.node = await this.#opts.factory(ctx, boot);
    if (this.#alive(s, boot.incarnation)) await s.node.start();
  }

  #alive(s: Slot<M>, incarnation: number): boolean {
    return s.up && s.incarnation === incarnation;
  }

  #context(s: Slot<M>, incarnation: number): NodeContext<M> {
    const world = this;
    const sim = this.sim;
    return {
      slot: s.index,
      identity: s.spec.identity,
      validators: this.#opts.validators,
      now: () => Math.floor(sim.now * (1 + s.skew.drift) + s.skew.offsetMs),
      send(to: number, message: M): void {
        if (!world.#alive(s, incarnation)) return;
        for (const slot of world.#holders[to] ?? []) world.#transmit(s.index, slot, message);
      },
      broadcast(message: M): void {
        if (!world.#alive(s, incarnation)) return;
        for (let slot = 0; slot < world.#slots.length; slot++) world.#transmit(s.index, slot, message);
      },
      setTimer(name: string, delayMs: number): void {
        if (!world.#alive(s, incarnation)) return;
        s.timers.get(name)?.cancel();
        const real = Math.max(0, Math.ceil(delayMs / (1 + s.skew.drift)));
        s.timers.set(
          name,
          sim.after(real, () => world.#fire(s, incarnation, name)),
        );
      },
      cancelTimer(name: string): void {
        s.timers.get(name)?.cancel();
        s.timers.delete(name);
      },
      disk: s.disk,
      random: s.random,
      trace: (line: string) => {
        if (world.#alive(s, incarnation)) sim.trace.add(`${sim.now} ${s.index} ${line}`);
      },
    };
  }

  #transmit(from: number, to: number, message: M): void {
    const delays = this.network.route(from, to, this.sim.now);
    for (const d of delays) {
      this.sim.after(d, () => this.#deliver(from, to, message));
    }
  }

  async #deliver(from: number, to: number, message: M): Promise<void> {
    const s = this.#slot(to);
    if (!s.up || s.node === undefined) return;
    if (s.pausedUntil > this.sim.now) {
      this.sim.at(s.pausedUntil, () => this.#deliver(from, to, message));
      return;
    }
    this.network.stats.delivered++;
    this.sim.trace.add(`${this.sim.now} d ${from}>${to} ${this.#opts.label(message)}`);
    await s.node.onMessage(this.identityOf(from), message);
  }

  async #fire(s: Slot<M>, incarnation: number, name: string): Promise<void> {
    if (!this.#alive(s, incarnation) || s.node === undefined) return;
    if (s.pausedUntil > this.sim.now) {
      this.sim.at(s.pausedUntil, () => this.#fire(s, incarnation, name));
      return;
    }
    s.timers.delete(name);
    this.sim.trace.add(`${this.sim.now} t ${s.index} ${name}`);
    await s.node.onTimer(name);
  }

  /**
   * Power loss now: the node object is gone, its timers and in-flight work void, each disk keeps what
   * was durable (see SimDisk.crash). `wipe` loses a disk entirely (amnesia).
   */
  crash(
    slot: number,
    opts: {
      readonly writebackMs?: number;
      readonly tear?: (name: string, length: number) => number | undefined;
      readonly wipeNodeDisk?: boolean;
      readonly wipeSignerDisk?: boolean;
    } = {},
  ): void {
    const s = this.#slot(slot);
    if (!s.up) return;
    this.crashes++;
    s.up = false;
    s.node = undefined;
    for (const t of s.timers.values()) t.cancel();
    s.timers.clear();
    const crash = {
      now: this.sim.now,
      writebackMs: opts.writebackMs ?? Number.POSITIVE_INFINITY,
      ...(opts.tear ? { tear: opts.tear } : {}),
    };
    s.disk.crash(crash);
    // A twin sharing the signer disk is another process on the same machine: its page cache survives.
    const shared = this.#slots.some((o) => o !== s && o.signerDisk === s.signerDisk && o.up);
    if (!shared) s.signerDisk.crash(crash);
    if (opts.wipeNodeDisk === true) s.disk.wipe();
    if (opts.wipeSignerDisk === true) s.signerDisk.wipe();
    this.sim.trace.add(`${this.sim.now} crash ${slot}${opts.wipeNodeDisk ? ' wipe-node' : ''}${opts.wipeSignerDisk ? ' wipe-signer' : ''}`);
  }

  restart(slot: number): void {
    const s = this.#slot(slot);
    if (s.up) return;
    this.sim.after(0, () => this.#boot(s, true));
  }

  /** Hands `message` to `slot` as if it came from identity `from` (a client, an attacker outside the set). */
  inject(slot: number, from: number, message: M): void {
    this.sim.after(0, async () => {
      const s = this.#slot(slot);
      if (!s.up || s.node === undefined) return;
      this.sim.trace.add(`${this.sim.now} i ${from}>${slot} ${this.#opts.label(message)}`);
      await s.node.onMessage(from, message);
    });
  }

  pause(slot: number, ms: number): void {
    const s = this.#slot(slot);
    s.pausedUntil = Math.max(s.pausedUntil, this.sim.now + ms);
    this.sim.trace.add(`${this.sim.now} pause ${slot} ${ms}`);
  }

  skew(slot: number, skew: ClockSkew): void {
    this.#slot(slot).skew = skew;
    this.sim.trace.add(`${this.sim.now} skew ${slot} ${skew.offsetMs} ${skew.drift}`);
  }
}
