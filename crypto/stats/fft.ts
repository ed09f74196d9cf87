/**
 * The discrete Fourier transform of a real sequence of any length n, for the spectral test
 * (SP 800-22 Rev. 1a §2.6). NIST's STS uses a mixed-radix real FFT (FFTPACK's drfft). Here lengths of
 * the form 2^a·3^b·5^c (10^6 among them) use the mixed-radix FFT of ./mixed-radix.ts; any other length
 * goes through Bluestein's chirp-z identity, a cyclic convolution of power-of-two length M ≥ 2n − 1
 * computed with fft.js (a radix-4 FFT). Error grows like log M · ε·‖x‖; for n = 10^6 the moduli are off by
 * ~1e-8 relative, far below what could move one across the test's threshold except in a measure-zero
 * tie (the Appendix B P-value for e is reproduced exactly).
 *
 * A real input of even length n is transformed as n/2 complex points (so M ≥ n − 1: 2^20 for n = 10^6).
 * The chirp and the transform of the convolution kernel depend on n only and are cached for the last n
 * (a battery run tests many sequences of one length). fft.js (CommonJS) is required on first use, so
 * importing the package root does not load it.
 */
import { createRequire } from 'node:module';
import type FFT from 'fft.js';
import { factors, mixedRadixFft } from './mixed-radix.js';

const load = createRequire(import.meta.url);
let FftClass: typeof FFT | undefined;

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
  FftClass ??= load('fft.js') as typeof FFT;
  const fft = new FftClass(m);
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
 * The DFT of the complex sequence `z` (interleaved re/im, length n), by Bluestein: returns the
 * convolution buffer, whose first n entries times the chirp w_k are Z_k.
 */
function bluestein(z: Float64Array, n: number): { readonly conv: Float64Array; readonly chirp: Float64Array } {
  const p = plan(n);
  const a = new Float64Array(2 * p.m);
  for (let k = 0; k < n; k++) {
    const re = z[2 * k] as number;
    const im = z[2 * k + 1] as number;
    const cr = p.chirp[2 * k] as number;
    const ci = p.chirp[2 * k + 1] as number;
    a[2 * k] = re * cr - im * ci;
    a[2 * k + 1] = re * ci + im * cr;
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
  return { conv: a, chirp: p.chirp };
}

/** The DFT of the interleaved complex sequence `z` of n points: mixed radix when n = 2^a·3^b·5^c, else Bluestein. */
export function complexDft(z: Float64Array, n: number): Float64Array {
  if (factors(n)) return mixedRadixFft(z, n);
  const { conv, chirp } = bluestein(z, n);
  const out = new Float64Array(2 * n);
  for (let k = 0; k < n; k++) {
    const cr = conv[2 * k] as number;
    const ci = conv[2 * k + 1] as number;
    const wr = chirp[2 * k] as number;
    const wi = chirp[2 * k + 1] as number;
    out[2 * k] = cr * wr - ci * wi;
    out[2 * k + 1] = cr * wi + ci * wr;
  }
  return out;
}

/**
 * |X_k| for k = 0..count−1 (count ≤ ⌊n/2⌋ + 1) of the DFT X_k = Σ_j x_j e^(−2πijk/n) of the real
 * sequence `x`. For even n the real input is packed into a complex sequence of n/2 points
 * (z_j = x_{2j} + i·x_{2j+1}) and unpacked with X_k = E_k + e^(−2πik/n)·O_k, halving the transform size.
 */
export function dftModuli(x: Float64Array, count: number): Float64Array {
  const n = x.length;
  const out = new Float64Array(count);
  if (n % 2 === 1 || n < 4) {
    const z = new Float64Array(2 * n);
    for (let k = 0; k < n; k++) z[2 * k] = x[k] as number;
    const spectrum = complexDft(z, n);
    for (let k = 0; k < count; k++) out[k] = Math.hypot(spectrum[2 * k] as number, spectrum[2 * k + 1] as number);
    return out;
  }
  const h = n / 2;
  const zs = complexDft(x, h); // x read as h interleaved complex points
  for (let k = 0; k < count; k++) {
    const j = k % h;
    const jj = (h - j) % h;
    const ar = zs[2 * j] as number;
    const ai = zs[2 * j + 1] as number;
    const br = zs[2 * jj] as number;
    const bi = -(zs[2 * jj + 1] as number); // conj(Z_{h−k})
    // E_k = (Z_k + conj Z_{h−k})/2, O_k = (Z_k − conj Z_{h−k})/(2i)
    const er = (ar + br) / 2;
    const ei = (ai + bi) / 2;
    const or = (ai - bi) / 2;
    const oi = -(ar - br) / 2;
    const angle = (-2 * Math.PI * k) / n;
    const c = Math.cos(angle);
    const s = Math.sin(angle);
    out[k] = Math.hypot(er + c * or - s * oi, ei + c * oi + s * or);
  }
  return out;
}
