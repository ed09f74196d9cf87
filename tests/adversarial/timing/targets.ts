/**
 * What the timing gate measures, as dudect campaigns: class 0 is a fixed input, class 1 a random one.
 * For a comparison the fixed input is the one that matches the secret (so a leaky comparison runs to the
 * end) and the random one almost surely differs at the first byte (so a leaky comparison exits at once).
 * For a keyed computation (HKDF-Expand, HMAC_DRBG) the classes are the secret itself: one fixed secret
 * versus fresh random secrets of the same length.
 */
import { randomFillSync } from 'node:crypto';
import * as ct from '../../../crypto/ct/index.js';
import { HmacDrbg } from '../../../crypto/drbg/hmac-drbg.js';
import { hkdfExpand } from '../../../crypto/kdf/hkdf.js';
import type { HashName } from '../../../crypto/hash.js';
import { hmac, hmacVerify } from '../../../crypto/mac/hmac.js';
import { Secret } from '../../../crypto/secret/index.js';
import type { CampaignSpec, Role } from './dudect/report.js';
import type { MeasureOptions, TimingTarget } from './dudect/measure.js';

const fixedBytes = (n: number, seed: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 131 + seed) & 0xff);

// Random bytes for class-1 inputs, drawn from the OS in 64 KiB blocks: one randomFillSync per slot
// would make preparation, not measurement, the cost of a campaign.
const pool = new Uint8Array(65_536);
let poolOffset = pool.length;
function randomInto(out: Uint8Array): void {
  if (poolOffset + out.length > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  out.set(pool.subarray(poolOffset, poolOffset + out.length));
  poolOffset += out.length;
}

interface Bytes {
  readonly a: Uint8Array;
}

/** A slot of `n` bytes: the fixed value for class 0, random bytes for class 1. */
function bytesTarget(n: number, fixed: Uint8Array, run: (slot: Bytes) => unknown): TimingTarget<Bytes> {
  return {
    allocate: () => ({ a: new Uint8Array(n) }),
    prepare: (slot, cls) => {
      if (cls === 0) slot.a.set(fixed);
      else randomInto(slot.a);
    },
    run,
  };
}

/** The planted leak: the comparison everybody writes first, exiting at the first differing byte. */
export function earlyExitEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

type Spec = CampaignSpec<unknown>;

const HASH_LABEL: Readonly<Record<HashName, string>> = { sha256: 'SHA-256', sha512: 'SHA-512', 'sha3-512': 'SHA3-512' };

function spec<S>(
  id: string,
  component: string,
  file: string,
  method: string,
  role: Role,
  target: TimingTarget<S>,
  options: MeasureOptions,
): Spec {
  return { id, component, file, method, role, target: target as TimingTarget<unknown>, options };
}

export function controls(options: MeasureOptions): Spec[] {
  // 512 bytes: the early exit saves ~500 loop iterations, a leak no amount of noise hides.
  const secret = fixedBytes(512, 7);
  return [
    spec(
      'control.early-exit-equal',
      'positive control (planted leak)',
      'tests/adversarial/timing/targets.ts',
      'earlyExitEqual(secret512, x): x = secret vs random',
      'positive-control',
      bytesTarget(512, secret, (s) => earlyExitEqual(secret, s.a)),
      options,
    ),
    spec(
      'control.ct-equal-512',
      'negative control',
      'crypto/ct/equal.ts',
      'ct.equal(secret512, x): x = secret vs random',
      'negative-control',
      bytesTarget(512, secret, (s) => ct.equal(secret, s.a)),
      options,
    ),
  ];
}

export function ctTargets(options: MeasureOptions): Spec[] {
  const secret = fixedBytes(32, 1);
  const zero = new Uint8Array(32);
  const other = fixedBytes(32, 99);
  interface Choice {
    c: number;
  }
  const bit = new Uint8Array(1);
  const selectTarget: TimingTarget<Choice> = {
    allocate: () => ({ c: 0 }),
    prepare: (slot, cls) => {
      randomInto(bit);
      slot.c = cls === 0 ? 1 : (bit[0] as number) & 1;
    },
    run: (slot) => ct.select(slot.c, secret, other),
  };
  return [
    spec('ct.equal', 'ct.equal', 'crypto/ct/equal.ts', 'equal(secret32, x): x = secret vs random', 'target',
      bytesTarget(32, secret, (s) => ct.equal(secret, s.a)), options),
    spec('ct.compare', 'ct.compare', 'crypto/ct/compare.ts', 'compare(secret32, x): x = secret vs random', 'target',
      bytesTarget(32, secret, (s) => ct.compare(secret, s.a)), options),
    spec('ct.isZero', 'ct.isZero', 'crypto/ct/is-zero.ts', 'isZero(x): x = 32 zero bytes vs random', 'target',
      bytesTarget(32, zero, (s) => ct.isZero(s.a)), options),
    spec('ct.select', 'ct.select', 'crypto/ct/select.ts', 'select(c, a32, b32): c = 1 vs random bit', 'target',
      selectTarget, options),
  ];
}

export function secretTargets(options: MeasureOptions): Spec[] {
  const fixed = fixedBytes(32, 3);
  const mine = Secret.from(fixed.slice());
  const target: TimingTarget<Secret> = {
    allocate: () => Secret.from(new Uint8Array(32)),
    prepare: (slot, cls) =>
      slot.use((b) => {
        if (cls === 0) b.set(fixed);
        else randomInto(b);
      }),
    run: (slot) => mine.equals(slot),
  };
  return [
    spec('secret.equals', 'Secret.equals', 'crypto/secret/secret.ts', 'secret32.equals(x): x = same bytes vs random',
      'target', target, options),
  ];
}

export function macTargets(options: MeasureOptions): Spec[] {
  const key = Secret.from(fixedBytes(32, 5));
  const message = fixedBytes(64, 11);
  return (['sha256', 'sha3-512'] as const satisfies readonly HashName[]).map((hash) => {
    const tag = hmac(hash, key, message);
    return spec(
      `mac.hmacVerify.${hash}`,
      `hmacVerify (HMAC-${HASH_LABEL[hash]})`,
      'crypto/mac/hmac.ts',
      `hmacVerify(${hash}, key, msg64, tag): tag = correct vs random`,
      'target',
      bytesTarget(tag.length, tag, (s) => hmacVerify(hash, key, message, s.a)),
      options,
    );
  });
}

export function kdfTargets(options: MeasureOptions): Spec[] {
  const info = fixedBytes(20, 19);
  return (['sha256', 'sha3-512'] as const satisfies readonly HashName[]).map((hash) => {
    const prkLength = hash === 'sha256' ? 32 : 64;
    const fixed = fixedBytes(prkLength, 23);
    return spec(
      `kdf.hkdfExpand.${hash}`,
      `HKDF-Expand (${HASH_LABEL[hash]})`,
      'crypto/kdf/hkdf.ts',
      `hkdfExpand(${hash}, prk${prkLength}, info20, 64): prk = fixed vs random`,
      'target',
      bytesTarget(prkLength, fixed, (s) => hkdfExpand(hash, s.a, info, 64)),
      options,
    );
  });
}

export function drbgTargets(options: MeasureOptions): Spec[] {
  const nonce = fixedBytes(16, 13);
  const fixedEntropy = fixedBytes(48, 17);
  interface DrbgSlot {
    drbg: HmacDrbg | undefined;
    readonly entropy: Uint8Array;
  }
  return (['sha512', 'sha3-512'] as const satisfies readonly HashName[]).map((hash) => {
    const target: TimingTarget<DrbgSlot> = {
      allocate: () => ({ drbg: undefined, entropy: new Uint8Array(48) }),
      prepare: (slot, cls) => {
        if (cls === 0) slot.entropy.set(fixedEntropy);
        else randomInto(slot.entropy);
        slot.drbg = new HmacDrbg({ hash, entropy: slot.entropy, nonce });
      },
      run: (slot) => (slot.drbg as HmacDrbg).generate(64),
    };
    return spec(
      `drbg.generate.${hash}`,
      `HmacDrbg.generate (${HASH_LABEL[hash]})`,
      'crypto/drbg/hmac-drbg.ts',
      `generate(64) from state instantiated with entropy = fixed vs random`,
      'target',
      target,
      options,
    );
  });
}
