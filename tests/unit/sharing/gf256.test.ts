/**
 * GF(256) arithmetic: FIPS 197 §4.2 worked examples, then every product and every inverse against a
 * schoolbook carry-less multiply with reduction by 0x11b.
 */
import { describe, expect, it } from 'vitest';
import { gfDiv, gfInv, gfMul, gfMulWord } from '../../../crypto/sharing/gf256.js';

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
});
