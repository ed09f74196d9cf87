/**
 * HmacDrbg at the edges of SP 800-90A Rev.1 Table 2 and of its own contract: every limit's error code
 * and message, failure without state change, the reseed interval, destroy(), and that no state bytes
 * leak through util.inspect or JSON.
 */
import { inspect } from 'node:util';
import { bytesToHex } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { CryptoError, HardenedRngError } from '../../../crypto/errors.js';
import { HmacDrbg } from '../../../crypto/drbg/index.js';
import type { DrbgHash, HmacDrbgOptions } from '../../../crypto/drbg/index.js';
import { drbgStateForTesting } from '../../../crypto/drbg/hmac-drbg.js';
import { NodeHmacDrbgOracle } from './node-hmac-drbg-oracle.js';
import { thrown } from '../../helpers/thrown.js';

const HASHES: DrbgHash[] = ['sha256', 'sha512', 'sha3-512'];
const fill = (n: number, v: number) => new Uint8Array(n).fill(v);
const entropy = fill(32, 0x11);
const nonce = fill(16, 0x22);
const make = (o: Partial<HmacDrbgOptions> = {}) => new HmacDrbg({ hash: 'sha512', entropy, nonce, ...o });

/** A real Uint8Array that reports a length past 2^35 bits without allocating 4 GiB. */
function claimsLength(length: number): Uint8Array {
  const a = new Uint8Array(1);
  Object.defineProperty(a, 'length', { value: length });
  return a;
}

