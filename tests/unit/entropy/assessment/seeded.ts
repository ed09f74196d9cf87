/**
 * Reproducible test data with known entropy: a seeded generator (mulberry32) so that every run of the
 * estimator tests sees the same samples and a failure replays exactly.
 */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n IID samples: `top` with probability p, otherwise uniform over the other values of 0..k−1. */
export function biased(n: number, k: number, top: number, p: number, seed: number): Uint8Array {
  const r = seeded(seed);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (r() < p) out[i] = top;
    else {
      let v = Math.floor(r() * (k - 1));
      if (v >= top) v++;
      out[i] = v;
    }
  }
  return out;
}

/** n IID bits, 1 with probability p. */
export function bits(n: number, p: number, seed: number): Uint8Array {
  const r = seeded(seed);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = r() < p ? 1 : 0;
  return out;
}

/** A full-period LCG mod 256: every value equally often (MCV ≈ 8 bits), yet entirely predictable. */
export function lcg256(n: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = 7;
  for (let i = 0; i < n; i++) {
    x = (5 * x + 3) & 0xff;
    out[i] = x;
  }
  return out;
}

/** n uniform bytes from the seeded generator: the IID full-entropy case, the same on every run. */
export function uniform(n: number, seed: number): Uint8Array {
  const r = seeded(seed);
  return Uint8Array.from({ length: n }, () => Math.floor(r() * 256));
}
