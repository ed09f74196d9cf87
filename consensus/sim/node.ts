/**
 * The node interface: what a platform implements to put its own protocol into the harness. A node is
 * event-driven — it is started, handed messages and timers, and nothing else — and keeps whatever must
 * survive a crash on its `disk` (and its signing history behind the guard, on the signer's own disk).
 * A crash discards the object; a restart calls the factory again with `restart: true`, and the new
 * object must rebuild itself from its disks. Handlers may be async (signing is); the simulator awaits
 * each to completion before the next event, so the run stays deterministic.
 *
 * Identities and slots: a slot is one running process; an identity is a validator (one key). Twins
 * (Bano et al., OPODIS 2021) are two slots with one identity: messages addressed to an identity reach
 * every slot that holds it.
 */
import type { SimDisk } from './disk.js';
import type { SimRandom } from './random.js';

export interface NodeContext<M> {
  /** This process. */
  readonly slot: number;
  /** The validator it runs as (twins share one). */
  readonly identity: number;
  /** Number of identities (validators). */
  readonly validators: number;
  /** The node's local clock in ms: virtual time under this node's skew and drift. */
  now(): number;
  /** To every slot holding identity `to` (itself included when it holds it). */
  send(to: number, message: M): void;
  /** To every other slot, and to this one. */
  broadcast(message: M): void;
  /** (Re)arms the timer `name` to fire `delayMs` of local time from now. */
  setTimer(name: string, delayMs: number): void;
  cancelTimer(name: string): void;
  /** The node's durable storage (protocol state). */
  readonly disk: SimDisk;
  /** A simulation stream of this node's own (not its entropy: that is the node's generator). */
  readonly random: SimRandom;
  /** A line for the trace (folded into the run's hash) and the failing run's printout. */
  trace(line: string): void;
}

export interface SimNode<M> {
  start(): void | Promise<void>;
  onMessage(from: number, message: M): void | Promise<void>;
  onTimer(name: string): void | Promise<void>;
}

export interface BootInfo {
  /** False at the first start; true after a crash. */
  readonly restart: boolean;
  readonly incarnation: number;
}

/** Builds a slot's node; called again, with a fresh context, after every crash. */
export type NodeFactory<M> = (ctx: NodeContext<M>, boot: BootInfo) => SimNode<M> | Promise<SimNode<M>>;

/** How the harness names a message in the trace (cheap: it runs for every delivery). */
export type MessageLabel<M> = (message: M) => string;
