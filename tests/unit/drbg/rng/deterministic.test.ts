import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DeterministicRng } from '../../../../crypto/testing.js';
import { HmacDrbg } from '../../../../crypto/drbg/hmac-drbg.js';
import { Rng } from '../../../../crypto/drbg/rng.js';

const seed = Uint8Array.from({ length: 32 }, (_, i) => i);

describe('DeterministicRng', () => {
  it('is HMAC_DRBG instantiated with (seed, fixed nonce, label), never reseeded', () => {
    const drbg = new HmacDrbg({
      hash: 'sha512',
      entropy: seed,
      nonce: new TextEncoder().encode('hrng/deterministic/v1'),
      personalization: new TextEncoder().encode('node-3'),
    });
    const expected = [drbg.generate(10), drbg.generate(65536), drbg.generate(100)];
    const rng = DeterministicRng.fromSeed(seed, { label: 'node-3' });
    expect(rng.randomBytes(10)).toEqual(expected[0]);
    const long = rng.randomBytes(65636); // split 65536 + 100
    expect(long.subarray(0, 65536)).toEqual(expected[1]);
    expect(long.subarray(65536)).toEqual(expected[2]);
  });

  it('replays: same seed and label → same stream; another label → another stream', () => {
    const a = DeterministicRng.fromSeed(seed, { label: 'x' });
    const b = DeterministicRng.fromSeed(seed, { label: 'x' });
    expect(b.randomBytes(0)).toHaveLength(0); // asks nothing of the DRBG, so the streams stay in step
    const c = DeterministicRng.fromSeed(seed, { label: 'y' });
    const first = a.randomBytes(64);
    expect(b.randomBytes(64)).toEqual(first);
    expect(c.randomBytes(64)).not.toEqual(first);
  });

  it('refuses short seeds, says what it is, and is not what Rng.create gives', async () => {
    expect(() => DeterministicRng.fromSeed(new Uint8Array(31))).toThrow(expect.objectContaining({ code: 'CRYPTO_INVALID_ARGUMENT' }));
    const d = DeterministicRng.fromSeed(seed);
    expect(d.deterministic).toBe(true);
    expect(inspect(d)).toBe('DeterministicRng { reproducible, not for keys }');
    const rng = await Rng.create();
    expect(rng.deterministic).toBe(false);
    d.destroy();
    expect(() => d.randomBytes(1)).toThrow(expect.objectContaining({ code: 'RNG_DESTROYED' }));
  });
});
