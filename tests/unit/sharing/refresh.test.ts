/**
 * Proactive refresh: the same secret under a new set (same or other k, n), old and new shares never
 * combine, and the distributed roles give the same result as the one-process helper.
 */
import { describe, expect, it } from 'vitest';
import { ShareInvalidError } from '../../../crypto/sharing/errors.js';
import {
  combineShares,
  commitRawShare,
  commitRawShareV2,
  encodeShare,
  encodeShareV2,
  inspectShare,
  splitSecret,
} from '../../../crypto/sharing/authenticated.js';
import { addSubShare, planRefresh, refreshShares, refreshSubShares } from '../../../crypto/sharing/refresh.js';
import { thrown } from '../../helpers/thrown.js';
import { testRng } from './helpers.js';

const secret = Uint8Array.from({ length: 32 }, (_, i) => 255 - i);

describe('proactive refresh', () => {
  const rng = testRng('refresh');
  const old = splitSecret(secret, { threshold: 4, shares: 7 }, rng);

  it('4-of-7 → 4-of-7: new set id, new values, same secret', () => {
    const fresh = refreshShares(old.slice(2, 6), { threshold: 4, shares: 7 }, rng);
    expect(inspectShare(fresh[0]!).setId).not.toBe(inspectShare(old[0]!).setId);
    expect(Array.from(combineShares(fresh.slice(3)))).toEqual(Array.from(secret));
    expect(Array.from(combineShares([fresh[0]!, fresh[6]!, fresh[2]!, fresh[4]!]))).toEqual(Array.from(secret));
  });

  it('4-of-7 → 2-of-3 and → 5-of-9, then back', () => {
    const small = refreshShares(old, { threshold: 2, shares: 3 }, rng);
    expect(inspectShare(small[0]!)).toMatchObject({ threshold: 2, shares: 3 });
    expect(Array.from(combineShares([small[2]!, small[0]!]))).toEqual(Array.from(secret));
    const big = refreshShares(small.slice(1), { threshold: 5, shares: 9 }, rng);
    expect(Array.from(combineShares(big.slice(4)))).toEqual(Array.from(secret));
  });

  it('old and new shares do not combine: the mix is SHARE_INVALID naming the minority', () => {
    const fresh = refreshShares(old.slice(0, 4), { threshold: 4, shares: 7 }, rng);
    const e = thrown(() => combineShares([fresh[0]!, fresh[1]!, fresh[2]!, old[3]!]));
    expect(e.code).toBe('SHARE_INVALID');
    expect((e as ShareInvalidError).shares).toEqual([3]);
  });

  it('the distributed roles: old holders send sub-shares, new holders sum and commit; nobody forms the secret', () => {
    const participants = old.slice(1, 5);
    const plan = planRefresh(participants.map(inspectShare), { threshold: 3, shares: 4 }, rng);
    expect(plan.from).toEqual(participants.map((s) => inspectShare(s).x));
    // Each new holder j keeps an accumulator; old holder i sends subs[i][j] to j.
    const acc = plan.xs.map(() => new Uint8Array(32));
    for (const p of participants) refreshSubShares(plan, p, rng).forEach((sub, j) => addSubShare(acc[j]!, sub));
    const raws = plan.xs.map((x, j) => ({ x, y: acc[j]! }));
    const committed = raws.map((r) => commitRawShare(r, 3, 4, rng));
    const list = committed.map((c) => c.commitment);
    const fresh = raws.map((r, j) => encodeShare(r, committed[j]!.nonce, 3, list));
    expect(Array.from(combineShares(fresh.slice(1)))).toEqual(Array.from(secret));
  });

  it('a share that is not a participant, or of another set, cannot contribute', () => {
    const plan = planRefresh(old.slice(0, 4).map(inspectShare), { threshold: 4, shares: 7 }, rng);
    expect(thrown(() => refreshSubShares(plan, old[6]!, rng)).message).toBe(
      `share #0 rejected: x = ${inspectShare(old[6]!).x} is not a participant of this refresh`,
    );
    const foreign = splitSecret(secret, { threshold: 4, shares: 7 }, rng);
    expect(thrown(() => refreshSubShares(plan, foreign[0]!, rng)).code).toBe('SHARE_INVALID');
    expect(thrown(() => refreshShares(old.slice(0, 3), { threshold: 4, shares: 7 }, rng)).code).toBe('SHARE_TOO_FEW');
  });
});

