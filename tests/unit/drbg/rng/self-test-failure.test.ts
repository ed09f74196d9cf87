/**
 * A known-answer self-test that fails (as on a miscompiled or tampered hash) must stop `Rng.create`.
 * The self-test module is replaced here by one whose check throws the real SelfTestError — the injected
 * fault under test, in its own file so no other test sees it.
 */
import { describe, expect, it, vi } from 'vitest';
import { SelfTestError } from '../../../../crypto/errors.js';
import { uniformSource } from '../../../adversarial/entropy/fakes.js';

vi.mock('../../../../crypto/drbg/self-test.js', () => ({
  runSelfTestsFor: () => {
    throw new SelfTestError('HMAC_DRBG-SHA-512 (NIST CAVS 14.3 PR False (SHA-512, 256, 256) #0)');
  },
}));

describe('self-test failure', () => {
  it('rejects Rng.create with RngFailedError naming the failed test, before reading any source', async () => {
    const { Rng } = await import('../../../../crypto/drbg/rng.js');
    const { RngFailedError } = await import('../../../../crypto/errors.js');
    const os = uniformSource({ id: 'os' });
    const err = await Rng.create({ sources: [os, uniformSource({ id: 'b' })] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RngFailedError);
    expect((err as Error).message).toMatch(/^random generator failed: self-test failed: .*HMAC_DRBG-SHA-512/);
    expect((err as Error).cause).toBeInstanceOf(SelfTestError);
    expect(os.reads).toBe(0);
  });
});
