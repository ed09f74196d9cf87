/**
 * The Web Crypto side of `Rng` and the async API for servers (issue 9): DOMException names and codes on
 * refusals, methods that work when destructured, and randomFill/randomBytesAsync yielding between chunks.
 */
import { describe, expect, it } from 'vitest';
import { Rng, type RngOptions } from '../../../../crypto/drbg/rng.js';
import { CryptoError, HardenedRngError, WebCryptoError } from '../../../../crypto/errors.js';
import { DeterministicRng } from '../../../../crypto/testing.js';
import { failsAfter, uniformSource } from '../../../adversarial/entropy/fakes.js';
import { manualClock } from './helpers.js';

const options = (): RngOptions => ({
  sources: [uniformSource({ id: 'os', credit: 8 }, 'os'), uniformSource({ id: 'jitter', kind: 'raw', credit: 1 }, 'jitter')],
  clock: manualClock(),
});

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
}

describe('getRandomValues as Web Crypto code expects it', () => {
  it('refusals carry the DOMException name and numeric code, and stay HardenedRngErrors with stable codes', async () => {
    const rng = await Rng.create(options());
    const quota = caught(() => rng.getRandomValues(new Uint8Array(65537)));
    const type = caught(() => rng.getRandomValues(new Float64Array(2)));
    // What code written against crypto.getRandomValues tests:
    expect([(quota as Error).name, (quota as WebCryptoError).domExceptionCode]).toEqual([
      'QuotaExceededError',
      DOMException.QUOTA_EXCEEDED_ERR,
    ]);
    expect([(type as Error).name, (type as WebCryptoError).domExceptionCode]).toEqual([
      'TypeMismatchError',
      DOMException.TYPE_MISMATCH_ERR,
    ]);
    // …and Node's own implementation agrees on the names:
    expect((caught(() => crypto.getRandomValues(new Uint8Array(65537))) as Error).name).toBe('QuotaExceededError');
    for (const [err, code] of [
      [quota, 'RNG_QUOTA_EXCEEDED'],
      [type, 'RNG_TYPE_MISMATCH'],
    ] as const) {
      expect(err).toBeInstanceOf(HardenedRngError);
      expect(err).toBeInstanceOf(CryptoError);
      expect((err as CryptoError).code).toBe(code);
    }
  });

  it('getRandomValues, randomBytes, randomFill and randomBytesAsync work destructured', async () => {
    const rng = await Rng.create(options());
    const { getRandomValues, randomBytes, randomFill, randomBytesAsync } = rng;
    const filled = getRandomValues(new Uint32Array(4));
    expect(filled.some((x) => x !== 0)).toBe(true);
    expect(randomBytes(24)).toHaveLength(24);
    expect((await randomFill(new Uint8Array(300))).some((x) => x !== 0)).toBe(true);
    expect(await randomBytesAsync(5)).toHaveLength(5);
    const { randomBytes: det } = DeterministicRng.fromSeed(new Uint8Array(32));
    expect(det(3)).toHaveLength(3);
  });
});

describe('randomFill / randomBytesAsync', () => {
  it('yields to the event loop between 64 KiB DRBG calls', async () => {
    const rng = await Rng.create(options());
    const ticks: number[] = [];
    let done = false;
    const tick = (): void => {
      if (done) return;
      ticks.push(rng.health().counters.drbgRequests);
      setImmediate(tick);
    };
    setImmediate(tick);
    const before = rng.health().counters.drbgRequests;
    const out = await rng.randomBytesAsync(4 * 65536 + 10);
    done = true;
    expect(out).toHaveLength(4 * 65536 + 10);
    expect(rng.health().counters.drbgRequests - before).toBe(5);
    // Other callbacks ran while the request was in progress, between its chunks.
    expect(ticks.filter((n) => n > before && n < before + 5).length).toBeGreaterThanOrEqual(3);
  });

  it('fills any ArrayBufferView in place and, on failure, leaves it zeroed', async () => {
    const rng = await Rng.create(options());
    const view = new DataView(new ArrayBuffer(200_000));
    expect(await rng.randomFill(view)).toBe(view);
    expect(new Uint8Array(view.buffer).some((x) => x !== 0)).toBe(true);
    await expect(rng.randomFill('x' as never)).rejects.toMatchObject({ code: 'CRYPTO_INVALID_ARGUMENT' });

    // A reseed between chunks that cannot meet the policy: nothing half-written leaves.
    const failing = await Rng.create({
      ...options(),
      sources: [failsAfter(3, { id: 'os' }), uniformSource({ id: 'b' })],
      policy: { reseedAfterRequests: 2 },
    });
    const target = new Uint8Array(5 * 65536);
    await expect(failing.randomFill(target)).rejects.toMatchObject({ code: 'RNG_FAILED' });
    expect(target.every((x) => x === 0)).toBe(true);
  });
});
