/**
 * CPU timing jitter, in the manner of jitterentropy (S. Müller): the time a fixed memory-access
 * workload takes varies with cache, TLB, memory-controller, interrupt and frequency state that no
 * program — ours included — controls. Each sample is the low 8 bits of one such time delta, returned
 * raw (one sample per byte) so the SP 800-90B §4.4 health tests see every sample and the §6.3
 * estimators (../assessment/) can assess them. SP 800-90B §3.1.3: the credit is a stated constant
 * well below the assessed min-entropy — see docs/entropy.md, "Assessment of the jitter source".
 *
 * The workload is deliberately deterministic: a fixed number of read-modify-write accesses on a
 * pseudo-random walk (xorshift32, only to defeat the prefetcher) over a 32 MiB buffer — larger than
 * the L2 of any current core and as large as this machine's L3 — so most accesses go to DRAM, whose
 * latency (refresh, bank and row-buffer state, other cores' traffic) varies most; a buffer that stays
 * cache-resident measured markedly less entropy per sample (docs/entropy.md). No timing value feeds
 * back into the loop count or the walk, so all the variation in a delta comes from the machine, not
 * from our own earlier samples: a timer-driven loop count would make the estimators count the previous
 * sample's entropy twice (Fuchsia's review of jitterentropy's configuration turned pseudo-random
 * iteration counts off for the same reason).
 */
import { EntropySourceError } from '../source.js';
import type { EntropySource } from '../source.js';
import { checkReadRequest } from './request.js';

/**
 * Min-entropy credited per raw sample (bits). Assessed on this design with the SP 800-90B §6.3
 * estimators; the constant is the assessed H divided by a safety factor — see docs/entropy.md.
 */
export const JITTER_CREDIT_BITS_PER_SAMPLE = 0.5;

/** 32 MiB of 32-bit words (see the header). */
export const JITTER_MEMORY_WORDS = 1 << 23;

/** Read-modify-write accesses timed per sample: fixed (see the header for why it never varies). */
export const JITTER_ACCESSES_PER_SAMPLE = 16;

/** 4 KiB pages, in words: the stride that faults every page in once. */
const PAGE_WORDS = 1024;

/** Samples the availability check takes before the source is used at all. */
const PROBE_SAMPLES = 128;

let workspaceMemory: Uint32Array | undefined;

/**
 * One buffer per process, allocated on first use (constructing a source costs nothing) and shared by
 * every JitterSource: JavaScript runs them one at a time, and what matters is where the buffer lives
 * (DRAM), not whose it is. Every page is faulted in once up front, so page faults — a different noise
 * process from the one assessed — do not fill the first samples, which the start-up test sees.
 */
function sharedWorkspace(): Uint32Array {
  if (workspaceMemory === undefined) {
    const mem = new Uint32Array(JITTER_MEMORY_WORDS);
    for (let i = 0; i < mem.length; i += PAGE_WORDS) mem[i] = i;
    workspaceMemory = mem;
  }
  return workspaceMemory;
}

export interface JitterSourceOptions {
  /**
   * The high-resolution timer in nanoseconds (default `process.hrtime.bigint`). Injectable so tests
   * can show that a coarse, stuck or backwards timer makes the source unavailable instead of weak.
   */
  readonly timer?: () => bigint;
}

export class JitterSource implements EntropySource {
  readonly id = 'jitter';
  readonly kind = 'raw' as const;
  readonly creditBitsPerByte = JITTER_CREDIT_BITS_PER_SAMPLE;
  private readonly timer: () => bigint;
  private memory: Uint32Array | undefined;
  private walk = 0x9e3779b9 | 0;
  private index = 0;
  private verdict: string | undefined;

  constructor(options: JitterSourceOptions = {}) {
    this.timer = options.timer ?? (() => process.hrtime.bigint());
  }

  available(): boolean {
    return this.probe() === 'available';
  }

  unavailableReason(): string {
    return this.probe();
  }

  read(bytes: number): Uint8Array {
    checkReadRequest(this.id, bytes);
    const verdict = this.probe();
    if (verdict !== 'available') throw new EntropySourceError('ENTROPY_SOURCE_UNAVAILABLE', this.id, verdict);
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
  private probe(): string {
    if (this.verdict !== undefined) return this.verdict;
    let verdict = 'available';
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
      if (verdict === 'available' && seen.size < 2) {
        verdict = `timer too coarse: the low 8 bits of ${PROBE_SAMPLES} deltas never varied`;
      }
    } catch (cause) {
      verdict = `workload or timer failed: ${cause instanceof Error ? cause.message : String(cause)}`;
    }
    this.verdict = verdict;
    return verdict;
  }

  /** One timed run of the workload, in timer units. */
  private measure(): bigint {
    const mem = this.workspace();
    const mask = JITTER_MEMORY_WORDS - 1;
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
    this.memory ??= sharedWorkspace();
    return this.memory;
  }
}
