/**
 * The argument check every built-in source's `read(bytes)` shares (contract in ../source.ts): a
 * request is a non-negative safe integer no larger than MAX_READ_BYTES, or an
 * `CRYPTO_INVALID_ARGUMENT` — a source never guesses what a malformed request meant.
 */
import { EntropySourceError } from '../source.js';

/**
 * 16 MiB: far above any seed (the pool asks for tens of bytes) and above a 1 000 000-sample probe,
 * yet small enough that a confused caller cannot make the jitter source spin for minutes.
 */
export const MAX_READ_BYTES = 1 << 24;

export function checkReadRequest(sourceId: string, bytes: number): void {
  if (!Number.isSafeInteger(bytes) || bytes < 0 || bytes > MAX_READ_BYTES) {
    throw new EntropySourceError(
      'CRYPTO_INVALID_ARGUMENT',
      sourceId,
      `read(${String(bytes)}): expected an integer from 0 to ${MAX_READ_BYTES}`,
    );
  }
}
