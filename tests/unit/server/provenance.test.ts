/**
 * The cached provenance header (server/provenance.ts): equal to the header built from `Rng.health()`
 * at every point — after start-up, after a reseed, after the generator fails — and rebuilt only when
 * the seed or the state changed (counted through `health()` calls).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Rng } from '../../../crypto/index.js';
import { provenanceCache, provenanceHeader } from '../../../server/provenance.js';
import { switchable } from './helpers.js';

let rng: Rng | undefined;
afterEach(() => {
  rng?.destroy();
  rng = undefined;
});

/** Counts how often `health()` runs, i.e. how often the header is rebuilt. */
function counting(r: Rng): { readonly calls: () => number } {
  let n = 0;
  const health = r.health.bind(r);
  Object.defineProperty(r, 'health', {
    value: () => {
      n++;
      return health();
    },
  });
  return { calls: () => n };
}

describe('provenanceCache', () => {
  it('builds once per seed: repeated requests reuse the value', async () => {
    const sources = [switchable('a'), switchable('b')];
    rng = await Rng.create({ sources, policy: { readmitAfterMs: 3_600_000 } });
    const fresh = provenanceHeader(rng);
    expect(fresh).toMatch(/^draw=\d+; purpose=instantiate; at=\S+; claimed=\d+; sources=a:\d+,b:\d+; state=healthy$/);
    const health = counting(rng);
    const cache = provenanceCache(rng);
    for (let i = 0; i < 50; i++) expect(cache.header()).toBe(fresh);
    expect(health.calls()).toBe(1);
    cache.close();
  });

  it('is rebuilt after a reseed (new draw counter and purpose)', async () => {
    const sources = [switchable('a'), switchable('b')];
    rng = await Rng.create({ sources, policy: { readmitAfterMs: 3_600_000 } });
    const cache = provenanceCache(rng);
    const before = cache.header();
    rng.reseed();
    const after = cache.header();
    expect(after).not.toBe(before);
    expect(after).toBe(provenanceHeader(rng));
    expect(after).toMatch(/; purpose=on-demand; /);
    cache.close();
  });

  it('follows a state change: state=failed once the generator fails', async () => {
    const sources = [switchable('a'), switchable('b')];
    rng = await Rng.create({ sources, policy: { readmitAfterMs: 3_600_000 } });
    const cache = provenanceCache(rng);
    expect(cache.header()).toMatch(/; state=healthy$/);
    for (const s of sources) s.stuck = true;
    expect(() => rng?.reseed()).toThrow();
    expect(rng.state).toBe('failed');
    expect(cache.header()).toMatch(/; state=failed$/);
    expect(cache.header()).toBe(provenanceHeader(rng));
    cache.close();
  });

  it('after close() it no longer listens: a reseed is still seen through the state check only', async () => {
    const sources = [switchable('a'), switchable('b')];
    rng = await Rng.create({ sources, policy: { readmitAfterMs: 3_600_000 } });
    const cache = provenanceCache(rng);
    const before = cache.header();
    cache.close();
    rng.reseed();
    // Closed caches are not used by a running server; this proves the reseed listener is what rebuilds.
    expect(cache.header()).toBe(before);
    expect(provenanceHeader(rng)).not.toBe(before);
  });
});
