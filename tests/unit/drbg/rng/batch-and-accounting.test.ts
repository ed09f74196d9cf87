import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { Rng } from '../../../../crypto/drbg/rng.js';
import { rngBatchForTesting } from '../../../../crypto/testing.js';
import { RngFailedError } from '../../../../crypto/errors.js';
import { failsAfter, uniformSource } from '../../../adversarial/entropy/fakes.js';
import { manualClock } from './helpers.js';

const sources = () => [uniformSource({ id: 'os' }, 'os'), uniformSource({ id: 'b', credit: 4 }, 'b')];
const zero = (a: Uint8Array): boolean => a.every((b) => b === 0);
const originalSet = Uint8Array.prototype.set;

describe('batch hygiene', () => {
  it('zeroes each slice in the block as it is handed out', async () => {
    let pid = 1;
    const rng = await Rng.create({ sources: sources(), clock: manualClock(), pid: () => pid });
    const handed = [rng.randomBytes(32), rng.randomBytes(100), rng.randomBytes(1)];
    const { batch, position } = rngBatchForTesting(rng);
    expect(position).toBe(133);
    expect(zero(batch.subarray(0, 133))).toBe(true);
    expect(zero(batch.subarray(133))).toBe(false);
    for (const h of handed) expect(zero(h)).toBe(false);

    rng.reseed();
    expect(zero(rngBatchForTesting(rng).batch)).toBe(true);
    rng.randomBytes(8);
    expect(zero(rngBatchForTesting(rng).batch)).toBe(false);
    pid = 2; // fork: the parent's block must not reach the child
    const before = rngBatchForTesting(rng).batch.slice(8, 16);
    const afterFork = rng.randomBytes(8);
    expect(afterFork).not.toEqual(before);
    expect(rngBatchForTesting(rng).position).toBe(8);
    rng.destroy();
    expect(zero(rngBatchForTesting(rng).batch)).toBe(true);
  });

  it('zeroes the chunks already generated when a reseed between chunks of a split request fails', async () => {
    // reads: start-up, instantiate, reseed before chunk 1 — then 'b' goes stuck before chunk 2's reseed.
    const rng = await Rng.create({
      sources: [uniformSource({ id: 'os' }, 'os'), failsAfter(3, { id: 'b', credit: 4 })],
      clock: manualClock(),
      predictionResistance: true,
    });
    const length = 3 * 65536;
    const targets: Uint8Array[] = [];
    const set = vi.spyOn(Uint8Array.prototype, 'set').mockImplementation(function (
      this: Uint8Array,
      ...args: Parameters<Uint8Array['set']>
    ) {
      if (this.length === length) targets.push(this);
      Reflect.apply(originalSet, this, args);
    });
    try {
      expect(() => rng.randomBytes(length)).toThrow(RngFailedError);
    } finally {
      set.mockRestore();
    }
    expect(rng.health().counters.drbgRequests).toBe(1);
    expect(targets).toHaveLength(1);
    expect(zero(targets[0] as Uint8Array)).toBe(true);
    expect(rng.state).toBe('failed');
    rng.destroy();
  });

  it('prediction resistance never fills the block', async () => {
    const rng = await Rng.create({ sources: sources(), clock: manualClock(), predictionResistance: true });
    rng.randomBytes(16);
    expect(zero(rngBatchForTesting(rng).batch)).toBe(true);
  });
});

describe('reseed accounting (property)', () => {
  it('reseeds exactly where a model of the limits says, across split requests', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 65536, max: 400_000 }),
        fc.array(fc.integer({ min: 0, max: 300_000 }), { minLength: 1, maxLength: 8 }),
        async (maxRequests, maxBytes, lengths) => {
          const rng = await Rng.create({
            sources: sources(),
            clock: manualClock(),
            policy: { reseedAfterRequests: maxRequests, reseedAfterBytes: maxBytes, batchBytes: 0, batchMaxRequest: 0 },
          });
          let requests = 0;
          let bytes = 0;
          let reseeds = 0;
          for (const n of lengths) {
            const chunks = Array.from({ length: Math.ceil(n / 65536) }, (_, i) => Math.min(65536, n - i * 65536));
            for (const c of chunks) {
              if (requests >= maxRequests || bytes >= maxBytes) {
                reseeds++;
                requests = 0;
                bytes = 0;
              }
              requests++;
              bytes += c;
            }
            expect(rng.randomBytes(n)).toHaveLength(n);
          }
          expect(rng.health().counters).toMatchObject({ reseeds, sinceSeed: { drbgRequests: requests, bytes } });
          rng.destroy();
        },
      ),
      { numRuns: 25 },
    );
  });
});
