/**
 * Share format v2 (crypto/sharing/authenticated.ts header), vectors first: a 2-of-3 split of a 4-byte
 * secret from a scripted RandomSource, its check value and every share rebuilt independently here from
 * the spelled-out layout — a bit-by-bit GF(256) multiply and @noble/hashes' sha3_256 — and pinned as hex.
 */
import { sha3_256 } from '@noble/hashes/sha3.js';
import { describe, expect, it } from 'vitest';
import { checkValue, combineShares, inspectShare, sealShares, splitSecret } from '../../../crypto/sharing/authenticated.js';
import { thrown } from '../../helpers/thrown.js';
import { scriptedRng } from './helpers.js';

const secret = Uint8Array.of(0x01, 0x08, 0x0f, 0x16);
const r = Uint8Array.from({ length: 32 }, (_, i) => (0xa0 + i) & 0xff);
// drawXs(3) reads 3 bytes: 4 → x = 5 (swapped with 1), 0 → x = 2, 0 → x = 3.
const xBytes = [4, 0, 0];
// One coefficient per byte of s ‖ r (k − 1 = 1 of them).
const coefficients = Array.from({ length: 36 }, (_, i) => (i * 29 + 3) & 0xff);
const script = [...r, ...xBytes, ...coefficients];

/** GF(2^8) with x^8 + x^4 + x^3 + x + 1, bit by bit (the textbook definition, not the code under test). */
function mul(a: number, b: number): number {
  let p = 0;
  for (let i = 0; i < 8; i++) {
    if (b & (1 << i)) p ^= a << i;
  }
  for (let i = 14; i >= 8; i--) if (p & (1 << i)) p ^= 0x11b << (i - 8);
  return p;
}

const lp = (s: string): number[] => [0, 0, 0, s.length, ...Buffer.from(s)];
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** The whole v2 set, from the layout in the header. */
function expectedSet(): { check: Uint8Array; shares: Uint8Array[] } {
  const sr = [...secret, ...r];
  const L = [0, secret.length];
  const check = sha3_256(Uint8Array.from([...lp('hrng/sharing/v2/check'), ...L, ...sr]));
  const xs = [5, 2, 3];
  const ys = xs.map((x) => sr.map((b, i) => b ^ mul(coefficients[i] as number, x)));
  const cs = xs.map((x, j) => sha3_256(Uint8Array.from([...lp('hrng/sharing/v2/share'), 2, 2, 3, ...L, x, ...(ys[j] as number[])])));
  const list = xs.flatMap((x, j) => [x, ...(cs[j] as Uint8Array)]);
  const setId = sha3_256(Uint8Array.from([...lp('hrng/sharing/v2/set'), 2, 2, 3, ...L, ...check, ...list])).subarray(0, 16);
  const shares = xs.map((x, j) =>
    Uint8Array.from([...Buffer.from('HRSS'), 2, 2, 3, x, ...setId, ...L, ...check, ...(ys[j] as number[]), ...list]),
  );
  return { check, shares };
}

// Recorded from the independent computation above (and equal to the code's output).
const CHECK_HEX = 'ccf629eec590535e6ec8275c528b974ce8afffb0cc73e010ca676fdf43b817b1';
const SHARE0_HEX =
  '485253530202030533eba7d44e50181807036ae62949390b0004ccf629eec590535e6ec8275c528b974ce8afffb0cc73e010ca676fdf43b817b10ea8c63f1053e178ce8d17f6903e61f31eb0972df05e0163d520baed2bde6c13a5503a800568fb572a366427920d1bc1661a01ad6c98828539c3b0dee8d247765c18042b6d0295638ec4d9647a94fae091371b4519326eb313057accdf1af4065cd747aaf8e7033ea86f7cab1ed255f1ea99b929526e1414778b844733083199f2007ca9d903d5';

describe('share format v2: vectors', () => {
  const made = splitSecret(secret, { threshold: 2, shares: 3, version: 2 }, scriptedRng(script));
  const want = expectedSet();

  it('the check value is SHA3-256(lp("hrng/sharing/v2/check") ‖ L ‖ s ‖ r)', () => {
    expect(hex(checkValue(Uint8Array.from([...secret, ...r])))).toBe(hex(want.check));
    expect(hex(want.check)).toBe(CHECK_HEX);
  });

  it('every share is byte for byte the spelled-out layout', () => {
    expect(made.map(hex)).toEqual(want.shares.map(hex));
    expect(hex(want.shares[0] as Uint8Array)).toBe(SHARE0_HEX);
    // 58 header bytes (the check at 26..58), y of L + 32, then n × 33.
    expect((made[0] as Uint8Array).length).toBe(58 + 36 + 3 * 33);
  });

  it('inspect: version 2, L (not L + 32), the check; any 2 combine', () => {
    expect(inspectShare(made[1] as Uint8Array)).toEqual({
      version: 2,
      threshold: 2,
      shares: 3,
      x: 2,
      setId: hex((made[1] as Uint8Array).subarray(8, 24)),
      secretLength: 4,
      check: hex(want.check),
    });
    for (const [a, b] of [
      [0, 1],
      [2, 0],
      [1, 2],
    ])
      expect(Array.from(combineShares([made[a as number] as Uint8Array, made[b as number] as Uint8Array]))).toEqual(Array.from(secret));
  });

  it('v2 asks its RandomSource for r, then x, then the coefficients, and for no nonces', () => {
    // The script holds exactly r, 3 x bytes and 36 coefficient bytes: one byte more would be left over,
    // one less would throw.
    expect(() => splitSecret(secret, { threshold: 2, shares: 3, version: 2 }, scriptedRng(script.slice(0, -1)))).toThrow(
      'scripted randomness ran out',
    );
  });

  it('sealShares v2 needs the check value; versions other than 1 and 2 are refused', () => {
    const raw = [
      { x: 1, y: new Uint8Array(33) },
      { x: 2, y: new Uint8Array(33) },
    ];
    const rng = scriptedRng([]);
    expect(thrown(() => sealShares(raw, 2, rng, { version: 2 })).message).toBe('options.check must be a Uint8Array, got undefined');
    expect(thrown(() => splitSecret(secret, { threshold: 2, shares: 3, version: 3 as 2 }, rng)).message).toBe(
      'options.version must be within 1..2, got 3',
    );
  });
});