describe('HmacDrbg limits (SP 800-90A Table 2)', () => {
  it('publishes the Table 2 numbers', () => {
    expect(HmacDrbg.MAX_BYTES_PER_REQUEST).toBe(65536);
    expect(HmacDrbg.MIN_ENTROPY_BYTES).toBe(32);
    expect(HmacDrbg.MIN_NONCE_BYTES).toBe(16);
    expect(HmacDrbg.MAX_INPUT_BITS).toBe(2 ** 35);
    expect(HmacDrbg.MAX_RESEED_INTERVAL).toBe(2 ** 48);
    for (const hash of HASHES) {
      const d = make({ hash });
      expect(d.hash).toBe(hash);
      expect(d.securityStrengthBits).toBe(256);
      expect(d.reseedInterval).toBe(2 ** 48);
    }
  });

  it('serves exactly 65536 bytes, equal to the oracle, and refuses 65537', () => {
    for (const hash of HASHES) {
      const d = make({ hash });
      const o = new NodeHmacDrbgOracle(hash, entropy, nonce);
      const out = d.generate(65536);
      expect(out.length).toBe(65536);
      expect(bytesToHex(out)).toBe(bytesToHex(o.generate(65536)));
      const e = thrown(() => d.generate(65537));
      expect(e).toBeInstanceOf(CryptoError);
      expect(e.code).toBe('DRBG_REQUEST_OUT_OF_RANGE');
      expect(e.message).toBe(
        'requested 65537 bytes; a generate request must be an integer from 1 to 65536 bytes (SP 800-90A Table 2: 2^19 bits)',
      );
      // The refused request changed nothing.
      expect(bytesToHex(d.generate(64))).toBe(bytesToHex(o.generate(64)));
    }
  });

  it('refuses 0, negative, fractional and non-finite requests', () => {
    const d = make();
    for (const n of [0, -1, 1.5, 64.0001, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
      expect(thrown(() => d.generate(n)).code).toBe('DRBG_REQUEST_OUT_OF_RANGE');
    }
    expect(thrown(() => d.generate('32' as unknown as number)).message).toContain('requested a string bytes');
    expect(d.reseedCounter).toBe(1);
  });

  it('serves requests at output-block edges with the exact length', () => {
    for (const hash of HASHES) {
      const d = make({ hash });
      const o = new NodeHmacDrbgOracle(hash, entropy, nonce);
      for (const n of [1, 31, 32, 33, 63, 64, 65, 128, 4096, 65472]) {
        expect(bytesToHex(d.generate(n))).toBe(bytesToHex(o.generate(n)));
      }
    }
  });

  it('refuses entropy input shorter than 32 bytes, at instantiate and at reseed', () => {
    const e = thrown(() => make({ entropy: fill(31, 1) }));
    expect(e).toBeInstanceOf(CryptoError);
    expect(e.code).toBe('DRBG_ENTROPY_TOO_SHORT');
    expect(e.message).toBe('entropy input is 31 bytes; SP 800-90A requires at least 32 (the 256-bit security strength)');
    const d = make();
    expect(thrown(() => d.reseed(fill(0, 0))).code).toBe('DRBG_ENTROPY_TOO_SHORT');
    expect(thrown(() => d.reseed(fill(31, 0))).message).toContain('31 bytes');
    expect(() => make({ entropy: fill(32, 1) })).not.toThrow();
  });

  it('refuses a nonce shorter than 16 bytes', () => {
    const e = thrown(() => make({ nonce: fill(15, 1) }));
    expect(e).toBeInstanceOf(CryptoError);
    expect(e.code).toBe('DRBG_NONCE_TOO_SHORT');
    expect(e.message).toBe('nonce is 15 bytes; SP 800-90A §8.6.7 requires at least 16');
    expect(() => make({ nonce: fill(16, 1) })).not.toThrow();
  });

  it('refuses any input over 2^35 bits, naming it', () => {
    const tooLong = claimsLength(2 ** 32 + 1);
    const cases: [string, () => unknown][] = [
      ['entropy input', () => make({ entropy: tooLong })],
      ['nonce', () => make({ nonce: tooLong })],
      ['personalization string', () => make({ personalization: tooLong })],
      ['entropy input', () => make().reseed(tooLong)],
      ['additional input', () => make().reseed(entropy, tooLong)],
      ['additional input', () => make().generate(32, tooLong)],
    ];
    for (const [name, fn] of cases) {
      const e = thrown(fn);
      expect(e).toBeInstanceOf(CryptoError);
      expect(e.code).toBe('DRBG_INPUT_TOO_LONG');
      expect(e.message).toBe(`${name} is 4294967297 bytes; SP 800-90A Table 2 allows at most 4294967296 (2^35 bits), 1 too many`);
    }
  });

  it('refuses a bad hash, reseed interval or non-Uint8Array input', () => {
    const bad: (() => unknown)[] = [
      () => make({ hash: 'sha1' as DrbgHash }),
      () => make({ reseedInterval: 0 }),
      () => make({ reseedInterval: 2 ** 48 + 1 }),
      () => make({ reseedInterval: 2.5 }),
      () => make({ entropy: Array.from(entropy) as unknown as Uint8Array }),
      () => make().generate(32, 'abc' as unknown as Uint8Array),
      () => make().reseed(null as unknown as Uint8Array),
    ];
    for (const fn of bad) {
      const e = thrown(fn);
      expect(e).toBeInstanceOf(CryptoError);
      expect(e.code).toBe('CRYPTO_INVALID_ARGUMENT');
    }
    expect(make({ reseedInterval: 2 ** 48 }).reseedInterval).toBe(2 ** 48);
  });

  it('every error is a CryptoError and a HardenedRngError', () => {
    const e = thrown(() => make({ nonce: fill(1, 0) }));
    expect(e).toBeInstanceOf(CryptoError);
    expect(e).toBeInstanceOf(HardenedRngError);
    expect(e.name).toBe('CryptoError');
  });
});

describe('HmacDrbg reseed interval (§10.1.2.5 step 1)', () => {
  it('serves `interval` requests, refuses the next with no output and no state change, works after reseed', () => {
    const interval = 3;
    const d = make({ reseedInterval: interval });
    const o = new NodeHmacDrbgOracle('sha512', entropy, nonce);
    for (let i = 1; i <= interval; i++) {
      expect(d.reseedCounter).toBe(i);
      expect(bytesToHex(d.generate(48))).toBe(bytesToHex(o.generate(48)));
    }
    expect(d.reseedCounter).toBe(interval + 1);
    const e = thrown(() => d.generate(48));
    expect(e).toBeInstanceOf(CryptoError);
    expect(e.code).toBe('DRBG_RESEED_REQUIRED');
    expect(e.message).toBe('reseed required: 3 generate requests since the last (re)seed, the reseed interval is 3');
    expect(d.reseedCounter).toBe(interval + 1);
    expect(thrown(() => d.generate(48, fill(8, 9))).code).toBe('DRBG_RESEED_REQUIRED');

    const fresh = fill(32, 0x33);
    d.reseed(fresh);
    o.reseed(fresh);
    expect(d.reseedCounter).toBe(1);
    expect(bytesToHex(d.generate(48))).toBe(bytesToHex(o.generate(48)));
  });

  it('an interval of 1 makes every request need a reseed first (prediction-resistance style)', () => {
    const d = make({ reseedInterval: 1 });
    d.generate(16);
    expect(thrown(() => d.generate(16)).code).toBe('DRBG_RESEED_REQUIRED');
    d.reseed(entropy);
    expect(d.generate(16)).toHaveLength(16);
  });
});

describe('HmacDrbg inputs', () => {
  it('treats empty additional input and personalization as absent (SP 800-90A Null)', () => {
    for (const hash of HASHES) {
      const a = make({ hash });
      const b = make({ hash, personalization: new Uint8Array() });
      expect(bytesToHex(a.generate(100))).toBe(bytesToHex(b.generate(100, new Uint8Array())));
      a.reseed(entropy);
      b.reseed(entropy, new Uint8Array());
      expect(bytesToHex(a.generate(100))).toBe(bytesToHex(b.generate(100)));
      const c = make({ hash });
      expect(bytesToHex(c.generate(100, fill(1, 0)))).not.toBe(bytesToHex(make({ hash }).generate(100)));
    }
  });

  it('keeps no reference to caller inputs and hands out fresh outputs', () => {
    const e = Uint8Array.from(entropy);
    const d = make({ entropy: e });
    const twin = make();
    e.fill(0);
    const out = d.generate(64);
    expect(bytesToHex(out)).toBe(bytesToHex(twin.generate(64)));
    out.fill(0);
    expect(bytesToHex(d.generate(64))).toBe(bytesToHex(twin.generate(64)));
  });

  it('reseed resets the counter; generate increments it', () => {
    const d = make();
    expect(d.reseedCounter).toBe(1);
    d.generate(1);
    d.generate(1);
    expect(d.reseedCounter).toBe(3);
    d.reseed(entropy, fill(5, 5));
    expect(d.reseedCounter).toBe(1);
  });
});

describe('HmacDrbg destroy() and secrecy', () => {
  it('zeroes K and V and refuses every later call', () => {
    for (const hash of HASHES) {
      const d = make({ hash });
      d.generate(32);
      const { K, V } = drbgStateForTesting(d);
      // Each state buffer is the whole of its own ArrayBuffer, never a view into a shared pool or slab.
      for (const state of [K, V]) expect([state.byteOffset, state.buffer.byteLength]).toEqual([0, state.length]);
      expect(K.buffer).not.toBe(V.buffer);
      expect(K.some((b) => b !== 0)).toBe(true);
      expect(V.some((b) => b !== 0)).toBe(true);
      d.destroy();
      expect(d.destroyed).toBe(true);
      expect(K.every((b) => b === 0)).toBe(true);
      expect(V.every((b) => b === 0)).toBe(true);
      for (const call of [() => d.generate(32), () => d.reseed(entropy)]) {
        const e = thrown(call);
        expect(e).toBeInstanceOf(CryptoError);
        expect(e.code).toBe('DRBG_DESTROYED');
      }
      expect(thrown(() => d.generate(32)).message).toBe('generate called on a destroyed HMAC_DRBG; instantiate a new one');
      expect(() => d.destroy()).not.toThrow();
    }
  });

  it('shows no state bytes to util.inspect, JSON.stringify or Object.keys', () => {
    const d = make({ hash: 'sha3-512' });
    d.generate(32);
    const { K, V } = drbgStateForTesting(d);
    const secrets = [bytesToHex(K), bytesToHex(V), bytesToHex(K.subarray(0, 8)), bytesToHex(V.subarray(0, 8))];
    const shown = [
      inspect(d),
      inspect(d, { showHidden: true, depth: 10 }),
      JSON.stringify(d),
      JSON.stringify({ d }),
      String(Object.keys(d)),
      `${String(d)}`,
    ];
    for (const text of shown) {
      for (const s of secrets) expect(text).not.toContain(s);
      expect(text).not.toMatch(/\d+, \d+, \d+/); // no byte lists
    }
    expect(JSON.parse(JSON.stringify(d))).toEqual({ hash: 'sha3-512', reseedCounter: 2, destroyed: false });
    expect(inspect(d)).toBe("HmacDrbg { hash: 'sha3-512', reseedCounter: 2 }");
    expect(Object.keys(d)).toEqual([]);
  });
});
