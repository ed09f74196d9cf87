/**
 * The server's decisions as truth tables: /health by generator state, the token bucket, and the token
 * file with its constant-time match.
 */
import { describe, expect, it } from 'vitest';
import { healthDecision, mayServe } from '../../../server/health.js';
import { allow, matchToken, parseTokenFile, RateLimiter } from '../../../server/tokens.js';
import { thrown } from '../../helpers/thrown.js';

describe('healthDecision / mayServe', () => {
  it.each([
    ['healthy', { status: 200 }, true],
    ['degraded', { status: 503, retryAfterS: 30 }, true],
    ['failed', { status: 503, retryAfterS: 60 }, false],
  ] as const)('%s', (state, decision, serve) => {
    expect(healthDecision(state)).toEqual(decision);
    expect(mayServe(state)).toBe(serve);
  });
});

describe('token bucket', () => {
  it.each([
    // bucket, now, rate, burst → allowed, tokens after, retry-after
    [undefined, 0, 10, 5, true, 4, 0],
    [{ tokens: 0, atMs: 0 }, 0, 10, 5, false, 0, 1],
    [{ tokens: 0, atMs: 0 }, 100, 10, 5, true, 0, 0],
    [{ tokens: 0.5, atMs: 0 }, 0, 1, 5, false, 0.5, 1],
    [{ tokens: 0, atMs: 0 }, 0, 0.1, 5, false, 0, 10],
    [{ tokens: 5, atMs: 0 }, 60_000, 10, 5, true, 4, 0],
    [{ tokens: 3, atMs: 100 }, 50, 10, 5, true, 2, 0],
  ])('%j at %d ms, rate %d, burst %d', (bucket, now, rate, burst, allowed, tokens, retry) => {
    const r = allow(bucket, now, rate, burst);
    expect([r.allowed, Number(r.bucket.tokens.toFixed(6)), r.retryAfterS]).toEqual([allowed, tokens, retry]);
  });
  it('RateLimiter keeps one bucket per name', () => {
    const l = new RateLimiter(1, 2);
    expect([l.take('a', 0).allowed, l.take('a', 0).allowed, l.take('a', 0).allowed, l.take('b', 0).allowed]).toEqual([
      true,
      true,
      false,
      true,
    ]);
  });
});

describe('token file', () => {
  const file = '# comment\nalice:0123456789abcdef0123\n\nbob:fedcba9876543210fedc:5\n';
  it('parses names, digests and rates; matches in constant time over all entries', () => {
    const t = parseTokenFile(file);
    expect(t.map((e) => [e.name, e.digest.length, e.rate])).toEqual([
      ['alice', 32, undefined],
      ['bob', 32, 5],
    ]);
    expect(matchToken(t, '0123456789abcdef0123')?.name).toBe('alice');
    expect(matchToken(t, 'fedcba9876543210fedc')?.name).toBe('bob');
    expect(matchToken(t, 'fedcba9876543210fedd')).toBeUndefined();
    expect(matchToken(t, '')).toBeUndefined();
    expect(JSON.stringify(t)).not.toContain('0123456789abcdef');
  });
  it.each([
    ['justatoken', 'expected NAME:TOKEN'],
    ['a:short', 'shorter than 16'],
    ['a:0123456789abcdef0123\na:0123456789abcdef0124', "name 'a' appears twice"],
    ['a:0123456789abcdef0123:-1', 'RATE must be'],
    ['bad name:0123456789abcdef0123', 'expected NAME:TOKEN'],
  ])('refuses %j', (text, message) => {
    const e = thrown(() => parseTokenFile(text));
    expect(e.code).toBe('SERVER_TOKEN_FILE');
    expect(e.message).toContain(message);
    expect(e.message).not.toContain('0123456789abcdef');
  });
});
