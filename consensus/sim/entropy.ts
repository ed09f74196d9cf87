/**
 * A simulated validator's randomness: the same construction as `Rng` (SP 800-90B health tests on every
 * source read, SP 800-90A HMAC_DRBG seeded from the sources, reseeded by policy, fail closed), small
 * enough to snapshot — so the harness can restore two validators from one VM image and check the
 * clone-safety rule the hardening issue asks of `Rng`: **on restore, reseed from fresh entropy before
 * the first output**. The sources are simulated (drawn from the node's simulation stream) and can be
 * broken on schedule: stuck, biased, or — an HSM's C_GenerateRandom — returning one block over and over.
 *
 * The health tests are the project's own (crypto/entropy/health): RCT and APT (SP 800-90B §4.4.1,
 * §4.4.2) on raw sources, the stuck-block continuous test on conditioned ones. Any alarm fails the
 * generator for good: every later request throws RngFailedError, and the node must sign nothing.
 *
 * Small requests can be served, as `Rng` serves them (crypto/drbg/batch.ts), from a block that one DRBG
 * generate call fills (`batchBytes`): each slice is zeroed in the block as it leaves, and the block is
 * wiped on every failure and on a restore that reseeds. A VM snapshot holds the unserved rest of the
 * block too — so two restores that do not reseed hand out the same nonces, as real clones would.
 *
 * Swapping in CORE's snapshot API: `SimGenerator.snapshot()/restore()` stand for `Rng.snapshot()` /
 * `Rng.restore()`; only this file changes.
 */
import { HmacDrbg, RngFailedError, type RandomSource } from '../../crypto/index.js';
import { AdaptiveProportionTest, RepetitionCountTest, StuckBlockTest } from '../../crypto/entropy/index.js';
import type { SimRandom } from './random.js';

export type SourceFault = 'stuck' | 'biased' | 'repeated-blocks';

/** One simulated entropy source: raw noise (health-tested per sample) or conditioned (per block). */
export class SimEntropySource {
  readonly id: string;
  readonly kind: 'raw' | 'conditioned';
  readonly #random: SimRandom;
  #fault: SourceFault | undefined;
  #repeated: Uint8Array | undefined;

  constructor(id: string, kind: 'raw' | 'conditioned', random: SimRandom) {
    this.id = id;
    this.kind = kind;
    this.#random = random;
  }

  get fault(): SourceFault | undefined {
    return this.#fault;
  }

  /** From now on the source misbehaves. */
  breakWith(fault: SourceFault): void {
    this.#fault = fault;
  }

  read(length: number): Uint8Array {
    switch (this.#fault) {
      case undefined:
        return this.#random.bytes(length);
      case 'stuck':
        return new Uint8Array(length).fill(0x5a);
      case 'biased': {
        const out = this.#random.bytes(length);
        for (let i = 0; i < length; i++) if (((out[i] ?? 0) & 0x0f) !== 0) out[i] = 0;
        return out;
      }
      case 'repeated-blocks': {
        this.#repeated ??= this.#random.bytes(16);
        const out = new Uint8Array(length);
        for (let i = 0; i < length; i++) out[i] = this.#repeated[i % this.#repeated.length] ?? 0;
        return out;
      }
    }
  }
}

interface Health {
  rct?: RepetitionCountTest;
  apt?: AdaptiveProportionTest;
  block?: StuckBlockTest;
  /** The whole previous read, for conditioned sources: StuckBlockTest compares adjacent blocks only. */
  lastRead?: string;
}

/**
 * What a VM snapshot holds of the generator: enough to rebuild the DRBG's exact state — its
 * instantiation material and every generate (byte count) and reseed (material) since.
 */
export interface GeneratorSnapshot {
  readonly label: string;
  readonly seedMaterial: Uint8Array;
  readonly history: readonly (number | Uint8Array)[];
  /** The block's bytes not yet served (empty without a batch). */
  readonly unserved: Uint8Array;
}

export interface SimGeneratorOptions {
  readonly label: string;
  /** DRBG generate calls between reseeds (small, so a source that breaks is noticed within a few signatures). */
  readonly reseedEvery?: number;
  /**
   * Serve requests of at most this many bytes from a block one generate call fills (`Rng`'s batch);
   * 0 (the default): every request is its own generate call. A source that breaks is then noticed
   * within `reseedEvery × batchBytes` bytes served.
   */
  readonly batchBytes?: number;
  /** Skip the health tests (a mutation: a generator that trusts a broken source). */
  readonly skipHealthTests?: boolean;
  /** Called once when the generator fails. */
  readonly onFail?: (reason: string) => void;
}

const SEED_BYTES = 48;
const NONCE = new TextEncoder().encode('hrng/sim/generator/v1');

export class SimGenerator implements RandomSource {
  readonly deterministic = true;
  readonly #sources: readonly SimEntropySource[];
  readonly #health: Health[];
  readonly #opts: SimGeneratorOptions;
  #drbg: HmacDrbg | undefined;
  #seedMaterial: Uint8Array = new Uint8Array(0);
  #history: (number | Uint8Array)[] = [];
  #sinceSeed = 0;
  /** The batch: served from `#at` on; `#at === #block.length` when empty. */
  #block: Uint8Array = new Uint8Array(0);
  #at = 0;
  #failure: string | undefined;
  reseeds = 0;

