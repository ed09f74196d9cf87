/**
 * The operating system's generator: getrandom(2) on Linux, reached through `node:crypto`'s
 * `randomFillSync` (libuv/OpenSSL call getrandom with flags 0, which blocks until the kernel's
 * CRNG is initialised and never returns short).
 *
 * Conditioned: the kernel hashes and expands its own pool, so only a stuck-block check can watch the
 * output. Credit 8 bits/byte is the kernel's claim, not something we can measure; the pool's policy
 * of at least two independent healthy sources is what keeps a broken kernel from being the only input.
 * Its dependency group is `cpu`: the kernel mixes RDSEED/RDRAND output into its pool (and with
 * random.trust_cpu may credit it), so `os` and `rdseed` are not independent votes.
 */
import { randomFillSync } from 'node:crypto';
import { EntropySourceError } from '../source.js';
import type { EntropySource } from '../source.js';
import { checkReadRequest } from './request.js';

export class OsSource implements EntropySource {
  readonly id = 'os';
  readonly kind = 'conditioned' as const;
  readonly creditBitsPerByte = 8;
  readonly group = 'cpu';

  available(): boolean {
    return true;
  }

  unavailableReason(): string | undefined {
    return undefined;
  }

  read(bytes: number): Uint8Array {
    checkReadRequest(this.id, bytes);
    const out = new Uint8Array(bytes);
    try {
      randomFillSync(out);
    } catch (cause) {
      throw new EntropySourceError('ENTROPY_SOURCE_READ_FAILED', this.id, 'getrandom failed', { cause });
    }
    return out;
  }
}
