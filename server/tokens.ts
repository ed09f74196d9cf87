/**
 * API tokens and per-token rate limits.
 *
 * The token file has one token per line, `NAME:TOKEN` or `NAME:TOKEN:RATE` (RATE = requests per second,
 * overriding the default); `#` starts a comment. Tokens are kept only as SHA-256 digests and a presented
 * token is compared against every digest with the constant-time `ct.equal` (hashing first makes the
 * comparison length-independent; comparing against all of them makes the time independent of which one
 * matched). NAME is what logs may show — the token itself is never logged or labelled in metrics.
 *
 * The rate limit is a token bucket per name: `rate` requests per second, bursts of up to `burst`.
 * `allow` is a pure function of the bucket state and the clock, tested by a truth table.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ct } from '../crypto/index.js';
import { ServerError } from './errors.js';

export interface TokenEntry {
  readonly name: string;
  readonly digest: Uint8Array;
  readonly rate?: number;
}

const sha256 = (s: string): Uint8Array => new Uint8Array(createHash('sha256').update(s, 'utf8').digest());

const NAME = /^[A-Za-z0-9_.-]{1,64}$/;

export function parseTokenFile(text: string): TokenEntry[] {
  const out: TokenEntry[] = [];
  const names = new Set<string>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const parts = line.split(':');
    const [name, token, rate] = parts;
    if (parts.length < 2 || parts.length > 3 || name === undefined || token === undefined || !NAME.test(name)) {
      throw new ServerError('SERVER_TOKEN_FILE', `token file line ${i + 1}: expected NAME:TOKEN or NAME:TOKEN:RATE`);
    }
    if (token.length < 16)
      throw new ServerError('SERVER_TOKEN_FILE', `token file line ${i + 1}: token '${name}' is shorter than 16 characters`);
    if (names.has(name)) throw new ServerError('SERVER_TOKEN_FILE', `token file line ${i + 1}: name '${name}' appears twice`);
    let r: number | undefined;
    if (rate !== undefined) {
      r = Number(rate);
      if (!/^[0-9]+(\.[0-9]+)?$/.test(rate) || !(r > 0) || r > 1e6)
        throw new ServerError('SERVER_TOKEN_FILE', `token file line ${i + 1}: RATE must be a positive number of requests per second`);
    }
    names.add(name);
    out.push({ name, digest: sha256(token), ...(r !== undefined ? { rate: r } : {}) });
  });
  return out;
}

export function readTokenFile(path: string): TokenEntry[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ServerError('SERVER_TOKEN_FILE', `cannot read token file: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  return parseTokenFile(text);
}

/** The entry whose token is `presented`, comparing against every entry in constant time. */
export function matchToken(entries: readonly TokenEntry[], presented: string): TokenEntry | undefined {
  const d = sha256(presented);
  let found: TokenEntry | undefined;
  for (const e of entries) {
    const eq = ct.equal(e.digest, d);
    if (eq && found === undefined) found = e;
  }
  return found;
}

export interface Bucket {
  readonly tokens: number;
  readonly atMs: number;
}

/** Token-bucket decision: whether a request at `nowMs` is allowed, and the bucket after it. */
export function allow(
  bucket: Bucket | undefined,
  nowMs: number,
  rate: number,
  burst: number,
): { readonly allowed: boolean; readonly bucket: Bucket; readonly retryAfterS: number } {
  const prev = bucket ?? { tokens: burst, atMs: nowMs };
  const elapsed = Math.max(0, nowMs - prev.atMs) / 1000;
  const tokens = Math.min(burst, prev.tokens + elapsed * rate);
  if (tokens >= 1) return { allowed: true, bucket: { tokens: tokens - 1, atMs: nowMs }, retryAfterS: 0 };
  return { allowed: false, bucket: { tokens, atMs: nowMs }, retryAfterS: Math.max(1, Math.ceil((1 - tokens) / rate)) };
}

/** Per-name buckets (names are bounded: the token file's names, or one shared anonymous bucket). */
export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();
  readonly #rate: number;
  readonly #burst: number;
  constructor(rate: number, burst: number) {
    this.#rate = rate;
    this.#burst = burst;
  }
  /** A token's own RATE (from the token file) brings its own burst: one second's worth. */
  take(name: string, nowMs: number, rate?: number): { readonly allowed: boolean; readonly retryAfterS: number } {
    const r =
      rate === undefined
        ? allow(this.#buckets.get(name), nowMs, this.#rate, this.#burst)
        : allow(this.#buckets.get(name), nowMs, rate, Math.max(1, rate));
    this.#buckets.set(name, r.bucket);
    return { allowed: r.allowed, retryAfterS: r.retryAfterS };
  }
}
