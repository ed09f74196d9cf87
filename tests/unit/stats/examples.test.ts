/**
 * SP 800-22 Rev. 1a §2.x.8 worked examples on short inputs (the 100-bit expansion of π used by §2.1–2.3,
 * 2.6, 2.12, 2.13 and the 128-bit input of §2.4). Where an example's printed value is not what its own
 * formula gives, the test pins the computed value and docs/stats.md says why.
 */
import { describe, expect, it } from 'vitest';
import { bitsFromAscii } from '../../../crypto/stats/bits.js';
import { runBattery } from '../../../crypto/stats/battery.js';
import type { StsTestName } from '../../../crypto/stats/result.js';
import { approximateEntropyTest, serialTest } from '../../../crypto/stats/serial.js';
import { blockFrequencyTest } from '../../../crypto/stats/frequency.js';

const PI100 = bitsFromAscii(
  new TextEncoder().encode('1100100100001111110110101010001000100001011010001100001000110100110001001100011001100010100010111000'),
);
const EX128 = bitsFromAscii(
  new TextEncoder().encode(
    '11001100000101010110110001001100111000000000001001001101010100010001001111010110100000001101011111001100111001101101100010110010',
  ),
);

const one = (test: StsTestName, bits: Uint8Array): number[] => [...(runBattery(bits, { tests: [test] })[0]?.pValues ?? [])];

describe('§2 examples', () => {
  it('inputs have the documented lengths', () => {
    expect([PI100.length, EX128.length]).toEqual([100, 128]);
  });
  it('§2.1.8 frequency: 0.109599', () => expect(one('frequency', PI100)[0]?.toFixed(6)).toBe('0.109599'));
  it('§2.2.8 block frequency, M = 10: 0.706438', () => expect(blockFrequencyTest(PI100, 10).pValues[0]?.toFixed(6)).toBe('0.706438'));
  it('§2.3.8 runs: 0.500798', () => expect(one('runs', PI100)[0]?.toFixed(6)).toBe('0.500798'));
  it('§2.4.8 longest run, M = 8: 0.180609 (with the §2.4.4 class probabilities STS uses)', () => {
    expect(one('longest-run', EX128)[0]?.toFixed(6)).toBe('0.180609');
  });
  it('§2.6.8 DFT: printed 0.168669 (N1 = 46); the formula with T = √(n ln 20) counts N1 = 48 (P = 0.646355)', () => {
    expect(one('dft', PI100)[0]?.toFixed(6)).toBe('0.646355');
  });
  it('§2.12.8 approximate entropy, m = 2: 0.235301', () =>
    expect(approximateEntropyTest(PI100, 2).pValues[0]?.toFixed(6)).toBe('0.235301'));
  it('§2.13.8 cumulative sums forward: 0.219194', () => expect(one('cumulative-sums', PI100)[0]?.toFixed(6)).toBe('0.219194'));
  it('§2.11.4 serial on 0011011101, m = 3: 0.808792, 0.670320', () => {
    const bits = bitsFromAscii(new TextEncoder().encode('0011011101'));
    expect(serialTest(bits, 3).pValues.map((p) => p.toFixed(6))).toEqual(['0.808792', '0.670320']);
  });
});
