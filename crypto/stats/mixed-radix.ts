/**
 * A mixed-radix complex FFT for lengths whose prime factors are 2, 3 and 5 (NIST's STS uses a
 * mixed-radix FFT for the same reason: n = 10^6 = 2^6·5^6 is not a power of two). Recursive decimation
 * in time: the length-n transform is p transforms of length n/p (p the smallest factor, 4 taken before
 * 2) combined by radix-p butterflies with twiddles from one table of e^(−2πik/N). Other lengths go
 * through Bluestein (./fft.ts).
 */

/** The radices of n (4s first, then 2, 3, 5), or undefined when n has another prime factor. */
export function factors(n: number): number[] | undefined {
  const out: number[] = [];
  let m = n;
  while (m % 4 === 0) {
    out.push(4);
    m /= 4;
  }
  for (const p of [2, 3, 5]) {
    while (m % p === 0) {
      out.push(p);
      m /= p;
    }
  }
  return m === 1 ? out : undefined;
}

/** W_r^(q·s) for r = 3 and 5, indexed q·r + s. */
function smallTwiddles(r: number): { readonly c: Float64Array; readonly s: Float64Array } {
  const c = new Float64Array(r * r);
  const s = new Float64Array(r * r);
  for (let q = 0; q < r; q++) {
    for (let t = 0; t < r; t++) {
      const a = (-2 * Math.PI * ((q * t) % r)) / r;
      c[q * r + t] = Math.cos(a);
      s[q * r + t] = Math.sin(a);
    }
  }
  return { c, s };
}
const { c: W3C, s: W3S } = smallTwiddles(3);
const { c: W5C, s: W5S } = smallTwiddles(5);

interface MixedPlan {
  readonly n: number;
  readonly radices: readonly number[];
  readonly cos: Float64Array;
  readonly sin: Float64Array;
}

let cached: MixedPlan | undefined;

function plan(n: number, radices: readonly number[]): MixedPlan {
  if (cached?.n === n) return cached;
  const cos = new Float64Array(n);
  const sin = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    cos[k] = Math.cos((2 * Math.PI * k) / n);
    sin[k] = -Math.sin((2 * Math.PI * k) / n);
  }
  cached = { n, radices, cos, sin };
  return cached;
}

/**
 * The DFT of the interleaved complex sequence `x` (length 2n), into a new interleaved array.
 * Requires factors(n) to be defined.
 */
export function mixedRadixFft(x: Float64Array, n: number): Float64Array {
  const radices = factors(n);
  if (!radices) return new Float64Array(0);
  const p = plan(n, radices);
  const out = new Float64Array(2 * n);
  const tr = new Float64Array(5);
  const ti = new Float64Array(5);
  // The recursion level is determined by the stride (the product of the radices above it).
  const levelOf = new Map<number, number>();
  for (let l = 0, st = 1; l <= radices.length; l++) {
    levelOf.set(st, l);
    st *= radices[l] ?? 1;
  }
  const rec = (inOff: number, stride: number, len: number, outOff: number): void => {
    const level = levelOf.get(stride) as number;
    if (len === 1) {
      out[2 * outOff] = x[2 * inOff] as number;
      out[2 * outOff + 1] = x[2 * inOff + 1] as number;
      return;
    }
    const r = radices[level] as number;
    const m = len / r;
    for (let q = 0; q < r; q++) rec(inOff + q * stride, stride * r, m, outOff + q * m);
    const step = n / len; // W_len^j = W_N^(j·step)
    const cos = p.cos;
    const sin = p.sin;
    for (let k = 0; k < m; k++) {
      // t_q = W_len^(q k) · Y_q[k]
      for (let q = 0; q < r; q++) {
        const i = 2 * (outOff + q * m + k);
        const yr = out[i] as number;
        const yi = out[i + 1] as number;
        if (q === 0 || k === 0) {
          tr[q] = yr;
          ti[q] = yi;
        } else {
          const w = (q * k * step) % n;
          const c = cos[w] as number;
          const s = sin[w] as number;
          tr[q] = yr * c - yi * s;
          ti[q] = yr * s + yi * c;
        }
      }
      // X[k + s m] = Σ_q t_q · W_r^(q s)
      if (r === 2) {
        const a = 2 * (outOff + k);
        const b = 2 * (outOff + m + k);
        out[a] = (tr[0] as number) + (tr[1] as number);
        out[a + 1] = (ti[0] as number) + (ti[1] as number);
        out[b] = (tr[0] as number) - (tr[1] as number);
        out[b + 1] = (ti[0] as number) - (ti[1] as number);
      } else if (r === 4) {
        const t0r = tr[0] as number,
          t0i = ti[0] as number,
          t1r = tr[1] as number,
          t1i = ti[1] as number;
        const t2r = tr[2] as number,
          t2i = ti[2] as number,
          t3r = tr[3] as number,
          t3i = ti[3] as number;
        const ar = t0r + t2r,
          ai = t0i + t2i,
          br = t0r - t2r,
          bi = t0i - t2i;
        const cr = t1r + t3r,
          ci = t1i + t3i,
          dr = t1r - t3r,
          di = t1i - t3i;
        // W_4 = −i: X1 = b + (−i)d, X3 = b + i d
        const o0 = 2 * (outOff + k),
          o1 = 2 * (outOff + m + k),
          o2 = 2 * (outOff + 2 * m + k),
          o3 = 2 * (outOff + 3 * m + k);
        out[o0] = ar + cr;
        out[o0 + 1] = ai + ci;
        out[o1] = br + di;
        out[o1 + 1] = bi - dr;
        out[o2] = ar - cr;
        out[o2 + 1] = ai - ci;
        out[o3] = br - di;
        out[o3 + 1] = bi + dr;
      } else {
        const wc = r === 3 ? W3C : W5C;
        const ws = r === 3 ? W3S : W5S;
        for (let sIdx = 0; sIdx < r; sIdx++) {
          let sr = 0;
          let si = 0;
          for (let q = 0; q < r; q++) {
            const c = wc[q * r + sIdx] as number;
            const sn = ws[q * r + sIdx] as number;
            sr += (tr[q] as number) * c - (ti[q] as number) * sn;
            si += (tr[q] as number) * sn + (ti[q] as number) * c;
          }
          const o = 2 * (outOff + sIdx * m + k);
          out[o] = sr;
          out[o + 1] = si;
        }
      }
    }
  };
  rec(0, 1, n, 0);
  return out;
}
