import { inspect } from 'node:util';
import { Writable } from 'node:stream';
import { hkdf as nobleHkdf } from '@noble/hashes/hkdf.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { sha3_512 } from '@noble/hashes/sha3.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Clock } from '../../../crypto/clock.js';
import { HardenedRngError } from '../../../crypto/errors.js';
import { Secret, SecretDisposedError } from '../../../crypto/secret/index.js';

const SecretArgumentError = expect.objectContaining({ code: 'CRYPTO_INVALID_ARGUMENT' });
const HkdfInvalidArgumentError = SecretArgumentError;
const HkdfLengthError = expect.objectContaining({ code: 'HKDF_LENGTH_OUT_OF_RANGE' });
import * as root from '../../../crypto/index.js';

class FakeClock implements Clock {
  now = 1_000;
  monotonicMs(): number {
    return this.now;
  }
  wallMs(): number {
    return 1_700_000_000_000 + this.now;
  }
}

/** Captures the Secret's own buffer — what a test may do to observe zeroing, and production code must not. */
function internalBuffer(s: Secret): Uint8Array {
  return s.use((b) => b);
}

const bytes = (...xs: number[]): Uint8Array => Uint8Array.from(xs);

describe('Secret.from', () => {
  it('copies into its own buffer and zeroes the caller array', () => {
    const src = bytes(1, 2, 3, 4);
    const s = Secret.from(src);
    expect(src).toEqual(bytes(0, 0, 0, 0));
    expect(s.use((b) => Array.from(b))).toEqual([1, 2, 3, 4]);
    expect(internalBuffer(s)).not.toBe(src);
    expect(s.length).toBe(4);
  });

  it('keeps the caller array when keepSource is set, and the two do not alias', () => {
    const src = bytes(9, 8, 7);
    const s = Secret.from(src, { keepSource: true });
    expect(src).toEqual(bytes(9, 8, 7));
    src[0] = 0;
    expect(s.use((b) => b[0])).toBe(9);
  });

  it('owns a whole ArrayBuffer even when given a view into a larger one', () => {
    const backing = new Uint8Array(64).fill(0xaa);
    const view = backing.subarray(16, 48);
    const s = Secret.from(view);
    const own = internalBuffer(s);
    expect(own.byteOffset).toBe(0);
    expect(own.buffer.byteLength).toBe(32);
    expect(backing.subarray(16, 48).every((x) => x === 0)).toBe(true);
    expect(backing[0]).toBe(0xaa);
    expect(backing[63]).toBe(0xaa);
  });

  it('rejects empty and non-Uint8Array input', () => {
    expect(() => Secret.from(new Uint8Array(0))).toThrow(SecretArgumentError);
    expect(() => Secret.from([1, 2] as unknown as Uint8Array)).toThrow(SecretArgumentError);
  });

  it('cannot be constructed directly', () => {
    const Ctor = Secret as unknown as new (...args: unknown[]) => Secret;
    expect(() => new Ctor(Symbol('x'), new Uint8Array(4), {})).toThrow(SecretArgumentError);
  });

  it('is exported from the package root', () => {
    expect(root.Secret).toBe(Secret);
    expect(root.SecretDisposedError).toBe(SecretDisposedError);
  });
});

