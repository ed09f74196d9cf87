/**
 * The discrete Fourier transform of a real sequence of any length n, for the spectral test
 * (SP 800-22 Rev. 1a §2.6). NIST's STS uses a mixed-radix real FFT (FFTPACK's drfft); here Bluestein's
 * chirp-z identity turns a length-n DFT into a cyclic convolution of power-of-two length M ≥ 2n − 1,
 * computed with fft.js (a radix-4 FFT). Error grows like log M · ε·‖x‖; for n = 10^6 the moduli are off by
 * ~1e-8 relative, far below what could move one across the test's threshold except in a measure-zero
 * tie (the Appendix B P-value for e is reproduced exactly).
 *
 * The chirp and the transform of the convolution kernel depend on n only and are cached for the last n
 * (a battery run tests many sequences of one length).
 */
import FFT from 'fft.js';

interface Plan {
  readonly n: number;
  readonly m: number;
  readonly fft: FFT;
  /** w_k = e^(−iπk²/n), interleaved. */
  readonly chirp: Float64Array;
  /** FFT of the kernel b_k = conj(w_k), wrapped. */
  readonly kernel: Float64Array;
}

let cached: Plan | undefined;

function plan(n: number): Plan {
  if (cached?.n === n) return cached;
  let m = 2;
  while (m < 2 * n - 1) m *= 2;
  const fft = new FFT(m);
  const chirp = new Float64Array(2 * n);
  const twoN = 2 * n;
  for (let k = 0; k < n; k++) {
    // k² mod 2n keeps the angle small and exact (k² < 2^53 for every n this is used with).
    const angle = (Math.PI * ((k * k) % twoN)) / n;
    chirp[2 * k] = Math.cos(angle);
    chirp[2 * k + 1] = -Math.sin(angle);
  }
  const b = new Float64Array(2 * m);
  b[0] = chirp[0] as number;
  b[1] = -(chirp[1] as number);
  for (let k = 1; k < n; k++) {
    const re = chirp[2 * k] as number;
    const im = -(chirp[2 * k + 1] as number);
    b[2 * k] = re;
    b[2 * k + 1] = im;
    b[2 * (m - k)] = re;
    b[2 * (m - k) + 1] = im;
  }
  const kernel = new Float64Array(2 * m);
  fft.transform(kernel, b);
  cached = { n, m, fft, chirp, kernel };
  return cached;
}

/**
 * |X_k| for k = 0..count−1 of the DFT X_k = Σ_j x_j e^(−2πijk/n) of the real sequence `x`.
 */
export function dftModuli(x: Float64Array, count: number): Float64Array {
  const n = x.length;
  const p = plan(n);
  const a = new Float64Array(2 * p.m);
  for (let k = 0; k < n; k++) {
    const v = x[k] as number;
    a[2 * k] = v * (p.chirp[2 * k] as number);
    a[2 * k + 1] = v * (p.chirp[2 * k + 1] as number);
  }
  const fa = new Float64Array(2 * p.m);
  p.fft.transform(fa, a);
  const kernel = p.kernel;
  for (let i = 0; i < p.m; i++) {
    const ar = fa[2 * i] as number;
    const ai = fa[2 * i + 1] as number;
    const br = kernel[2 * i] as number;
    const bi = kernel[2 * i + 1] as number;
    fa[2 * i] = ar * br - ai * bi;
    fa[2 * i + 1] = ar * bi + ai * br;
  }
  p.fft.inverseTransform(a, fa);
  const out = new Float64Array(count);
  // X_k = w_k · conv_k; |w_k| = 1, so the modulus is that of the convolution.
  for (let k = 0; k < count; k++) out[k] = Math.hypot(a[2 * k] as number, a[2 * k + 1] as number);
  return out;
}
