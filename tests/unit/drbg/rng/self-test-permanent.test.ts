/**
 * FIPS 140-3 §7.10.2: a failed known-answer self-test is final for the process. The self-test module is
 * replaced by one that fails on its first run only (a transient fault, as a bit flip in a hash table
 * would be); every later Rng.create() must still reject with the same failure, without re-running it.
 */
import { describe, expect, it, vi } from 'vitest';
import { SelfTestError } from '../../../../crypto/errors.js';
import { uniformSource } from '../../../adversarial/entropy/fakes.js';

const runs = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../../../crypto/drbg/self-test.js', () => ({
  runSelfTestsFor: () => {
    runs.count++;
    if (runs.count === 1) throw new SelfTestError('SHA-512 ("abc", FIPS 180-4 example)');
    return [{ name: 'SHA-512 ("abc", FIPS 180-4 example)', passed: true }];
  },
}));

describe('a failed self-test is permanent for the process', () => {
  it('every later Rng.create() rethrows it', async () => {
    const { Rng } = await import('../../../../crypto/drbg/rng.js');
    const sources = () => [uniformSource({ id: 'os' }), uniformSource({ id: 'b' })];
    const first = await Rng.create({ sources: sources() }).catch((e: unknown) => e);
    const second = await Rng.create({ sources: sources() }).catch((e: unknown) => e);
    const third = await Rng.create({ sources: sources() }).catch((e: unknown) => e);
    for (const err of [first, second, third]) {
      expect(err).toMatchObject({ code: 'RNG_FAILED' });
      expect((err as Error).cause).toBeInstanceOf(SelfTestError);
    }
    expect((second as Error).cause).toBe((first as Error).cause);
    expect(runs.count).toBe(1);
  });
});