describe('dispose', () => {
  it('zeroes the underlying buffer and every later use throws SecretDisposedError', () => {
    const s = Secret.from(bytes(0xde, 0xad, 0xbe, 0xef));
    const buf = internalBuffer(s);
    expect(Array.from(buf)).toEqual([0xde, 0xad, 0xbe, 0xef]);
    s.dispose();
    expect(Array.from(buf)).toEqual([0, 0, 0, 0]);
    expect(s.disposed).toBe(true);
    expect(() => s.use(() => 1)).toThrow(SecretDisposedError);
    const err = (() => {
      try {
        s.use(() => 1);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(HardenedRngError);
    expect((err as SecretDisposedError).code).toBe('SECRET_DISPOSED');
    expect((err as SecretDisposedError).reason).toBe('disposed');
    expect(s.length).toBe(4);
  });

  it('is idempotent', () => {
    const s = Secret.from(bytes(1));
    s.dispose();
    s.dispose();
    s[Symbol.dispose]();
    expect(s.disposed).toBe(true);
  });

  it('runs at the end of a `using` block', () => {
    let buf: Uint8Array | undefined;
    let outer: Secret | undefined;
    {
      using s = Secret.from(bytes(5, 6, 7));
      outer = s;
      buf = internalBuffer(s);
      expect(s.disposed).toBe(false);
    }
    expect(outer.disposed).toBe(true);
    expect(Array.from(buf)).toEqual([0, 0, 0]);
  });

  it('leaves no copy holding the bytes: source zeroed by from(), own buffer zeroed by dispose()', () => {
    const src = bytes(0x11, 0x22, 0x33, 0x44, 0x55);
    const s = Secret.from(src);
    const own = internalBuffer(s);
    s.dispose();
    expect(Array.from(src)).toEqual([0, 0, 0, 0, 0]);
    expect(Array.from(own)).toEqual([0, 0, 0, 0, 0]);
  });

  it('equals on a disposed secret throws', () => {
    const a = Secret.from(bytes(1, 2));
    const b = Secret.from(bytes(1, 2));
    b.dispose();
    expect(() => a.equals(b)).toThrow(SecretDisposedError);
    expect(() => b.equals(a)).toThrow(SecretDisposedError);
  });
});

describe('equals', () => {
  it('compares contents, with the length public', () => {
    expect(Secret.from(bytes(1, 2, 3)).equals(Secret.from(bytes(1, 2, 3)))).toBe(true);
    expect(Secret.from(bytes(1, 2, 3)).equals(Secret.from(bytes(1, 2, 4)))).toBe(false);
    expect(Secret.from(bytes(1, 2, 3)).equals(Secret.from(bytes(1, 2)))).toBe(false);
    const s = Secret.from(bytes(7));
    expect(s.equals(s)).toBe(true);
    expect(() => s.equals(bytes(7) as unknown as Secret)).toThrow(SecretArgumentError);
  });
});

describe('Secret.random', () => {
  it('copies the generator output into its own buffer and wipes the generator array', () => {
    const handed: Uint8Array[] = [];
    const rng = {
      randomBytes(n: number): Uint8Array {
        const out = new Uint8Array(n).map((_, i) => i + 1);
        handed.push(out);
        return out;
      },
    };
    const s = Secret.random(rng, 16);
    expect(s.use((b) => Array.from(b))).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    expect(handed[0]?.every((x) => x === 0)).toBe(true);
    expect(internalBuffer(s)).not.toBe(handed[0]);
  });

  it('fails closed on a short read and wipes what it got', () => {
    const got = new Uint8Array(8).fill(0x5a);
    const rng = { randomBytes: (): Uint8Array => got };
    expect(() => Secret.random(rng, 16)).toThrow(SecretArgumentError);
    expect(got.every((x) => x === 0)).toBe(true);
  });

  it('rejects non-positive and non-integer lengths', () => {
    const rng = { randomBytes: (n: number): Uint8Array => new Uint8Array(n) };
    for (const n of [0, -1, 1.5, Number.NaN]) expect(() => Secret.random(rng, n)).toThrow(SecretArgumentError);
  });
});

describe('Secret.derive (HKDF, RFC 5869)', () => {
  // RFC 5869 Appendix A, test case 1.
  const ikm = hexToBytes('0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b');
  const salt = hexToBytes('000102030405060708090a0b0c');
  const info = hexToBytes('f0f1f2f3f4f5f6f7f8f9');
  const okm = '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865';

  it('matches RFC 5869 test case 1 from a Secret ikm', () => {
    const k = Secret.from(ikm, { keepSource: true });
    const d = Secret.derive('sha256', k, { salt, info, length: 42 });
    expect(d.use(bytesToHex)).toBe(okm);
    expect(k.disposed).toBe(false);
  });

  it('matches RFC 5869 test case 1 from a plain ikm, which it leaves untouched', () => {
    const copy = ikm.slice();
    const d = Secret.derive('sha256', copy, { salt, info, length: 42 });
    expect(d.use(bytesToHex)).toBe(okm);
    expect(copy).toEqual(ikm);
  });

  it('matches RFC 5869 test case 3 (no salt, empty info)', () => {
    const d = Secret.derive('sha256', ikm, { info: new Uint8Array(0), length: 42 });
    expect(d.use(bytesToHex)).toBe('8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8');
  });

  it('agrees with noble hkdf for SHA-512 and SHA3-512 at lengths that do and do not fill a block', () => {
    for (const [name, fn] of [
      ['sha512', sha512],
      ['sha3-512', sha3_512],
    ] as const) {
      for (const len of [1, 32, 64, 65, 200]) {
        const d = Secret.derive(name, ikm, { salt, info, length: len });
        expect(d.use(bytesToHex)).toBe(bytesToHex(nobleHkdf(fn, ikm, salt, info, len)));
      }
    }
    expect(bytesToHex(nobleHkdf(sha256, ikm, salt, info, 42))).toBe(okm);
  });

  it('rejects lengths beyond 255 · HashLen and a disposed ikm', () => {
    expect(() => Secret.derive('sha256', ikm, { salt, info, length: 255 * 32 + 1 })).toThrow(HkdfLengthError);
    expect(() => Secret.derive('sha256', ikm, { salt, info, length: 0 })).toThrow(SecretArgumentError);
    expect(() => Secret.derive('md5' as 'sha256', ikm, { salt, info, length: 32 })).toThrow(HkdfInvalidArgumentError);
    expect(Secret.derive('sha256', ikm, { salt, info, length: 255 * 32 }).length).toBe(8160);
    const k = Secret.from(ikm, { keepSource: true });
    k.dispose();
    expect(() => Secret.derive('sha256', k, { salt, info, length: 32 })).toThrow(SecretDisposedError);
  });
});

describe('redaction', () => {
  const s = Secret.from(bytes(0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x4b, 0x4c, 0x4d, 0x4e, 0x4f, 0x50));

  it('renders as Secret(16 bytes, redacted) everywhere', () => {
    const label = 'Secret(16 bytes, redacted)';
    expect(String(s)).toBe(label);
    expect(`${s}`).toBe(label);
    expect(s.toString()).toBe(label);
    expect('' + (s as unknown as string)).toBe(label);
    expect(JSON.stringify(s)).toBe(JSON.stringify(label));
    expect(JSON.stringify({ k: s })).toBe(`{"k":"${label}"}`);
    expect(inspect(s)).toBe(label);
    expect(inspect({ nested: { s } }, { depth: 10, showHidden: true })).toContain(label);
    expect(Object.prototype.toString.call(s)).toBe('[object Secret]');
    expect(String(Secret.from(bytes(1)))).toBe('Secret(1 byte, redacted)');
  });

  it('exposes nothing to Object.keys, spread, structuredClone or Reflect', () => {
    expect(Object.keys(s)).toEqual([]);
    expect(Reflect.ownKeys(s)).toEqual([]);
    expect({ ...s }).toEqual({});
    expect(structuredClone(s)).toEqual({});
    expect(Object.isFrozen(s)).toBe(true);
  });

  it('renders as Secret(disposed) after dispose', () => {
    const d = Secret.from(bytes(1, 2));
    d.dispose();
    expect(String(d)).toBe('Secret(disposed)');
    expect(JSON.stringify(d)).toBe('"Secret(disposed)"');
    expect(inspect(d)).toBe('Secret(disposed)');
  });

  it('is redacted by a real pino logger', async () => {
    const chunks: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb): void {
        chunks.push(chunk.toString('utf8'));
        cb();
      },
    });
    const log = pino({ level: 'debug' }, sink);
    log.info({ key: s, nested: { key: s } }, 'loaded key');
    log.debug({ list: [s] }, 'keys');
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(chunks).toHaveLength(2);
    const first = JSON.parse(chunks[0] ?? '') as { key: string; nested: { key: string }; msg: string };
    expect(first.key).toBe('Secret(16 bytes, redacted)');
    expect(first.nested.key).toBe('Secret(16 bytes, redacted)');
    expect(first.msg).toBe('loaded key');
    expect(chunks.join('')).not.toContain('ABCDEFGHIJKLMNOP');
    expect(chunks.join('')).not.toContain('4142434445');
  });
});

