/**
 * The conditioning pool (DESIGN.md "The data's way through it"; SP 800-90B §3.1.5 conditioning).
 *
 *   d_i  = SHA3-512(label_i ‖ counter ‖ sample_i)        label_i = lp("hrng/pool/v1/source") ‖ lp(id)
 *   x    = d_1 ⊕ … ⊕ d_n                                 over every source read in this draw
 *   seed = Hash_df_SHA3-512(lp("hrng/pool/v1/seed") ‖ counter ‖ x, 8·outputBytes)
 *
 * lp(s) is s prefixed with its 32-bit big-endian length; counter is this pool's 64-bit big-endian draw
 * counter, so no two draws hash the same input. Hashing each contribution under its own label before the
 * XOR means a source that sees every other contribution still needs a SHA3-512 preimage to cancel or steer
 * them; the XOR keeps the mix independent of the order sources are read in. The final step is Hash_df
 * (SP 800-90A §10.3.1) over SHA3-512, which SP 800-90B §3.1.5.1.1 lists as a vetted conditioning function
 * and which expands past 64 bytes by its own counter, so no separate expansion scheme is needed.
 *
 * Credit: each credited source is read until its own assessed credit covers the claim plus 64 bits
 * (the margin SP 800-90B §3.1.5.1.2 asks of a vetted conditioner for full-entropy output). Credits are
 * not summed across sources: the claim holds if any one credited source lives up to its assessment, even
 * when the others are broken in ways health tests cannot see. The policy's minimum number of credited
 * sources (default 2) is what buys that redundancy. Zero-credit sources (auxiliary) are mixed in but
 * never counted.
 *
 * Independence: sources that may rest on one noise source share a dependency group (EntropySource.group),
 * and a draw counts at most one credited source per group toward `minSources`. The kernel mixes RDSEED
 * and RDRAND into its own generator, so `os` and `rdseed` are one group (`cpu`): with the built-in sources
 * the second vote must come from jitter or an HSM (docs/entropy.md, "Independence").
 */
import { sha3_512 } from '@noble/hashes/sha3.js';
import { systemClock, type Clock } from '../clock.js';
import { MonitoredSource, type SourceEvent, type SourceStatus } from './health/monitored-source.js';
import { CryptoError, InsufficientEntropyError } from '../errors.js';
import type { EntropySource, EntropySourceKind } from './source.js';

export interface PoolPolicy {
  /** Bits of min-entropy each draw claims; each credited source alone covers this plus 64. 256..448. */
  readonly minCreditedBits: number;
  /** Healthy credited sources from distinct dependency groups every draw needs. ≥ 1. */
  readonly minSources: number;
  /** log2 of the intermittent false-alarm probability α; the permanent level is α². */
  readonly alphaLog2: number;
  /** How long a quarantined source waits before a re-admission start-up test is tried. */
  readonly readmitAfterMs: number;
}

export const DEFAULT_POOL_POLICY: PoolPolicy = Object.freeze({
  minCreditedBits: 384,
  minSources: 2,
  alphaLog2: -30,
  readmitAfterMs: 60_000,
});

/** The SP 800-90B §3.1.5.1.2 margin: input entropy ≥ output bits + 64 for full-entropy output. */
export const CONDITIONING_MARGIN_BITS = 64;
/** What a SHA3-512 contribution digest can carry, and so the most one source can be credited per draw. */
export const MAX_SOURCE_CREDIT_BITS = 512;
/** Bytes read from a zero-credit source: enough to carry whatever it has, no claim made. */
export const ZERO_CREDIT_READ_BYTES = 64;

export interface Contribution {
  readonly id: string;
  readonly kind: EntropySourceKind;
  /** The source's dependency group. */
  readonly group: string;
  /** Bytes (conditioned) or samples (raw) read and mixed in. */
  readonly bytesRead: number;
  /** Bits credited for this source alone: bytesRead × credit, capped at 512. */
  readonly creditedBits: number;
}

export interface PoolDraw {
  /** The conditioned output; the caller owns it and must zero it after use. */
  readonly material: Uint8Array;
  /** This pool's draw counter for the draw (1 for the first). */
  readonly counter: bigint;
  /** Bits of min-entropy claimed for `material` (the policy's minCreditedBits). */
  readonly claimedBits: number;
  /** Every source mixed into this draw, credited or not. */
  readonly contributions: readonly Contribution[];
}

export interface PoolOptions {
  readonly sources: readonly EntropySource[];
  readonly policy?: Partial<PoolPolicy>;
  readonly clock?: Clock;
  readonly onEvent?: (event: SourceEvent) => void;
}

