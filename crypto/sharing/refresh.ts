/**
 * Proactive refresh and redistribution of Shamir shares (Desmedt & Jajodia 1997, "Redistributing secret
 * shares to new access structures"; the same construction as Wong, Wang & Wing 2002 without their
 * verifiability): new shares of the same secret, for the same or a different (k′, n′), computed without
 * the secret ever existing in one place.
 *
 * With old participants P (|P| ≥ k, the old shares y_i at x_i) and λ_i their Lagrange coefficients at 0,
 * the secret is s = Σ λ_i·y_i. Each old holder i deals its term λ_i·y_i with a fresh random polynomial g_i of
 * degree k′ − 1 and sends g_i(x′_j) to new holder j (privately). New holder j's share is
 * y′_j = Σ_i g_i(x′_j): the values at x′_j of G = Σ g_i, whose constant term is s. Nobody computes s; each
 * old holder only ever handles its own share; each new holder only sums what it receives. The new set has
 * new x's, new nonces and commitments, so a new set id: old shares and new ones do not combine (the
 * authenticated format rejects the mix), and k − 1 old shares plus k′ − 1 new ones still reveal nothing
 * about s, because every g_i is fresh.
 *
 * `refreshEach` runs all roles in one process, asking for one old share at a time and zeroing it before the
 * next (the aggregator unwraps each from its ciphertext just then — docs/quorum.md says what that does and
 * does not protect); `refreshShares` is the same over shares in hand. `planRefresh`, `refreshSubShares`,
 * `addSubShare` and `commitRawShare`/`encodeShare` (v1) or `commitRawShareV2`/`encodeShareV2` (v2) are the
 * roles for a distributed run.
 *
 * Formats (authenticated.ts): a refresh keeps the old set's format. A v2 set shares s ‖ r, so each old
 * holder deals λ_i·y_i of L + 32 bytes, and the new set shares the same s ‖ r: it carries the old set's
 * check value unchanged (check covers neither k, n nor the set id for this reason) under a new set id.
 */
import { assert } from '../assert.js';
import type { RandomSource } from '../drbg/random-source.js';
import {
  checkShareSet,
  sealShares,
  verifyShareSet,
  type SealOptions,
  type ShareFormatVersion,
  type ShareInfo,
  type SplitOptions,
} from './authenticated.js';
import { ShareInvalidError, ShareTooFewError } from './errors.js';
import { checkXs, drawXs, evaluateRandomPolynomials, lagrangeAtZero, scaleBytes, type RawShare } from './shamir.js';

export interface RefreshPlan {
  /** The old set. */
  readonly fromSetId: string;
  /** x of each old share taking part (at least the old k). */
  readonly from: readonly number[];
  /** k′ and the new x's (n′ of them). */
  readonly threshold: number;
  readonly xs: readonly number[];
  readonly secretLength: number;
  /** The old (and so the new) set's format. */
  readonly version: ShareFormatVersion;
  /** v2: the set's check value (hex), which the new set carries unchanged. */
  readonly check?: string;
}

/** The bytes of y in a share of `plan`'s sets: L, or L + 32 for v2 (a share of s ‖ r). */
export function planShareLength(plan: RefreshPlan): number {
  return plan.secretLength + (plan.version === 2 ? 32 : 0);
}

/** A plan from the participating old shares' public infos: new x's drawn from `rng`. */
export function planRefresh(participants: readonly ShareInfo[], target: SplitOptions, rng: RandomSource): RefreshPlan {
  assert.record(target, 'target');
  assert.integer(target.threshold, 'target.threshold', { min: 2, max: 255 });
  assert.integer(target.shares, 'target.shares', { min: target.threshold, max: 255 });
  const first = participants[0];
  if (first === undefined) return assert.integer(0, 'participants.length', { min: 1 }) as never;
  participants.forEach((p, i) => {
    if (p.setId !== first.setId) throw new ShareInvalidError([i], `not of share set ${first.setId}`);
  });
  const from = participants.map((p) => p.x);
  checkXs(from, first.threshold, 'participants[].x');
  const version: ShareFormatVersion = first.version === 2 ? 2 : 1;
  const plan = {
    fromSetId: first.setId,
    from,
    threshold: target.threshold,
    xs: drawXs(target.shares, rng),
    secretLength: first.secretLength,
  };
  return first.check === undefined ? { ...plan, version } : { ...plan, version, check: first.check };
}