describe('time-to-live', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('expires on the injected clock at the next use, zeroing the buffer', () => {
    const clock = new FakeClock();
    const s = Secret.from(bytes(1, 2, 3), { ttlMs: 60_000, clock });
    const buf = internalBuffer(s);
    clock.now += 59_999;
    expect(s.use((b) => b[0])).toBe(1);
    clock.now += 1;
    expect(Array.from(buf)).toEqual([1, 2, 3]);
    let err: unknown;
    try {
      s.use(() => 0);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SecretDisposedError);
    expect((err as SecretDisposedError).reason).toBe('expired');
    expect(Array.from(buf)).toEqual([0, 0, 0]);
    expect(String(s)).toBe('Secret(disposed)');
    s.dispose();
    expect((err as SecretDisposedError).message).toContain('time-to-live');
  });

  it('reports disposed (and wipes) once the clock passes expiry, even without a use', () => {
    const clock = new FakeClock();
    const s = Secret.from(bytes(4, 5), { ttlMs: 10_000, clock });
    const buf = internalBuffer(s);
    expect(s.disposed).toBe(false);
    clock.now += 10_000;
    expect(s.disposed).toBe(true);
    expect(Array.from(buf)).toEqual([0, 0]);
  });

  it('wipes an untouched secret from its timer', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const s = Secret.from(bytes(9, 9, 9), { ttlMs: 5_000 });
    const buf = internalBuffer(s);
    vi.advanceTimersByTime(4_999);
    expect(Array.from(buf)).toEqual([9, 9, 9]);
    vi.advanceTimersByTime(1);
    expect(Array.from(buf)).toEqual([0, 0, 0]);
    expect(s.disposed).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('re-arms rather than wipes when the timer fires before the injected clock says so', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const clock = new FakeClock();
    const s = Secret.from(bytes(3), { ttlMs: 1_000, clock });
    vi.advanceTimersByTime(1_000);
    expect(s.disposed).toBe(false);
    expect(vi.getTimerCount()).toBe(1);
    clock.now += 1_000;
    vi.advanceTimersByTime(1_000);
    expect(vi.getTimerCount()).toBe(0);
    expect(s.disposed).toBe(true);
  });

  it('cancels its timer on dispose', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const s = Secret.from(bytes(3), { ttlMs: 1_000, clock: new FakeClock() });
    expect(vi.getTimerCount()).toBe(1);
    s.dispose();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects bad TTLs and wipes the copy it had made', () => {
    for (const ttlMs of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
      const src = bytes(1, 2);
      expect(() => Secret.from(src, { ttlMs })).toThrow(SecretArgumentError);
      expect(Array.from(src)).toEqual([0, 0]);
    }
  });

  it('applies to random and derived secrets', () => {
    const clock = new FakeClock();
    const rng = { randomBytes: (n: number): Uint8Array => new Uint8Array(n).fill(7) };
    const r = Secret.random(rng, 8, { ttlMs: 100, clock });
    const d = Secret.derive('sha256', r, { info: new Uint8Array(0), length: 32, ttlMs: 200, clock });
    clock.now += 100;
    expect(r.disposed).toBe(true);
    expect(d.disposed).toBe(false);
    clock.now += 100;
    expect(d.disposed).toBe(true);
  });
});
