/**
 * GF(256) arithmetic: FIPS 197 §4.2 worked examples, then every product and every inverse against a
 * schoolbook carry-less multiply with reduction by 0x11b.
 */
import { describe, expect, it } from 'vitest';
import { gfDiv, gfInv, gfInvLanes, gfMul, gfMulLanes, gfMulWord } from '../../../crypto/sharing/gf256.js';

function schoolbook(a: number, b: number): number {
  let p = 0;
  for (let i = 0; i < 8; i++) if ((b >> i) & 1) p ^= a << i;
  for (let bit = 14; bit >= 8; bit--) if ((p >> bit) & 1) p ^= 0x11b << (bit - 8);
  return p;
}

describe('GF(256)', () => {
  it('FIPS 197 §4.2: {57}·{83} = {c1}, {57}·{13} = {fe}; §5.1.1: {53}^-1 = {ca}', () => {
    expect(gfMul(0x57, 0x83)).toBe(0xc1);
    expect(gfMul(0x57, 0x13)).toBe(0xfe);
    expect(gfInv(0x53)).toBe(0xca);
    expect(gfInv(0)).toBe(0);
  });

  it('every product of two bytes matches the schoolbook multiply', () => {
    let mismatches = 0;
    for (let a = 0; a < 256; a++) for (let b = 0; b < 256; b++) if (gfMul(a, b) !== schoolbook(a, b)) mismatches++;
    expect(mismatches).toBe(0);
  });

  it('every non-zero byte times its inverse is 1, and division undoes multiplication', () => {
    const bad: number[] = [];
    for (let a = 1; a < 256; a++) {
      if (gfMul(a, gfInv(a)) !== 1) bad.push(a);
      if (gfDiv(gfMul(a, 0x9d), 0x9d) !== a) bad.push(a);
    }
    expect(bad).toEqual([]);
  });

  it('the packed form multiplies four lanes independently', () => {
    const lanes = [0x00, 0x80, 0xff, 0x57];
    for (const c of [0, 1, 2, 0x83, 0xff]) {
      const word = lanes[0]! | (lanes[1]! << 8) | (lanes[2]! << 16) | (lanes[3]! << 24);
      const r = gfMulWord(word, c);
      expect([r & 0xff, (r >>> 8) & 0xff, (r >>> 16) & 0xff, (r >>> 24) & 0xff]).toEqual(lanes.map((l) => schoolbook(l, c)));
    }
  });
  it('the lane forms: every pair of bytes multiplied in every lane, every byte inverted in every lane', () => {
    const wrong: string[] = [];
    for (let a = 0; a < 256; a++) {
      for (let b = 0; b < 256; b += 4) {
        // Lane t multiplies a (rotated per lane) by b + t.
        const as = [a, a ^ 0x5a, (a + 77) & 0xff, a ^ 0xff];
        const x = as.reduce((w, v, t) => w | (v << (8 * t)), 0);
        const y = b | ((b + 1) << 8) | ((b + 2) << 16) | ((b + 3) << 24) | 0;
        const got = gfMulLanes(x, y);
        for (let t = 0; t < 4; t++) if (((got >>> (8 * t)) & 0xff) !== schoolbook(as[t] as number, b + t)) wrong.push(`${a}·${b + t}`);
      }
      const inv = gfInvLanes(a | ((a ^ 1) << 8) | ((255 - a) << 16) | ((a ^ 0x80) << 24) | 0);
      const want = [a, a ^ 1, 255 - a, a ^ 0x80].map(gfInv);
      for (let t = 0; t < 4; t++) if (((inv >>> (8 * t)) & 0xff) !== want[t]) wrong.push(`inv ${a} lane ${t}`);
    }
    expect(wrong).toEqual([]);
  });
});