  constructor(sources: readonly SimEntropySource[], opts: SimGeneratorOptions) {
    this.#sources = sources;
    this.#opts = opts;
    this.#health = sources.map((s) =>
      s.kind === 'raw'
        ? { rct: new RepetitionCountTest(7, -30), apt: new AdaptiveProportionTest(7, -30) }
        : { block: new StuckBlockTest(16) },
    );
  }

  /** Instantiates from the sources; a failed health test leaves the generator failed. */
  static create(sources: readonly SimEntropySource[], opts: SimGeneratorOptions): SimGenerator {
    const g = new SimGenerator(sources, opts);
    g.#seed();
    return g;
  }

  /**
   * A generator restored from a VM snapshot. With `reseed` (the clone-safety rule) it mixes fresh
   * entropy in before its first output; without, it replays the snapshot's stream exactly.
   */
  static restore(
    snapshot: GeneratorSnapshot,
    sources: readonly SimEntropySource[],
    opts: SimGeneratorOptions & { readonly reseed: boolean },
  ): SimGenerator {
    const g = new SimGenerator(sources, opts);
    g.#seedMaterial = snapshot.seedMaterial.slice();
    g.#drbg = new HmacDrbg({
      hash: 'sha256',
      entropy: g.#seedMaterial,
      nonce: NONCE,
      personalization: new TextEncoder().encode(snapshot.label),
    });
    for (const step of snapshot.history) {
      if (typeof step === 'number') {
        g.#drbg.generate(step);
        g.#sinceSeed++;
      } else {
        g.#drbg.reseed(step);
        g.#sinceSeed = 0;
      }
    }
    g.#history = snapshot.history.slice();
    g.#block = snapshot.unserved.slice();
    if (opts.reseed) {
      // The clone-safety rule: nothing of the image's state is served — neither its block nor its DRBG output.
      g.#wipe();
      g.#seed();
    }
    return g;
  }

  snapshot(): GeneratorSnapshot {
    return {
      label: this.#opts.label,
      seedMaterial: this.#seedMaterial.slice(),
      history: this.#history.slice(),
      unserved: this.#block.slice(this.#at),
    };
  }

  get failed(): boolean {
    return this.#failure !== undefined;
  }

  get failure(): string | undefined {
    return this.#failure;
  }

  #fail(reason: string): void {
    if (this.#failure !== undefined) return;
    this.#failure = reason;
    this.#wipe();
    this.#drbg?.destroy();
    this.#drbg = undefined;
    this.#opts.onFail?.(reason);
  }

  /** Reads and health-tests every source; (re)seeds the DRBG, or fails. */
  #seed(): void {
    const parts: Uint8Array[] = [];
    for (let i = 0; i < this.#sources.length; i++) {
      const source = this.#sources[i] as SimEntropySource;
      const bytes = source.read(SEED_BYTES);
      if (this.#opts.skipHealthTests !== true) {
        const h = this.#health[i] as Health;
        if (h.block !== undefined) {
          const alarm = h.block.feed(bytes);
          if (alarm !== undefined) return this.#fail(`${source.id}: ${alarm.test} ${alarm.level}`);
          // A source that hands back one buffer on every call passes an adjacent-block test when the
          // buffer is several blocks long; compare whole reads as well (FIPS 140-2 §4.9.2's unit is the read).
          const read = bytes.join(',');
          if (read === h.lastRead) return this.#fail(`${source.id}: repeated read`);
          h.lastRead = read;
        } else {
          for (const b of bytes) {
            const alarm = h.rct?.feed(b) ?? h.apt?.feed(b);
            if (alarm !== undefined) return this.#fail(`${source.id}: ${alarm.test} ${alarm.level}`);
          }
        }
      }
      parts.push(bytes);
    }
    const material = new Uint8Array(SEED_BYTES * parts.length);
    parts.forEach((p, i) => material.set(p, i * SEED_BYTES));
    if (this.#drbg === undefined) {
      this.#drbg = new HmacDrbg({
        hash: 'sha256',
        entropy: material,
        nonce: NONCE,
        personalization: new TextEncoder().encode(this.#opts.label),
      });
      this.#seedMaterial = material;
    } else {
      this.#drbg.reseed(material);
      this.#history.push(material);
      this.reseeds++;
    }
    this.#sinceSeed = 0;
  }

  #wipe(): void {
    this.#block.fill(0);
    this.#block = new Uint8Array(0);
    this.#at = 0;
  }

  /** One DRBG generate call of `length` bytes, reseeding first when the interval is used up. */
  #generate(length: number): Uint8Array {
    if (this.#sinceSeed >= (this.#opts.reseedEvery ?? 16)) this.#seed();
    if (this.#failure !== undefined || this.#drbg === undefined) throw new RngFailedError(this.#failure ?? 'not seeded');
    this.#sinceSeed++;
    this.#history.push(length);
    return this.#drbg.generate(length);
  }

  randomBytes(length: number): Uint8Array {
    if (this.#failure !== undefined || this.#drbg === undefined) throw new RngFailedError(this.#failure ?? 'not seeded');
    const batch = this.#opts.batchBytes ?? 0;
    if (length > batch) return this.#generate(length);
    if (this.#at + length > this.#block.length) {
      this.#wipe();
      this.#block = this.#generate(batch);
    }
    const out = this.#block.slice(this.#at, this.#at + length);
    this.#block.fill(0, this.#at, this.#at + length);
    this.#at += length;
    return out;
  }
}