const encoder = new TextEncoder();

function lengthPrefixed(text: string): Uint8Array {
  const body = encoder.encode(text);
  const out = new Uint8Array(4 + body.length);
  new DataView(out.buffer).setUint32(0, body.length, false);
  out.set(body, 4);
  return out;
}

function counterBytes(counter: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, counter, false);
  return out;
}

const SEED_LABEL = lengthPrefixed('hrng/pool/v1/seed');

/** The per-source domain label: lp("hrng/pool/v1/source") ‖ lp(id). */
export function contributionLabel(id: string): Uint8Array {
  const a = lengthPrefixed('hrng/pool/v1/source');
  const b = lengthPrefixed(id);
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** d_i = SHA3-512(label_i ‖ counter ‖ sample_i). */
export function contributionDigest(id: string, counter: bigint, sample: Uint8Array): Uint8Array {
  return sha3_512.create().update(contributionLabel(id)).update(counterBytes(counter)).update(sample).digest();
}

/**
 * SP 800-90A §10.3.1 Hash_df over SHA3-512: Hash(i ‖ no_of_bits ‖ input) for i = 1, 2, … (8-bit i,
 * 32-bit big-endian bit count), concatenated and truncated to `bytes`.
 */
export function hashDf(input: readonly Uint8Array[], bytes: number): Uint8Array {
  if (!Number.isInteger(bytes) || bytes < 1 || bytes > 255 * 64)
    throw new CryptoError('CRYPTO_INVALID_ARGUMENT', `Hash_df output must be 1..${255 * 64} bytes, got ${bytes}`);
  const out = new Uint8Array(bytes);
  const header = new Uint8Array(5);
  new DataView(header.buffer).setUint32(1, bytes * 8, false);
  for (let i = 1, at = 0; at < bytes; i++, at += 64) {
    header[0] = i;
    const h = sha3_512.create().update(header);
    for (const part of input) h.update(part);
    const block = h.digest();
    out.set(block.subarray(0, Math.min(64, bytes - at)), at);
    block.fill(0);
  }
  return out;
}

function checkPolicy(p: PoolPolicy): void {
  if (
    !Number.isInteger(p.minCreditedBits) ||
    p.minCreditedBits < 256 ||
    p.minCreditedBits + CONDITIONING_MARGIN_BITS > MAX_SOURCE_CREDIT_BITS
  ) {
    throw new CryptoError(
      'CRYPTO_INVALID_ARGUMENT',
      `policy.minCreditedBits must be an integer in 256..${MAX_SOURCE_CREDIT_BITS - CONDITIONING_MARGIN_BITS}, got ${p.minCreditedBits}`,
    );
  }
  if (!Number.isInteger(p.minSources) || p.minSources < 1)
    throw new CryptoError('CRYPTO_INVALID_ARGUMENT', `policy.minSources must be an integer ≥ 1, got ${p.minSources}`);
  if (!Number.isInteger(p.alphaLog2) || p.alphaLog2 > -20 || p.alphaLog2 < -64) {
    throw new CryptoError('CRYPTO_INVALID_ARGUMENT', `policy.alphaLog2 must be an integer in -64..-20, got ${p.alphaLog2}`);
  }
  if (!(p.readmitAfterMs >= 0))
    throw new CryptoError('CRYPTO_INVALID_ARGUMENT', `policy.readmitAfterMs must be ≥ 0, got ${p.readmitAfterMs}`);
}

export class EntropyPool {
  readonly policy: PoolPolicy;
  private readonly monitored: readonly MonitoredSource[];
  private counter = 0n;

  constructor(options: PoolOptions) {
    this.policy = Object.freeze({ ...DEFAULT_POOL_POLICY, ...options.policy });
    checkPolicy(this.policy);
    const ids = new Set<string>();
    for (const s of options.sources) {
      if (ids.has(s.id)) throw new CryptoError('CRYPTO_INVALID_ARGUMENT', `two entropy sources share the id '${s.id}'`);
      ids.add(s.id);
    }
    const clock = options.clock ?? systemClock;
    const monitorOptions = { alphaLog2: this.policy.alphaLog2, clock, ...(options.onEvent ? { onEvent: options.onEvent } : {}) };
    this.monitored = options.sources.map((s) => new MonitoredSource(s, monitorOptions));
  }

  get sources(): readonly MonitoredSource[] {
    return this.monitored;
  }

  /** Start-up tests (SP 800-90B §4.3) on every available source not yet admitted. */
  startup(): void {
    for (const m of this.monitored) {
      if (m.refreshAvailability() && m.state !== 'healthy') m.runStartup();
    }
  }

  status(): SourceStatus[] {
    return this.monitored.map((m) => m.status());
  }

  /** Bytes to read from a source so that its own credit covers the claim plus the conditioning margin. */
  readBytesFor(source: Pick<EntropySource, 'creditBitsPerByte'>): number {
    if (!(source.creditBitsPerByte > 0)) return ZERO_CREDIT_READ_BYTES;
    return Math.ceil((this.policy.minCreditedBits + CONDITIONING_MARGIN_BITS) / source.creditBitsPerByte);
  }

  /**
   * One draw of `outputBytes` bytes of conditioned seed material, or InsufficientEntropyError. Tries to
   * re-admit quarantined sources whose wait is over, and admits sources that became available.
   */
  draw(outputBytes: number): PoolDraw {
    if (!Number.isInteger(outputBytes) || outputBytes < 1 || outputBytes > 255 * 64) {
      throw new CryptoError('CRYPTO_INVALID_ARGUMENT', `pool output must be 1..${255 * 64} bytes, got ${outputBytes}`);
    }
    if (outputBytes * 8 < this.policy.minCreditedBits) {
      throw new CryptoError(
        'CRYPTO_INVALID_ARGUMENT',
        `a ${outputBytes}-byte output cannot carry the ${this.policy.minCreditedBits} bits the policy claims`,
      );
    }
    this.readmitDue();
    this.counter += 1n;
    const counter = this.counter;
    const x = new Uint8Array(64);
    const contributions: Contribution[] = [];
    const creditedGroups = new Set<string>();
    try {
      for (const m of this.monitored) {
        if (m.state !== 'healthy' || !m.refreshAvailability()) continue;
        const bytes = this.readBytesFor(m);
        const sample = m.readTested(bytes);
        if (sample === undefined) continue;
        const d = contributionDigest(m.id, counter, sample);
        sample.fill(0);
        for (let i = 0; i < 64; i++) x[i] = (x[i] ?? 0) ^ (d[i] ?? 0);
        d.fill(0);
        const bits = Math.min(MAX_SOURCE_CREDIT_BITS, Math.floor(bytes * m.creditBitsPerByte));
        if (bits > 0) creditedGroups.add(m.group);
        contributions.push({ id: m.id, kind: m.kind, group: m.group, bytesRead: bytes, creditedBits: bits });
      }
      if (creditedGroups.size < this.policy.minSources) {
        throw insufficientEntropy(creditedGroups.size, this.policy, this.status());
      }
      const material = hashDf([SEED_LABEL, counterBytes(counter), x], outputBytes);
      return { material, counter, claimedBits: this.policy.minCreditedBits, contributions };
    } finally {
      x.fill(0);
    }
  }

  private readmitDue(): void {
    for (const m of this.monitored) {
      if (!m.refreshAvailability()) continue;
      if (m.state === 'untested') m.runStartup();
      else if (m.state === 'quarantined' && (m.quarantinedForMs() ?? 0) >= this.policy.readmitAfterMs) m.runStartup();
    }
  }

  /** Re-admission attempt for every quarantined source now, whatever its wait (used by an explicit reseed). */
  readmitAll(): void {
    for (const m of this.monitored) {
      if (m.refreshAvailability() && m.state !== 'healthy') m.runStartup();
    }
  }
}

function describeSource(s: SourceStatus): string {
  const parts = [
    `${s.id}: ${s.available ? 'available' : `unavailable${s.unavailableReason ? ` (${s.unavailableReason})` : ''}`}`,
    s.state,
    `credit ${s.creditBitsPerByte} bits/${s.kind === 'raw' ? 'sample' : 'byte'}`,
  ];
  if (s.lastFailure) {
    const f = s.lastFailure;
    parts.push(
      f.test === 'read-error'
        ? `last failure: read error${f.detail ? ` ${f.detail}` : ''}`
        : `last failure: ${f.test} ${f.level} (observed ${f.observed}, cutoff ${f.cutoff})`,
    );
  }
  return parts.join(', ');
}

/** The pool's refusal, naming each source's state so an operator can see which one to fix; never sample bytes. */
function insufficientEntropy(
  credited: number,
  policy: PoolPolicy,
  sources: readonly SourceStatus[],
): InsufficientEntropyError<SourceStatus> {
  const states = sources.map(describeSource).join('; ');
  return new InsufficientEntropyError<SourceStatus>(
    `only ${credited} healthy credited source group(s) could each deliver ${policy.minCreditedBits} bits, the policy needs ${policy.minSources}: ${states || 'no sources'}`,
    { sources, creditedSources: credited, requiredSources: policy.minSources },
  );
}
