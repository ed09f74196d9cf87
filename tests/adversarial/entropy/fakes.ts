/**
 * Adversary sources for the health, pool and Rng tests: they inject stuck, biased, repeating, failing
 * and hostile data through the real EntropySource contract. They are the attackers under test, not
 * stand-ins for a production component. The honest ones are deterministic (SHAKE256 of a seed) so that
 * every run sees the same samples.
 */
import { shake256 } from '@noble/hashes/sha3.js';
import { EntropySourceError, type EntropySource, type EntropySourceKind } from '../../../crypto/entropy/source.js';

/** A deterministic uniform byte stream: SHAKE256(seed ‖ counter) blocks. */
export class UniformStream {
  private counter = 0;
  constructor(private readonly seed: string) {}
  next(bytes: number): Uint8Array {
    const out = shake256(new TextEncoder().encode(`${this.seed}/${this.counter++}`), { dkLen: bytes });
    return out;
  }
}

export interface FakeOptions {
  readonly id?: string;
  readonly kind?: EntropySourceKind;
  readonly credit?: number;
}

/** A source whose bytes come from a function of (request size, read index). */
export class ScriptedSource implements EntropySource {
  readonly id: string;
  readonly kind: EntropySourceKind;
  readonly creditBitsPerByte: number;
  isAvailable = true;
  reads = 0;
  bytesRead = 0;
  constructor(
    private readonly produce: (bytes: number, readIndex: number) => Uint8Array,
    options: FakeOptions = {},
  ) {
    this.id = options.id ?? 'fake';
    this.kind = options.kind ?? 'conditioned';
    this.creditBitsPerByte = options.credit ?? (this.kind === 'raw' ? 8 : 8);
  }
  available(): boolean {
    return this.isAvailable;
  }
  unavailableReason(): string {
    return 'unplugged by the test';
  }
  read(bytes: number): Uint8Array {
    if (!this.isAvailable) throw new EntropySourceError('ENTROPY_SOURCE_UNAVAILABLE', this.id, 'unplugged by the test');
    const out = this.produce(bytes, this.reads++);
    this.bytesRead += bytes;
    return out;
  }
}

/** An honest source: deterministic uniform bytes. */
export function uniformSource(options: FakeOptions = {}, seed = options.id ?? 'uniform'): ScriptedSource {
  const stream = new UniformStream(seed);
  return new ScriptedSource((n) => stream.next(n), options);
}

/** A stuck source: every sample is `value`. */
export function stuckSource(options: FakeOptions = {}, value = 0x5a): ScriptedSource {
  return new ScriptedSource((n) => new Uint8Array(n).fill(value), options);
}

/** A source that repeats `pattern` forever (no two equal samples in a row, so the RCT cannot see it). */
export function patternSource(pattern: readonly number[], options: FakeOptions = {}): ScriptedSource {
  let at = 0;
  return new ScriptedSource((n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = pattern[at++ % pattern.length] ?? 0;
    return out;
  }, options);
}

/** A biased source: each sample is `value` with probability `p`, otherwise uniform (deterministic draw). */
export function biasedSource(p: number, options: FakeOptions = {}, value = 0x00, seed = 'biased'): ScriptedSource {
  const stream = new UniformStream(seed);
  return new ScriptedSource((n) => {
    const coins = stream.next(2 * n);
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = (coins[2 * i] ?? 0) < p * 256 ? value : (coins[2 * i + 1] ?? 0);
    return out;
  }, options);
}

/** Healthy for `healthyReads` reads, then stuck for good. */
export function failsAfter(healthyReads: number, options: FakeOptions = {}): ScriptedSource {
  const stream = new UniformStream(`fails-after/${options.id ?? ''}`);
  return new ScriptedSource((n, i) => (i < healthyReads ? stream.next(n) : new Uint8Array(n).fill(7)), options);
}

/** A source whose reads throw, as a token that went away would. */
export function throwingSource(options: FakeOptions = {}): ScriptedSource {
  return new ScriptedSource(() => {
    throw new EntropySourceError('ENTROPY_SOURCE_READ_FAILED', options.id ?? 'fake', 'the device stopped answering');
  }, options);
}
