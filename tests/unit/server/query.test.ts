/**
 * The query parsers: the accepted shapes, refusals naming the parameter, and a fast-check fuzz that no
 * input makes them throw or accept something out of range.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anuByteCount, parseCurrentAnu, parseLegacyAnu, parseRandom, parseStream, splitQuery } from '../../../server/query.js';

describe('ANU parsers', () => {
  it.each([
    ['length=10&type=uint8', { type: 'uint8', length: 10, size: 1 }],
    ['type=uint16&length=1024', { type: 'uint16', length: 1024, size: 1 }],
    ['length=10&type=hex16&size=1024', { type: 'hex16', length: 10, size: 1024 }],
    ['length=3&type=hex16', { type: 'hex16', length: 3, size: 1 }],
    ['length=3&type=uint8&size=7', { type: 'uint8', length: 3, size: 1 }],
  ])('legacy %s', (q, value) => expect(parseLegacyAnu(q)).toEqual({ ok: true, value }));

  it.each([
    ['', 'type'],
    ['type=uint8', 'length'],
    ['length=0&type=uint8', 'length'],
    ['length=1025&type=uint8', 'length'],
    ['length=01&type=uint8', 'length'],
    ['length=+1&type=uint8', 'length'],
    ['length=1e3&type=uint8', 'length'],
    ['length=1.0&type=uint8', 'length'],
    ['length=1&type=hex8', 'type'],
    ['length=1&type=uint8&length=2', 'length'],
    ['length=1&type=hex16&size=1025', 'size'],
    ['length=1&type=uint8&x=1', 'x'],
    ['length=%zz&type=uint8', 'query'],
  ])('legacy refuses %s naming %s', (q, parameter) => expect(parseLegacyAnu(q)).toMatchObject({ ok: false, parameter }));

  it('current: hex8 accepted, size 1..10, hex16 size counts 16-bit words', () => {
    expect(parseCurrentAnu('length=2&type=hex8&size=10')).toEqual({ ok: true, value: { type: 'hex8', length: 2, size: 10 } });
    expect(parseCurrentAnu('length=2&type=hex16&size=11')).toMatchObject({ ok: false, parameter: 'size' });
    expect(anuByteCount({ type: 'hex16', length: 3, size: 2 }, 'legacy')).toBe(6);
    expect(anuByteCount({ type: 'hex16', length: 3, size: 2 }, 'current')).toBe(12);
    expect(anuByteCount({ type: 'uint16', length: 3, size: 1 }, 'current')).toBe(6);
  });
});

describe('/v1 parsers', () => {
  it('random: bytes required, 1..2^20, format hex|base64|raw', () => {
    expect(parseRandom('bytes=32')).toEqual({ ok: true, value: { bytes: 32, format: 'hex' } });
    expect(parseRandom('bytes=32&format=raw')).toEqual({ ok: true, value: { bytes: 32, format: 'raw' } });
    expect(parseRandom('')).toMatchObject({ ok: false, parameter: 'bytes', message: "parameter 'bytes' is required" });
    expect(parseRandom('bytes=1048577')).toMatchObject({ ok: false, parameter: 'bytes' });
    expect(parseRandom('bytes=4&format=HEX')).toMatchObject({ ok: false, parameter: 'format' });
  });
  it('stream: bounded by the server maximum, which is also the default', () => {
    expect(parseStream('', 1000)).toEqual({ ok: true, value: { bytes: 1000 } });
    expect(parseStream('bytes=1001', 1000)).toMatchObject({ ok: false, parameter: 'bytes' });
  });
  it('refuses long queries and names unprintable parameters without echoing them', () => {
    expect(splitQuery('a='.padEnd(2000, 'x'), ['a'])).toMatchObject({ ok: false, parameter: 'query' });
    expect(splitQuery('%00%01=1', ['a'])).toMatchObject({ ok: false, parameter: '(unprintable)' });
  });
});

describe('fuzz', () => {
  const queryChars = fc.constantFrom(
    ...'abcdefghijklmnopqrstuvwxyz0123456789=&%+-._~ '.split(''),
    'length=',
    'type=',
    'size=',
    'bytes=',
    'format=',
    'uint8',
    'hex16',
    '%zz',
    '%e2%82%ac',
  );
  const query = fc.array(queryChars, { maxLength: 40 }).map((a) => a.join(''));
  it('never throws; anything accepted is within the documented ranges', () => {
    fc.assert(
      fc.property(fc.oneof(query, fc.string({ maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 50 })), (q) => {
        for (const shape of ['legacy', 'current'] as const) {
          const r = shape === 'legacy' ? parseLegacyAnu(q) : parseCurrentAnu(q);
          if (r.ok) {
            expect(r.value.length >= 1 && r.value.length <= 1024).toBe(true);
            expect(r.value.size >= 1 && r.value.size <= (shape === 'legacy' ? 1024 : 10)).toBe(true);
            expect(anuByteCount(r.value, shape)).toBeLessThanOrEqual(1024 * 1024 * 2);
          } else expect(typeof r.parameter === 'string' && r.message.length > 0).toBe(true);
        }
        const r = parseRandom(q);
        if (r.ok) expect(r.value.bytes >= 1 && r.value.bytes <= 1 << 20).toBe(true);
        const s = parseStream(q, 4096);
        if (s.ok) expect(s.value.bytes >= 1 && s.value.bytes <= 4096).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});
