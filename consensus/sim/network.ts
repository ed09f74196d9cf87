/**
 * The simulated network: one-way links between node slots with their own latency distribution, loss,
 * duplication and reordering (a reordered packet takes an extra random delay, so later packets overtake
 * it), partitions that form and heal at given times, and a global stabilisation time (GST) after which
 * every link delivers every packet within `delta` (partial synchrony, Dwork–Lynch–Stockmeyer 1988).
 * Partitions still hold after GST until they heal: liveness is owed from max(GST, last heal).
 *
 * Not modelled: bandwidth, message size, link capacity, byte-level corruption (our messages are signed;
 * corruption is loss to them).
 */
import type { SimRandom } from './random.js';

export type LatencyDistribution =
  | { readonly kind: 'fixed'; readonly ms: number }
  | { readonly kind: 'uniform'; readonly minMs: number; readonly maxMs: number }
  | { readonly kind: 'exponential'; readonly minMs: number; readonly meanMs: number };

export interface LinkProfile {
  readonly latency: LatencyDistribution;
  /** Probability a packet is dropped (before GST). */
  readonly loss: number;
  /** Probability a packet is delivered twice. */
  readonly duplicate: number;
  /** Probability a packet is held back by up to `reorderMs`. */
  readonly reorder: number;
  readonly reorderMs: number;
}

export interface Partition {
  /** Virtual time the partition forms and heals. */
  readonly fromMs: number;
  readonly toMs: number;
  /**
   * Groups of node slots; a packet passes only between two slots of one group. Groups may overlap (a
   * Byzantine node talking to both sides); a slot in no group is isolated.
   */
  readonly groups: readonly (readonly number[])[];
}

export interface NetworkOptions {
  readonly link: LinkProfile;
  /** Per ordered link "from>to" overrides. */
  readonly links?: Readonly<Record<string, LinkProfile>>;
  readonly gstMs: number;
  /** After GST every packet arrives within this many ms. */
  readonly deltaMs: number;
  readonly partitions?: readonly Partition[];
}

export const QUIET_LINK: LinkProfile = {
  latency: { kind: 'uniform', minMs: 5, maxMs: 20 },
  loss: 0,
  duplicate: 0,
  reorder: 0,
  reorderMs: 0,
};

export interface NetworkStats {
  sent: number;
  delivered: number;
  dropped: number;
  duplicated: number;
  partitioned: number;
}

export class SimNetwork {
  readonly options: NetworkOptions;
  readonly stats: NetworkStats = { sent: 0, delivered: 0, dropped: 0, duplicated: 0, partitioned: 0 };
  readonly #random: SimRandom;
  /** Cut links installed by scenario code (e.g. a Byzantine strategy's "only tell these"), keyed "from>to". */
  readonly #cut = new Set<string>();

  constructor(options: NetworkOptions, random: SimRandom) {
    this.options = options;
    this.#random = random;
  }

  /** The time a partition in force at `t` heals, or 0 when none is. */
  lastHeal(): number {
    let last = 0;
    for (const p of this.options.partitions ?? []) last = Math.max(last, p.toMs);
    return last;
  }

  cut(from: number, to: number, on: boolean): void {
    if (on) this.#cut.add(`${from}>${to}`);
    else this.#cut.delete(`${from}>${to}`);
  }

  #separated(from: number, to: number, now: number): boolean {
    if (this.#cut.size > 0 && this.#cut.has(`${from}>${to}`)) return true;
    for (const p of this.options.partitions ?? []) {
      if (now < p.fromMs || now >= p.toMs) continue;
      if (!p.groups.some((g) => g.includes(from) && g.includes(to))) return true;
    }
    return false;
  }

  #latency(d: LatencyDistribution): number {
    switch (d.kind) {
      case 'fixed':
        return d.ms;
      case 'uniform':
        return this.#random.int(d.minMs, d.maxMs);
      case 'exponential':
        return d.minMs + Math.round(this.#random.exponential(Math.max(0, d.meanMs - d.minMs)));
    }
  }

  /** The delays (ms from now) at which a packet sent now from `from` to `to` arrives: [] lost, [a, b] duplicated. */
  route(from: number, to: number, now: number): number[] {
    this.stats.sent++;
    if (from === to) return [0];
    if (this.#separated(from, to, now)) {
      this.stats.partitioned++;
      return [];
    }
    const o = this.options;
    const link = o.links?.[`${from}>${to}`] ?? o.link;
    const synchronous = now >= o.gstMs;
    if (!synchronous && this.#random.chance(link.loss)) {
      this.stats.dropped++;
      return [];
    }
    const one = (): number => {
      let d = this.#latency(link.latency);
      if (link.reorder > 0 && this.#random.chance(link.reorder)) d += this.#random.int(0, link.reorderMs);
      return synchronous ? Math.min(d, o.deltaMs) : d;
    };
    const first = one();
    if (link.duplicate > 0 && this.#random.chance(link.duplicate)) {
      this.stats.duplicated++;
      return [first, one()];
    }
    return [first];
  }
}
