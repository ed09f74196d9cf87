/**
 * hrng-sign/v1 (consensus/guard/hrng-sign-bytes.ts): a fixed vector, the round trip (fast-check), and
 * every malformed encoding decoding to undefined so that the guard refuses it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeHrngSignBytes, encodeHrngSignBytes, hrngSignBytesDecoder } from '../../../consensus/index.js';
import { thrown } from '../../helpers/thrown.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('hrng-sign/v1', () => {
  it('encodes the documented layout (a vector written out by hand from the table)', () => {
    const bytes = encodeHrngSignBytes({ chainId: 'c-1', hrs: { height: 2 ** 32 + 5, round: 7, step: 2 }, body: Uint8Array.of(0xaa, 0xbb) });
    const expected =
      hex(enc('hrng-sign/v1')) +
      '00' + // magic
      '03' +
      hex(enc('c-1')) + // chain id
      '0000000100000005' + // height
      '00000007' + // round
      '02' + // step
      'aabb'; // body
    expect(hex(bytes)).toBe(expected);
    expect(hrngSignBytesDecoder.decode(bytes)).toEqual({ chainId: 'c-1', hrs: { height: 2 ** 32 + 5, round: 7, step: 2 } });
    expect(hrngSignBytesDecoder.format).toBe('hrng-sign/v1');
  });

  it('round-trips every valid message (fast-check)', () => {
    const chainId = fc.string({
      unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
      minLength: 1,
      maxLength: 64,
    });
    const msg = fc.record({
      chainId,
      hrs: fc.record({ height: fc.maxSafeNat(), round: fc.integer({ min: 0, max: 0xffffffff }), step: fc.integer({ min: 1, max: 255 }) }),
      body: fc.uint8Array({ maxLength: 64 }),
    });
    fc.assert(
      fc.property(msg, (m) => {
        const bytes = encodeHrngSignBytes(m);
        expect(decodeHrngSignBytes(bytes)).toEqual(m);
        expect(hrngSignBytesDecoder.decode(bytes)).toEqual({ chainId: m.chainId, hrs: m.hrs });
      }),
      { numRuns: 300 },
    );
  });

  it('decodes malformed encodings to undefined', () => {
    const good = encodeHrngSignBytes({ chainId: 'chain', hrs: { height: 1, round: 0, step: 1 }, body: new Uint8Array(0) });
    const mutate = (i: number, v: number): Uint8Array => {
      const b = good.slice();
      b[i] = v;
      return b;
    };
    const bad: [string, Uint8Array][] = [
      ['empty', new Uint8Array(0)],
      ['truncated by one byte', good.subarray(0, good.length - 1)],
      ['wrong magic', mutate(0, 0x48)],
      ['magic without its NUL', mutate(12, 0x20)],
      ['chain id length 0', mutate(13, 0)],
      ['chain id length 65', mutate(13, 65)],
      ['chain id longer than the message', mutate(13, 40)],
      ['chain id with a space', mutate(14, 0x20)],
      ['chain id with a non-ASCII byte', mutate(14, 0xc3)],
      ['height of 2^53', mutate(19, 0x20)],
      ['step 0', mutate(good.length - 1, 0)],
    ];
    for (const [name, bytes] of bad) expect([name, decodeHrngSignBytes(bytes)]).toEqual([name, undefined]);
    expect(decodeHrngSignBytes('x' as unknown as Uint8Array)).toBeUndefined();
    expect(decodeHrngSignBytes(good)?.chainId).toBe('chain');
  });

  it('refuses to encode out-of-range fields, naming them', () => {
    const base = { chainId: 'c', hrs: { height: 1, round: 0, step: 1 }, body: new Uint8Array(0) };
    const cases: [string, unknown][] = [
      ['chain id', { ...base, chainId: '' }],
      ['chain id', { ...base, chainId: 'a b' }],
      ['chain id', { ...base, chainId: 'x'.repeat(65) }],
      ['height', { ...base, hrs: { ...base.hrs, height: -1 } }],
      ['height', { ...base, hrs: { ...base.hrs, height: 2 ** 53 } }],
      ['round', { ...base, hrs: { ...base.hrs, round: 2 ** 32 } }],
      ['step', { ...base, hrs: { ...base.hrs, step: 0 } }],
      ['step', { ...base, hrs: { ...base.hrs, step: 256 } }],
      ['body', { ...base, body: [1] }],
    ];
    for (const [field, m] of cases) {
      const e = thrown(() => encodeHrngSignBytes(m as Parameters<typeof encodeHrngSignBytes>[0]));
      expect([field, e.code, e.message.includes(field)]).toEqual([field, 'CONSENSUS_INVALID_ARGUMENT', true]);
    }
  });
});
