/**
 * dudect campaigns for crypto/sharing/ (Shamir over GF(256)): the field multiply, split and combine, each
 * with a planted-leak control of the same shape — the textbook loop that exits when the secret operand's
 * bits run out (`while (b) { … }`), which is what the harness must flag — so that a quiet target means
 * something. Class 0 is a fixed input (all zero: the fastest case for a leaky implementation), class 1 a
 * random one.
 *
 * Self-contained: the structural types below match the harness's `TimingTarget` / `CampaignSpec`
 * (tests/adversarial/timing/dudect/), so the file does not depend on how the harness is laid out.
 * Exports: `sharingTargets(options)` (3 targets), `sharingControls(options)` (3 planted leaks, role
 * 'positive-control'), and the leaky functions themselves (`leakyGfMul`, `leakyCombine`, `leakySplit`).
 */
import { randomFillSync } from 'node:crypto';
import { gfMul } from '../../../crypto/sharing/gf256.js';
import { combineRaw, evaluateRandomPolynomials, lagrangeAtZero, type RawShare } from '../../../crypto/sharing/shamir.js';
import type { RandomSource } from '../../../crypto/drbg/random-source.js';

type SampleClass = 0 | 1;
export interface SharingTimingTarget<S> {
  allocate(): S;
  prepare(slot: S, cls: SampleClass): void;
  run(slot: S): unknown;
}
export interface SharingCampaign<O> {
  readonly id: string;
  readonly component: string;
  readonly file: string;
  readonly method: string;
  readonly role: 'target' | 'positive-control';
  readonly target: SharingTimingTarget<unknown>;
  readonly options: O;
}

const block = new Uint8Array(65_536);
let blockAt = block.length;
function randomInto(out: Uint8Array): void {
  if (blockAt + out.length > block.length) {
    randomFillSync(block);
    blockAt = 0;
  }
  out.set(block.subarray(blockAt, blockAt + out.length));
  blockAt += out.length;
}

/** Coefficients for split from a pre-filled buffer, so the generator's cost does not drown the field's. */
const cheapRng: RandomSource = {
  randomBytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    randomInto(out);
    return out;
  },
};

/** PLANTED LEAK: shift-and-add that stops when b runs out of bits (time ∝ bit length of b). */
export function leakyGfMul(a: number, b: number): number {
  let r = 0;
  let x = a;
  let y = b;
  while (y !== 0) {
    if (y & 1) r ^= x;
    x = (x << 1) ^ (x & 0x80 ? 0x11b : 0);
    y >>>= 1;
  }
  return r;
}

/** PLANTED LEAK: combine with the leaky multiply applied to the secret y bytes. */
export function leakyCombine(shares: readonly RawShare[]): Uint8Array {
  const lambda = lagrangeAtZero(shares.map((s) => s.x));
  const out = new Uint8Array((shares[0] as RawShare).y.length);
  shares.forEach((s, i) => {
    for (let j = 0; j < out.length; j++) out[j] = (out[j] as number) ^ leakyGfMul(lambda[i] as number, s.y[j] as number);
  });
  return out;
}

/** PLANTED LEAK: split whose Horner chain multiplies the secret byte by x with the leaky multiply. */
export function leakySplit(secret: Uint8Array, xs: readonly number[], coefficients: Uint8Array): Uint8Array[] {
  return xs.map((x) => {
    const y = new Uint8Array(secret.length);
    for (let j = 0; j < secret.length; j++) y[j] = leakyGfMul(x, secret[j] as number) ^ (coefficients[j] as number);
    return y;
  });
}

interface Pairs {
  readonly a: Uint8Array;
  readonly b: Uint8Array;
}
const PAIRS = 32;
function pairsTarget(mul: (a: number, b: number) => number): SharingTimingTarget<Pairs> {
  return {
    allocate: () => ({ a: new Uint8Array(PAIRS), b: new Uint8Array(PAIRS) }),
    prepare: (slot, cls) => {
      if (cls === 0) {
        slot.a.fill(0);
        slot.b.fill(0);
      } else {
        randomInto(slot.a);
        randomInto(slot.b);
      }
    },
    run: (slot) => {
      let acc = 0;
      for (let i = 0; i < PAIRS; i++) acc ^= mul(slot.a[i] as number, slot.b[i] as number);
      return acc;
    },
  };
}

const XS = [0x17, 0x8e, 0xc3] as const;
interface Secret32 {
  readonly s: Uint8Array;
  readonly c: Uint8Array;
}
function splitTarget(split: (slot: Secret32) => unknown): SharingTimingTarget<Secret32> {
  return {
    allocate: () => ({ s: new Uint8Array(32), c: new Uint8Array(32) }),
    prepare: (slot, cls) => {
      if (cls === 0) slot.s.fill(0);
      else randomInto(slot.s);
      randomInto(slot.c);
    },
    run: split,
  };
}

function combineTarget(combine: (shares: readonly RawShare[]) => unknown): SharingTimingTarget<RawShare[]> {
  return {
    allocate: () => XS.map((x) => ({ x, y: new Uint8Array(32) })),
    prepare: (slot, cls) => {
      // Class 0: the shares of the zero secret under zero coefficients (all y zero) — a valid set.
      for (const s of slot)
        if (cls === 0) s.y.fill(0);
        else randomInto(s.y);
    },
    run: combine,
  };
}

function campaign<S, O>(
  id: string,
  role: 'target' | 'positive-control',
  file: string,
  method: string,
  target: SharingTimingTarget<S>,
  options: O,
): SharingCampaign<O> {
  return {
    id,
    component: role === 'target' ? id : `positive control (planted leak): ${id}`,
    file,
    method,
    role,
    target: target as SharingTimingTarget<unknown>,
    options,
  };
}

export function sharingTargets<O>(options: O): SharingCampaign<O>[] {
  return [
    campaign(
      'sharing.gfMul',
      'target',
      'crypto/sharing/gf256.ts',
      `gfMul(a, b) × ${PAIRS}: a = b = 0 vs random`,
      pairsTarget(gfMul),
      options,
    ),
    campaign(
      'sharing.split',
      'target',
      'crypto/sharing/shamir.ts',
      'evaluateRandomPolynomials(secret32, k = 3, 3 x): secret = 0 vs random',
      splitTarget((slot) => evaluateRandomPolynomials(slot.s, 3, XS, cheapRng)),
      options,
    ),
    campaign(
      'sharing.combine',
      'target',
      'crypto/sharing/shamir.ts',
      'combineRaw(3 shares of 32 bytes): y = 0 vs random',
      combineTarget((shares) => combineRaw(shares)),
      options,
    ),
  ];
}

export function sharingControls<O>(options: O): SharingCampaign<O>[] {
  return [
    campaign(
      'control.leaky-gf-mul',
      'positive-control',
      'tests/adversarial/timing/sharing-targets.ts',
      `leakyGfMul(a, b) × ${PAIRS}: a = b = 0 vs random`,
      pairsTarget(leakyGfMul),
      options,
    ),
    campaign(
      'control.leaky-split',
      'positive-control',
      'tests/adversarial/timing/sharing-targets.ts',
      'leakySplit(secret32, 3 x): secret = 0 vs random',
      splitTarget((slot) => leakySplit(slot.s, XS, slot.c)),
      options,
    ),
    campaign(
      'control.leaky-combine',
      'positive-control',
      'tests/adversarial/timing/sharing-targets.ts',
      'leakyCombine(3 shares of 32 bytes): y = 0 vs random',
      combineTarget(leakyCombine),
      options,
    ),
  ];
}
