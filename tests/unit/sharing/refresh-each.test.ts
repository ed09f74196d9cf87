/**
 * refreshEach (crypto/sharing/refresh.ts): the one-process refresh the aggregator runs asks for one old
 * share at a time and zeroes it before asking for the next, so no two old shares (and never the secret)
 * are in memory together; a share that is not the participant asked for is SHARE_INVALID naming it.
 */
import { describe, expect, it } from 'vitest';
import { combineShares, inspectShare, splitSecret } from '../../../crypto/sharing/authenticated.js';
import type { ShareInvalidError } from '../../../crypto/sharing/errors.js';
import { refreshEach } from '../../../crypto/sharing/refresh.js';
import { thrown } from '../../helpers/thrown.js';
import { testRng } from './helpers.js';

const secret = Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 5) & 0xff);

describe('refreshEach: one old share in memory at a time', () => {
  const rng = testRng('refresh-each');
  const old = splitSecret(secret, { threshold: 3, shares: 5 }, rng);
  const chosen = [old[4]!, old[1]!, old[2]!];
  const infos = chosen.map((s) => inspectShare(s));

  it('each buffer it was given is all zeros before the next is asked for, and after it returns', () => {
    const opened: Uint8Array[] = [];
    const zeroWhenNextAsked: boolean[] = [];
    const fresh = refreshEach(
      infos,
      (i) => {
        const previous = opened[opened.length - 1];
        if (previous !== undefined) zeroWhenNextAsked.push(previous.every((b) => b === 0));
        const copy = chosen[i]!.slice();
        opened.push(copy);
        return copy;
      },
      { threshold: 2, shares: 4 },
      rng,
    );
    expect(opened.length).toBe(3);
    expect(zeroWhenNextAsked).toEqual([true, true]);
    expect(opened.map((b) => b.every((x) => x === 0))).toEqual([true, true, true]);
    expect(inspectShare(fresh[0]!)).toMatchObject({ threshold: 2, shares: 4 });
    expect(Array.from(combineShares([fresh[3]!, fresh[0]!]))).toEqual(Array.from(secret));
  });

  it('the callers originals are untouched by refreshShares-style copies; the new set does not mix with the old', () => {
    const fresh = refreshEach(infos, (i) => chosen[i]!.slice(), { threshold: 3, shares: 5 }, rng);
    expect(Array.from(combineShares(chosen))).toEqual(Array.from(secret));
    expect(thrown(() => combineShares([fresh[0]!, fresh[1]!, old[0]!])).code).toBe('SHARE_INVALID');
  });

  it('a share opened for the wrong participant is SHARE_INVALID naming that participant, and is zeroed', () => {
    const given: Uint8Array[] = [];
    const e = thrown(() =>
      refreshEach(
        infos,
        (i) => {
          const b = chosen[i === 1 ? 2 : i]!.slice(); // participant 1 answers with participant 2's share
          given.push(b);
          return b;
        },
        { threshold: 3, shares: 5 },
        rng,
      ),
    );
    expect([e.code, (e as ShareInvalidError).shares]).toEqual(['SHARE_INVALID', [1]]);
    expect(given.every((b) => b.every((x) => x === 0))).toBe(true);
  });

  it('a corrupted share is SHARE_INVALID (its commitment), and more or fewer than k participants are refused', () => {
    const bad = chosen[0]!.slice();
    bad[70] = (bad[70] as number) ^ 1; // inside y
    expect(
      thrown(() => refreshEach(infos, (i) => (i === 0 ? bad.slice() : chosen[i]!.slice()), { threshold: 3, shares: 5 }, rng)).code,
    ).toBe('SHARE_INVALID');
    const four = [...infos, inspectShare(old[0]!)];
    expect(thrown(() => refreshEach(four, (i) => [...chosen, old[0]!][i]!.slice(), { threshold: 3, shares: 5 }, rng)).code).toBe(
      'SHARE_INVALID',
    );
    expect(thrown(() => refreshEach(infos.slice(0, 2), (i) => chosen[i]!.slice(), { threshold: 3, shares: 5 }, rng)).code).toBe(
      'SHARE_TOO_FEW',
    );
  });
});

describe('refreshEach on a v2 set', () => {
  const rng = testRng('refresh-each-v2');
  const old = splitSecret(secret, { threshold: 3, shares: 5, version: 2 }, rng);
  const chosen = [old[0]!, old[3]!, old[2]!];

  it('takes the check value from the opened shares (not the caller’s infos), zeroes each, and gives a v2 set', () => {
    const infos = chosen.map((s) => {
      const { check: _, ...rest } = inspectShare(s);
      return rest; // infos as an older caller may have stored them, without the check
    });
    const opened: Uint8Array[] = [];
    const fresh = refreshEach(
      infos,
      (i) => {
        const b = chosen[i]!.slice();
        opened.push(b);
        return b;
      },
      { threshold: 2, shares: 3 },
      rng,
    );
    expect(opened.map((b) => b.every((x) => x === 0))).toEqual([true, true, true]);
    expect(inspectShare(fresh[1]!)).toMatchObject({ version: 2, threshold: 2, secretLength: 32, check: inspectShare(old[0]!).check });
    expect(Array.from(combineShares([fresh[2]!, fresh[0]!]))).toEqual(Array.from(secret));
  });
});
