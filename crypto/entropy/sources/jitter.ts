/**
 * CPU timing jitter, in the manner of jitterentropy (S. Müller): the time a fixed memory-access
 * workload takes varies with cache, TLB, memory-controller, interrupt and frequency state that no
 * program — ours included — controls. Each sample is the low 8 bits of one such time delta, returned
 * raw (one sample per byte) so the SP 800-90B §4.4 health tests see every sample and the §6.3
 * estimators (../assessment/) can assess them. SP 800-90B §3.1.3: the credit is a stated constant
 * well below the assessed min-entropy — see docs/entropy.md, "Assessment of the jitter source".
 *
 * The workload is deliberately deterministic: a fixed number of read-modify-write accesses on a
 * pseudo-random walk (xorshift32, only to defeat the prefetcher) over a buffer of 8 × the per-core L2
 * cache (read from sysfs, clamped to 1–4 MiB; 4 MiB on the assessed machine), so every access misses
 * the core's own caches and lands in the shared last-level cache or DRAM, whose latency varies with the
 * other cores' traffic. The buffer was 32 MiB (DRAM-resident, ~4 bits/sample) until issue 10 asked for
 * ≤ 12 MiB of RSS per Rng: the smaller buffer assesses lower, and the credit was re-assessed for it.
 * No timing value feeds back into the loop count or the walk, so all the variation in a delta comes from
 * the machine, not from our own earlier samples (a timer-driven loop count would make the estimators
 * count the previous sample's entropy twice).
 *
 * Not supported: assessing another buffer size or access count — changing either invalidates the credit.
 */
import { EntropySourceError } from '../source.js';
import type { EntropySource } from '../source.js';
import { l2CacheBytes } from './cache.js';
import { checkReadRequest } from './request.js';

/**
 * H_I, the initial entropy estimate of this configuration (bits per sample; docs/entropy.md, "The
 * evidence" and "The restart test"): SP 800-90B §3.1.3's min(H_original, 8 × H_bitstring, H_submitter).
 * The §6.3 estimators assess the sequential data at 1.96; the restart test (§3.1.4) does not bear that out
 * under load — single restarts with one value 343–461 times in 1000 samples failed its sanity check at
 * 1.96 (NIST's ea_restart agrees: X_cutoff 322, X_max 343) — so the claim (H_submitter) is 1 bit, where
 * every restart matrix measured passes (X_cutoff 572) and NIST's §3.1.4.2 validation gives H_r, H_c ≥ 2.37.
 * The restart check's default H_I, and what the credit is derived from.
 */
export const JITTER_ASSESSED_BITS_PER_SAMPLE = 1;

/** The margin between the assessment and the credit (docs/entropy.md, "The credit"). */
export const JITTER_SAFETY_FACTOR = 8;

/** Min-entropy credited per raw sample (bits): the assessment divided by the safety factor, 1 / 8. */
export const JITTER_CREDIT_BITS_PER_SAMPLE = 0.125;

/** The buffer is this many times the per-core L2 cache… */
export const JITTER_L2_MULTIPLE = 8;
/** …clamped to this range (bytes); the fallback when the cache size cannot be read is the maximum. */
export const JITTER_MIN_BUFFER_BYTES = 1 << 20;
export const JITTER_MAX_BUFFER_BYTES = 4 << 20;

/** Read-modify-write accesses timed per sample: fixed (see the header for why it never varies). */
export const JITTER_ACCESSES_PER_SAMPLE = 16;

/** 4 KiB pages, in words: the stride that faults every page in once. */
const PAGE_WORDS = 1024;

/** Samples the availability check takes before the source is used at all. */
const PROBE_SAMPLES = 128;

/** The buffer size for a given L2 size: 8 × L2, a power of two, within 1–4 MiB. */
export function jitterBufferBytes(l2Bytes: number | undefined): number {
  if (l2Bytes === undefined || !(l2Bytes > 0)) return JITTER_MAX_BUFFER_BYTES;
  const wanted = 2 ** Math.ceil(Math.log2(l2Bytes * JITTER_L2_MULTIPLE));
  return Math.min(JITTER_MAX_BUFFER_BYTES, Math.max(JITTER_MIN_BUFFER_BYTES, wanted));
}

let sharedMemory: Uint32Array | undefined;

/** A buffer of `bytes`, every page faulted in up front so page faults do not fill the first samples. */
function allocateWorkspace(bytes: number): Uint32Array {
  const mem = new Uint32Array(bytes / 4);
  for (let i = 0; i < mem.length; i += PAGE_WORDS) mem[i] = i;
  return mem;
}