describe('proactive refresh of a v2 set', () => {
  const rng = testRng('refresh-v2');
  const old = splitSecret(secret, { threshold: 3, shares: 5, version: 2 }, rng);
  const oldInfo = inspectShare(old[0]!);

  it('v2 → v2: same secret, same check value, new set id; old and new do not combine', () => {
    for (const target of [
      { threshold: 3, shares: 5 },
      { threshold: 2, shares: 3 },
      { threshold: 5, shares: 8 },
    ]) {
      const fresh = refreshShares(old.slice(1, 4), target, rng);
      const info = inspectShare(fresh[0]!);
      expect(info).toMatchObject({
        version: 2,
        threshold: target.threshold,
        shares: target.shares,
        secretLength: 32,
        check: oldInfo.check,
      });
      expect(info.setId).not.toBe(oldInfo.setId);
      expect(Array.from(combineShares(fresh.slice(-target.threshold), { setId: info.setId }))).toEqual(Array.from(secret));
      const mixed = [...fresh.slice(0, target.threshold - 1), old[0]!];
      expect((thrown(() => combineShares(mixed)) as ShareInvalidError).shares).toEqual(
        target.threshold === 2 ? [0, 1] : [target.threshold - 1],
      );
    }
  });

  it('a v1 set still refreshes to v1', () => {
    const v1 = splitSecret(secret, { threshold: 2, shares: 3 }, rng);
    const fresh = refreshShares(v1.slice(0, 2), { threshold: 2, shares: 3 }, rng);
    expect(inspectShare(fresh[0]!).version).toBe(1);
    expect(inspectShare(fresh[0]!).check).toBe(undefined);
    expect(Array.from(combineShares(fresh.slice(1)))).toEqual(Array.from(secret));
  });

  it('the distributed roles on v2: sub-shares of L + 32 bytes, commitments without nonces, the old check carried', () => {
    const participants = old.slice(0, 3);
    const plan = planRefresh(participants.map(inspectShare), { threshold: 2, shares: 4 }, rng);
    expect([plan.version, plan.check, plan.secretLength]).toEqual([2, oldInfo.check, 32]);
    const acc = plan.xs.map(() => new Uint8Array(64));
    for (const p of participants) refreshSubShares(plan, p, rng).forEach((sub, j) => addSubShare(acc[j]!, sub));
    const raws = plan.xs.map((x, j) => ({ x, y: acc[j]! }));
    const list = raws.map((r) => commitRawShareV2(r, 2, 4));
    const check = Uint8Array.from(Buffer.from(plan.check!, 'hex'));
    const fresh = raws.map((r) => encodeShareV2(r, 2, list, check));
    expect(Array.from(combineShares([fresh[3]!, fresh[1]!]))).toEqual(Array.from(secret));
    // A holder whose value is not the one committed to cannot encode.
    const off = { x: raws[0]!.x, y: raws[1]!.y };
    expect(thrown(() => encodeShareV2(off, 2, list, check)).message).toBe(
      `share #0 rejected: x = ${off.x} is not committed to in the set's commitments`,
    );
    // The wrong check value yields a set that verifies share by share but never combines.
    const wrong = check.slice();
    wrong[31] = wrong[31]! ^ 1;
    const bad = raws.map((r) => encodeShareV2(r, 2, list, wrong));
    expect(thrown(() => combineShares(bad.slice(0, 2))).message).toMatch(/inconsistent set \(faulty dealer\)$/);
  });
});
