/**
 * The one chunking loop for output longer than one HMAC_DRBG request (SP 800-90A Table 2: at most
 * 2^19 bits = 65 536 bytes per generate call), shared by `Rng` and `DeterministicRng`.
 *
 * Each chunk is copied into the output and zeroed; if any chunk fails (a reseed between chunks could not
 * meet the entropy policy), the bytes already written are zeroed too, so nothing half-generated leaves.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';

/** SP 800-90A Table 2: max_number_of_bits_per_request / 8. */
export const MAX_DRBG_REQUEST_BYTES = 65536;

/** `length` bytes from generate calls of at most 65 536 bytes each. */
export function generateChunked(length: number, generate: (bytes: number) => Uint8Array): Uint8Array {
  if (length <= MAX_DRBG_REQUEST_BYTES) return generate(length);
  const out = new Uint8Array(length);
  fillChunked(out, generate);
  return out;
}

/** One chunk of at most 65 536 bytes into `target` at `at`; the chunk is zeroed once copied. */
function fillOne(target: Uint8Array, at: number, generate: (bytes: number) => Uint8Array): void {
  const chunk = generate(Math.min(MAX_DRBG_REQUEST_BYTES, target.length - at));
  target.set(chunk, at);
  chunk.fill(0);
}

/** Fills `target` from generate calls of at most 65 536 bytes; on failure `target` is zeroed. */
export function fillChunked(target: Uint8Array, generate: (bytes: number) => Uint8Array): void {
  try {
    for (let at = 0; at < target.length; at += MAX_DRBG_REQUEST_BYTES) fillOne(target, at, generate);
  } catch (err) {
    target.fill(0);
    throw err;
  }
}

/**
 * `fillChunked` for servers: yields to the event loop (setImmediate) between chunks so a multi-megabyte
 * request does not stall other work. On failure `target` is zeroed.
 */
export async function fillChunkedAsync(target: Uint8Array, generate: (bytes: number) => Uint8Array): Promise<void> {
  try {
    for (let at = 0; at < target.length; at += MAX_DRBG_REQUEST_BYTES) {
      if (at > 0) await yieldToEventLoop();
      fillOne(target, at, generate);
    }
  } catch (err) {
    target.fill(0);
    throw err;
  }
}
