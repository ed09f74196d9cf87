/**
 * The built-in entropy sources (DESIGN.md, "Contracts"; docs/entropy.md, "Sources").
 */
import type { EntropySource } from '../source.js';
import { AuxiliarySource } from './auxiliary.js';
import { CpuSource } from './cpu.js';
import { JitterSource } from './jitter.js';
import type { JitterSourceOptions } from './jitter.js';
import { OsSource } from './os.js';

export { AuxiliarySource } from './auxiliary.js';
export { CPU_CREDIT_BITS_PER_BYTE, CpuSource } from './cpu.js';
export type { CpuSourceCounters } from './cpu.js';
export {
  JITTER_ACCESSES_PER_SAMPLE,
  JITTER_ASSESSED_BITS_PER_SAMPLE,
  JITTER_SAFETY_FACTOR,
  JITTER_CREDIT_BITS_PER_SAMPLE,
  JITTER_L2_MULTIPLE,
  JITTER_MAX_BUFFER_BYTES,
  JITTER_MIN_BUFFER_BYTES,
  jitterBufferBytes,
  JitterSource,
} from './jitter.js';
export type { JitterSourceOptions } from './jitter.js';
export { OsSource } from './os.js';
export { MAX_READ_BYTES } from './request.js';

export interface DefaultSourcesOptions {
  readonly jitter?: JitterSourceOptions;
}

/**
 * Every built-in source, available here or not — os, rdseed, rdrand, jitter, auxiliary — so that a
 * status report can show the unavailable ones and why. Constructing them reads no entropy and loads
 * nothing heavy; the jitter source allocates its buffer on first use.
 */
export function defaultSources(options: DefaultSourcesOptions = {}): EntropySource[] {
  return [new OsSource(), new CpuSource('rdseed'), new CpuSource('rdrand'), new JitterSource(options.jitter ?? {}), new AuxiliarySource()];
}
