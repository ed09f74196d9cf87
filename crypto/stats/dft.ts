/**
 * SP 800-22 Rev. 1a §2.6: discrete Fourier transform (spectral). X = 2ε − 1, moduli of the first n/2 DFT
 * coefficients (k = 0..n/2 − 1, as STS 2.1.2 counts them: the DC term in, the Nyquist term out), threshold
 * T = √(ln(1/0.05)·n) (STS's constant 2.995732274), N_0 = 0.95·n/2, d = (N_1 − N_0)/√(n·0.95·0.05/4),
 * P = erfc(|d|/√2). The transform is Bluestein over a power-of-two FFT (./fft.ts), for any n.
 */
import type { Bits } from './bits.js';
import { dftModuli } from './fft.js';
import { applicable, notApplicable, type StsResult } from './result.js';
import { erfc } from './special.js';

export function dftTest(bits: Bits): StsResult {
  const n = bits.length;
  if (n < 2) return notApplicable('dft', `n = ${n} < 2`);
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = 2 * (bits[i] as number) - 1;
  const half = Math.floor(n / 2);
  const moduli = dftModuli(x, half);
  const threshold = Math.sqrt(2.995732274 * n);
  let below = 0;
  for (let i = 0; i < half; i++) if ((moduli[i] as number) < threshold) below++;
  const expected = (0.95 * n) / 2;
  const d = (below - expected) / Math.sqrt((n / 4) * 0.95 * 0.05);
  return applicable('dft', [erfc(Math.abs(d) / Math.SQRT2)], ['']);
}
