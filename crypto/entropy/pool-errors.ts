/**
 * The pool's refusal: the policy (minimum credited bits, minimum independent healthy sources) cannot be
 * met, so no seed is produced. The message names each source's state so an operator can see which one
 * to fix; it never carries sample bytes.
 */
import { HardenedRngError } from '../errors.js';
import type { SourceStatus } from './health/monitored-source.js';

export class InsufficientEntropyError extends HardenedRngError {
  declare readonly code: 'INSUFFICIENT_ENTROPY';
  readonly sources: readonly SourceStatus[];
  readonly creditedSources: number;
  readonly requiredSources: number;

  constructor(creditedSources: number, requiredSources: number, requiredBits: number, sources: readonly SourceStatus[]) {
    const states = sources.map(describe).join('; ');
    super(
      'INSUFFICIENT_ENTROPY',
      `only ${creditedSources} healthy credited source(s) could each deliver ${requiredBits} bits, the policy needs ${requiredSources}: ${states || 'no sources'}`,
    );
    this.sources = sources;
    this.creditedSources = creditedSources;
    this.requiredSources = requiredSources;
  }
}

function describe(s: SourceStatus): string {
  const parts = [`${s.id}: ${s.available ? 'available' : `unavailable${s.unavailableReason ? ` (${s.unavailableReason})` : ''}`}`, s.state, `credit ${s.creditBitsPerByte} bits/${s.kind === 'raw' ? 'sample' : 'byte'}`];
  if (s.lastFailure) {
    const f = s.lastFailure;
    parts.push(f.test === 'read-error' ? `last failure: read error${f.detail ? ` ${f.detail}` : ''}` : `last failure: ${f.test} ${f.level} (observed ${f.observed}, cutoff ${f.cutoff})`);
  }
  return parts.join(', ');
}

/**
 * A pool or source configuration the pool cannot honour: a policy value out of range, two sources with
 * one id, a source credit outside [0, 8] bits per byte, or a draw size that cannot carry the claim.
 */
export class EntropyConfigError extends HardenedRngError {
  declare readonly code: 'ENTROPY_BAD_CONFIG';
  constructor(message: string) {
    super('ENTROPY_BAD_CONFIG', message);
  }
}
