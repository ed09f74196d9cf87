/**
 * The discrete-event simulator: one virtual clock (milliseconds), one agenda, one thread. An event runs
 * to completion — its promise, if it returns one, is awaited — before the next is taken, so async node
 * code (the signing guard awaits its store) stays deterministic: nothing real is ever raced.
 * TigerBeetle's VOPR model: the world is a pure function of (seed, scenario, code).
 */
import { EventQueue, type QueuedEvent } from './event-queue.js';
import { Trace } from './trace.js';

export interface TimerHandle {
  cancel(): void;
}

export class Simulator {
  readonly trace: Trace;
  readonly #queue = new EventQueue();
  #now = 0;
  #steps = 0;

  constructor(opts: { readonly keepTrace?: number } = {}) {
    this.trace = new Trace(opts.keepTrace ?? 0);
  }

  /** Virtual milliseconds since the start of the run. */
  get now(): number {
    return this.#now;
  }

  get steps(): number {
    return this.#steps;
  }

  /** Runs `fn` `delay` virtual milliseconds from now (≥ 0). */
  after(delay: number, fn: () => void | Promise<void>): TimerHandle {
    const event: QueuedEvent = this.#queue.push(this.#now + Math.max(0, delay), fn);
    return {
      cancel: () => {
        event.cancelled = true;
      },
    };
  }

  at(time: number, fn: () => void | Promise<void>): TimerHandle {
    return this.after(time - this.#now, fn);
  }

  /** Runs events until virtual time `until`, `maxSteps` events, or an empty agenda; true if time ran out. */
  async run(until: number, maxSteps = Number.MAX_SAFE_INTEGER): Promise<boolean> {
    for (;;) {
      const next = this.#queue.peek();
      if (next === undefined) return false;
      if (next.at > until || this.#steps >= maxSteps) {
        this.#now = Math.max(this.#now, Math.min(until, next.at));
        return true;
      }
      this.#queue.pop();
      if (next.cancelled) continue;
      this.#now = next.at;
      this.#steps++;
      const r = next.run();
      if (r !== undefined) await r;
    }
  }
}
