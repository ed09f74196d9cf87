/**
 * The CPU's own generators, through the native helper (crypto/native): RDSEED and RDRAND, with the
 * retry loops of Intel's DRNG Software Implementation Guide §5.2–5.3 and CPUID deciding availability.
 *
 * Both are conditioned outputs. RDSEED is specified as an SP 800-90B/C full-entropy source (8 bits per
 * byte); we credit half of that, 4, because a validator should not have to trust one vendor's
 * unauditable silicon for its keys — the pool's rule of at least two independent credited sources
 * then never lets RDSEED alone seed the generator. RDRAND is the output of an AES CTR_DRBG that is
 * reseeded only once per up to 511 128-bit outputs (DRNG guide §4.2.5), so its entropy per byte is
 * far below 8; like Linux without random.trust_cpu, we mix it in and credit 0.
 *
 * Available means CPUID lists the instruction and the kernel has not withdrawn it (kernel-cpu-flags.ts: Linux
 * drops a generator with a known erratum, e.g. Zen 5's RDSEED, from /proc/cpuinfo, while a hypervisor's CPUID
 * may still list it).
 */
import { assert } from '../../assert.js';
import { loadCpuRandom } from '../../native/cpu-random.js';
import type { CpuInstruction } from '../../native/cpu-random.js';
import { EntropySourceError } from '../source.js';
import type { EntropySource } from '../source.js';
import { hostKernelCpuFlags, kernelWithdrew } from './kernel-cpu-flags.js';
import { checkReadRequest } from './request.js';

export const CPU_CREDIT_BITS_PER_BYTE: Readonly<Record<CpuInstruction, number>> = { rdseed: 4, rdrand: 0 };

const CPUID_BIT: Readonly<Record<CpuInstruction, string>> = {
  rdrand: 'CPUID.01H:ECX bit 30',
  rdseed: 'CPUID.(EAX=07H,ECX=0):EBX bit 18',
};

export interface CpuSourceOptions {
  /** The kernel's CPU flags (default: this host's /proc/cpuinfo, read once; undefined: unknown). For tests. */
  readonly kernelFlags?: () => ReadonlySet<string> | undefined;
}

/** Failed attempts since the source was created: a rising count is an early sign of trouble. */
export interface CpuSourceCounters {
  readonly reads: number;
  readonly bytes: number;
  readonly carryClear: number;
  readonly degenerate: number;
  readonly failedReads: number;
}

export class CpuSource implements EntropySource {
  readonly id: CpuInstruction;
  readonly kind = 'conditioned' as const;
  readonly creditBitsPerByte: number;
  /** One group with `os`, which the kernel feeds from the same instructions (pool.ts, "Independence"). */
  readonly group = 'cpu';
  private readonly tally = { reads: 0, bytes: 0, carryClear: 0, degenerate: 0, failedReads: 0 };
  private readonly kernelFlags: () => ReadonlySet<string> | undefined;

  constructor(instruction: CpuInstruction, opts: CpuSourceOptions = {}) {
    assert.oneOf(instruction, 'CpuSource instruction', ['rdseed', 'rdrand'] as const);
    this.id = instruction;
    this.creditBitsPerByte = CPU_CREDIT_BITS_PER_BYTE[instruction];
    this.kernelFlags = opts.kernelFlags ?? hostKernelCpuFlags;
  }

  available(): boolean {
    return this.unavailableReason() === undefined;
  }

  /** Why this source cannot be read here, or undefined when it can. */
  unavailableReason(): string | undefined {
    const load = loadCpuRandom();
    if (!load.loaded) return load.reason;
    if (!load.addon[this.id]) return `this CPU lacks ${this.id.toUpperCase()} (${CPUID_BIT[this.id]} is clear)`;
    return kernelWithdrew(this.id, this.kernelFlags());
  }

  counters(): CpuSourceCounters {
    return { ...this.tally };
  }

  read(bytes: number): Uint8Array {
    checkReadRequest(this.id, bytes);
    const load = loadCpuRandom();
    const reason = this.unavailableReason();
    if (!load.loaded || reason !== undefined) {
      throw new EntropySourceError('ENTROPY_SOURCE_UNAVAILABLE', this.id, reason ?? 'not available');
    }
    const out = new Uint8Array(bytes);
    const r = load.addon.fill(this.id, out);
    this.tally.reads++;
    this.tally.carryClear += r.carryClear;
    this.tally.degenerate += r.degenerate;
    if (!r.ok) {
      this.tally.failedReads++;
      out.fill(0);
      const tries = load.addon.tries[this.id];
      throw new EntropySourceError(
        'ENTROPY_SOURCE_READ_FAILED',
        this.id,
        `${this.id.toUpperCase()} gave no usable value for word ${r.failedWord} of ${Math.ceil(bytes / 8)} ` +
          `after ${tries} attempts (this request: carry flag clear ${r.carryClear} times, ` +
          `all-zero/all-one values ${r.degenerate} times)`,
      );
    }
    this.tally.bytes += bytes;
    return out;
  }
}
