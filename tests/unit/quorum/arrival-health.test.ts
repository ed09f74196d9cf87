/**
 * Arrival tests on an agent's contributions: random material passes; a stuck byte stream fails the
 * repetition count test; a repeated contribution is refused; biased bits are flagged (mutation checks:
 * each rule is shown to fire).
 */
import { describe, expect, it } from 'vitest';
import { ArrivalMonitor } from '../../../quorum/arrival-health.js';
import { bufferedTestRng } from '../sharing/helpers.js';

describe('ArrivalMonitor', () => {
  it('passes 200 random contributions and counts their bits', () => {
    const rng = bufferedTestRng('arrivals');
    const m = new ArrivalMonitor();
    for (let i = 0; i < 200; i++) expect(m.check(rng.randomBytes(64))).toBe(undefined);
    const s = m.stats();
    expect(s).toMatchObject({ contributions: 200, bits: 200 * 512, failed: undefined });
    expect(Math.abs(s.z)).toBeLessThan(6);
  });

  it('a stuck source (64 equal bytes) fails the repetition count test, and stays failed', () => {
    const m = new ArrivalMonitor();
    expect(m.check(new Uint8Array(64).fill(7))).toBe('repetition-count test failed on arrivals');
    expect(m.check(bufferedTestRng('after').randomBytes(64))).toBe('repetition-count test failed on arrivals');
  });

  it('the same 64 bytes twice are refused (without failing the agent)', () => {
    const m = new ArrivalMonitor();
    const x = bufferedTestRng('twice').randomBytes(64);
    expect(m.check(x)).toBe(undefined);
    expect(m.check(x)).toBe('the same contribution arrived twice');
    expect(m.stats().failed).toBe(undefined);
  });

  it('bytes with too many one bits are flagged once enough bits arrived', () => {
    const rng = bufferedTestRng('biased');
    const m = new ArrivalMonitor();
    let verdict: string | undefined;
    for (let i = 0; i < 64 && verdict === undefined; i++) {
      const b = rng.randomBytes(64).map((v) => v | ((v >> 1) & 0x11)); // sets extra ones, keeps bytes varied
      verdict = m.check(b);
    }
    expect(verdict).toMatch(/^bit balance off: z = [0-9.]+ over [0-9]+ bits$/);
  });
});