/**
 * Old holder's role: g_i(x′_j) for every new x′_j, where g_i(0) = λ_i·y_i. `share` must be one of the
 * plan's participants (checked against its commitment). The results are secret: one per new holder.
 */
export function refreshSubShares(plan: RefreshPlan, share: Uint8Array, rng: RandomSource): Uint8Array[] {
  const { info, raw } = checkShareSet([share], { setId: plan.fromSetId });
  const at = plan.from.indexOf(info.x);
  if (at < 0) throw new ShareInvalidError([0], `x = ${info.x} is not a participant of this refresh`);
  const lambda = lagrangeAtZero(plan.from)[at] as number;
  const term = scaleBytes((raw[0] as RawShare).y, lambda);
  try {
    return evaluateRandomPolynomials(term, plan.threshold, plan.xs, rng);
  } finally {
    term.fill(0);
  }
}

/** New holder's role: acc ⊕= sub (addition in GF(256)); returns acc. */
export function addSubShare(acc: Uint8Array, sub: Uint8Array): Uint8Array {
  assert.bytes(sub, 'sub', { length: acc.length });
  for (let i = 0; i < acc.length; i++) acc[i] = (acc[i] as number) ^ (sub[i] as number);
  return acc;
}

/**
 * All roles in one process, holding one old share at a time: new authenticated shares, for `target`, of
 * the secret behind the old shares named by `participants` (their public infos, one set, exactly its k).
 * `open(i)` is asked once for participant i's share — the caller may unwrap it from ciphertext just then
 * — and that buffer is zeroed here as soon as its sub-shares are added into the new holders'
 * accumulators, before the next is asked for. So neither the secret nor two old shares are ever in memory
 * together (what is: the n′ new accumulators, which the caller then holds as the new shares). A share
 * that is not the participant it was asked for is SHARE_INVALID naming that participant.
 */
export function refreshEach(
  participants: readonly ShareInfo[],
  open: (index: number) => Uint8Array,
  target: SplitOptions,
  rng: RandomSource,
): Uint8Array[] {
  const k = participants[0]?.threshold;
  if (k !== undefined && participants.length < k) throw new ShareTooFewError(participants.length, k);
  if (k !== undefined && participants.length > k)
    throw new ShareInvalidError(
      participants.map((_, i) => i),
      `a refresh takes exactly k = ${k} participants, not ${participants.length}`,
    );
  const plan = planRefresh(participants, target, rng);
  const acc = plan.xs.map(() => new Uint8Array(planShareLength(plan)));
  // v2: the check value, read from the opened shares (their set id, checked against the plan's, binds it).
  let check: Uint8Array | undefined;
  try {
    participants.forEach((p, i) => {
      const share = open(i);
      try {
        const { info } = checkShareSet([share], { setId: plan.fromSetId });
        if (info.check !== undefined) check = Uint8Array.from(Buffer.from(info.check, 'hex'));
        if (info.x !== p.x) throw new ShareInvalidError([i], `opened the share at x = ${info.x}, participant ${i} is x = ${p.x}`);
        const subs = refreshSubShares(plan, share, rng);
        subs.forEach((sub, j) => {
          addSubShare(acc[j] as Uint8Array, sub);
          sub.fill(0);
        });
      } finally {
        share.fill(0);
      }
    });
    const seal: SealOptions = plan.version === 2 ? { version: 2, ...(check === undefined ? {} : { check }) } : {};
    return sealShares(
      plan.xs.map((x, j) => ({ x, y: acc[j] as Uint8Array })),
      plan.threshold,
      rng,
      seal,
    );
  } finally {
    for (const a of acc) a.fill(0);
  }
}

/**
 * All roles in one process: new authenticated shares of the secret behind `oldShares` (one set, at least
 * its k; the first k are used), for `target`, through refreshEach (the caller's buffers are copied and
 * left as they are).
 */
export function refreshShares(oldShares: readonly Uint8Array[], target: SplitOptions, rng: RandomSource): Uint8Array[] {
  const { info } = verifyShareSet(oldShares);
  const used = oldShares.slice(0, info.threshold);
  const infos = used.map((s) => checkShareSet([s], { setId: info.setId }).info);
  return refreshEach(infos, (i) => (used[i] as Uint8Array).slice(), target, rng);
}
