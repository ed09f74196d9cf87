/**
 * The cached provenance header (server/provenance.ts): equal to the header built from `Rng.health()`
 * at every point — after start-up, after a reseed, after the generator fails — and rebuilt only when
 * the seed or the state changed (counted through `health()` calls).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Rng } from '../../../crypto/index.js';
import { provenanceCache, provenanceHeader } from '../../../server/provenance.js';
import { type Switchable, switchable } from './helpers.js';

let rng: Rng | undefined;
afterEach(() => {
  rng?.destroy();
  rng = undefined;
});

/** A generator over two switchable sources (kept in \`rng\` so afterEach destroys it). */
async function create(): Promise<{ readonly r: Rng; readonly sources: readonly Switchable[] }> {
  const sources = [switchable('a'), switchable('b')];
  const r = await Rng.create({ sources, policy: { readmitAfterMs: 3_600_000 } });
  rng = r;
  return { r, sources };
}

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
    const { r } = await create();
    const fresh = provenanceHeader(r);
    expect(fresh).toMatch(/^draw=\d+; purpose=instantiate; at=\S+; claimed=\d+; sources=a:\d+,b:\d+; state=healthy$/);
    const health = counting(r);
    const cache = provenanceCache(r);
    for (let i = 0; i < 50; i++) expect(cache.header()).toBe(fresh);
    expect(health.calls()).toBe(1);
    cache.close();
  });

  it('is rebuilt after a reseed (new draw counter and purpose)', async () => {
    const { r } = await create();
    const cache = provenanceCache(r);
    const before = cache.header();
    r.reseed();
    const after = cache.header();
    expect(after).not.toBe(before);
    expect(after).toBe(provenanceHeader(r));
    expect(after).toMatch(/; purpose=on-demand; /);
    cache.close();
  });

  it('follows a state change: state=failed once the generator fails', async () => {
    const { r, sources } = await create();
    const cache = provenanceCache(r);
    expect(cache.header()).toMatch(/; state=healthy$/);
    for (const s of sources) s.stuck = true;
    expect(() => r.reseed()).toThrow();
    expect(r.state).toBe('failed');
    expect(cache.header()).toMatch(/; state=failed$/);
    expect(cache.header()).toBe(provenanceHeader(r));
    cache.close();
  });

  it('after close() it no longer listens: a reseed is still seen through the state check only', async () => {
    const { r } = await create();
    const cache = provenanceCache(r);
    const before = cache.header();
    cache.close();
    r.reseed();
    // Closed caches are not used by a running server; this proves the reseed listener is what rebuilds.
    expect(cache.header()).toBe(before);
    expect(provenanceHeader(r)).not.toBe(before);
  });
});