/**
 * One buffer per process, allocated on first use (constructing a source costs nothing) and shared by
 * every JitterSource: JavaScript runs them one at a time, and what matters is where the buffer lives.
 */
function sharedWorkspace(): Uint32Array {
  sharedMemory ??= allocateWorkspace(jitterBufferBytes(l2CacheBytes()));
  return sharedMemory;
}

export interface JitterSourceOptions {
  /**
   * The high-resolution timer in nanoseconds (default `process.hrtime.bigint`). Injectable so tests
   * can show that a coarse, stuck or backwards timer makes the source unavailable instead of weak.
   */
  readonly timer?: () => bigint;
  /**
   * `true`: this instance gets a freshly allocated buffer of its own instead of the process's shared
   * one — a restart of the noise source from its initial state, for the SP 800-90B §3.1.4 restart test
   * (`hrng probe jitter --restarts`). Costs a buffer per instance; never needed otherwise.
   */
  readonly freshWorkspace?: boolean;
}

export class JitterSource implements EntropySource {
  readonly id = 'jitter';
  readonly kind = 'raw' as const;
  readonly creditBitsPerByte = JITTER_CREDIT_BITS_PER_SAMPLE;
  private readonly timer: () => bigint;
  private readonly freshWorkspace: boolean;
  private memory: Uint32Array | undefined;
  private walk = 0x9e3779b9 | 0;
  private index = 0;
  private verdict: string | undefined;

  constructor(options: JitterSourceOptions = {}) {
    this.timer = options.timer ?? (() => process.hrtime.bigint());
    this.freshWorkspace = options.freshWorkspace === true;
  }

  available(): boolean {
    return this.probe() === undefined;
  }

  /** Why the source cannot be used here (a coarse, stuck or backwards timer), or undefined. */
  unavailableReason(): string | undefined {
    return this.probe();
  }

  read(bytes: number): Uint8Array {
    checkReadRequest(this.id, bytes);
    const verdict = this.probe();
    if (verdict !== undefined) throw new EntropySourceError('ENTROPY_SOURCE_UNAVAILABLE', this.id, verdict);
    const out = new Uint8Array(bytes);
    for (let i = 0; i < bytes; i++) {
      let delta: bigint;
      try {
        delta = this.measure();
      } catch (cause) {
        throw new EntropySourceError('ENTROPY_SOURCE_READ_FAILED', this.id, `timer failed at sample ${i} of ${bytes}`, { cause });
      }
      if (delta <= 0n) {
        throw new EntropySourceError(
          'ENTROPY_SOURCE_READ_FAILED',
          this.id,
          `timer did not advance across the workload (delta ${delta} ns at sample ${i} of ${bytes})`,
        );
      }
      out[i] = Number(delta & 0xffn);
    }
    return out;
  }

  /**
   * jitterentropy's init test, reduced to what a raw 8-bit sample needs: the timer advances across
   * every workload run, and the low byte of the delta is not constant. Anything subtler is the
   * health tests' job (start-up and continuous, SP 800-90B §4.3–4.4). Run once; the verdict is cached.
   */
  private probe(): string | undefined {
    if (this.verdict !== undefined) return this.verdict || undefined;
    let verdict = '';
    try {
      const seen = new Set<number>();
      for (let i = 0; i < PROBE_SAMPLES; i++) {
        const delta = this.measure();
        if (delta <= 0n) {
          verdict = `timer too coarse or not monotonic: delta ${delta} ns across the ${JITTER_ACCESSES_PER_SAMPLE}-access workload`;
          break;
        }
        seen.add(Number(delta & 0xffn));
      }
      if (verdict === '' && seen.size < 2) {
        verdict = `timer too coarse: the low 8 bits of ${PROBE_SAMPLES} deltas never varied`;
      }
    } catch (cause) {
      verdict = `workload or timer failed: ${cause instanceof Error ? cause.message : String(cause)}`;
    }
    this.verdict = verdict;
    return verdict || undefined;
  }

  /** One timed run of the workload, in timer units. */
  private measure(): bigint {
    const mem = this.workspace();
    const mask = mem.length - 1;
    let s = this.walk;
    let idx = this.index;
    const t0 = this.timer();
    for (let i = 0; i < JITTER_ACCESSES_PER_SAMPLE; i++) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      idx = (idx + (s >>> 0)) & mask;
      mem[idx] = ((mem[idx] ?? 0) + 1) | 0;
    }
    const t1 = this.timer();
    this.walk = s;
    this.index = idx;
    return t1 - t0;
  }

  private workspace(): Uint32Array {
    this.memory ??= this.freshWorkspace ? allocateWorkspace(jitterBufferBytes(l2CacheBytes())) : sharedWorkspace();
    return this.memory;
  }
}
