/**
 * Properties of Secret over random key material: whatever the bytes, no rendering of them (hex, decimal,
 * base64, latin1) appears in strings, JSON, inspect, pino logs or the errors of any failure path; and
 * dispose always leaves the buffer all zero.
 */
import { inspect } from 'node:util';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../crypto/clock.js';
import { Secret } from '../../crypto/secret/index.js';

function renderings(secret: Uint8Array): string[] {
  const hex = Buffer.from(secret).toString('hex');
  const dec = Array.from(secret);
  const out = [hex, hex.toUpperCase(), dec.join(','), Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('base64url')];
  // Any 4-byte window in hex: a partial leak (e.g. a prefix in an error) is still a leak.
  for (let i = 0; i + 4 <= secret.length; i++) out.push(hex.slice(2 * i, 2 * i + 8));
  return out;
}

function assertClean(texts: readonly string[], secret: Uint8Array): void {
  const all = texts.join('\n');
  for (const r of renderings(secret)) expect(all.includes(r), `leaked rendering ${r.length} chars`).toBe(false);
  // Decimal, whatever the separators and padding (inspect aligns columns): any 4 secret bytes appearing
  // as 4 consecutive numbers in the text.
  const numbers = `,${(all.match(/\d+/g) ?? []).map((d) => String(Number(d))).join(',')},`;
  for (let i = 0; i + 4 <= secret.length; i++) {
    const window = `,${Array.from(secret.subarray(i, i + 4)).join(',')},`;
    expect(numbers.includes(window), 'leaked decimal rendering').toBe(false);
  }
  // A latin1 rendering of 8+ bytes: what String.fromCharCode(...bytes) would produce.
  expect(all.includes(Buffer.from(secret).toString('latin1'))).toBe(false);
}

function errorTexts(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    const err = e as Error;
    return [err.message, String(err.stack), String(err), inspect(err, { showHidden: true, depth: 5 }), JSON.stringify(err)];
  }
  throw new Error('expected a throw');
}

const secretBytes = fc.uint8Array({ minLength: 8, maxLength: 64 }).filter((b) => b.some((x) => x !== 0));

describe('Secret: no rendering of the secret escapes', () => {
  it('the leak detector itself sees a planted leak in every rendering', () => {
    const raw = Uint8Array.from([0xc0, 0xff, 0xee, 0x11, 0x22, 0x33, 0x44, 0x55]);
    for (const r of renderings(raw)) expect(() => assertClean([`x ${r} y`], raw)).toThrow();
    expect(() => assertClean([`key=${String(Array.from(raw))}`], raw)).toThrow();
    expect(() => assertClean([inspect(raw)], raw)).toThrow();
  });

  it('through String, template literals, JSON, inspect and console-style formatting', () => {
    fc.assert(
      fc.property(secretBytes, (raw) => {
        const expected = raw.slice();
        const s = Secret.from(raw);
        const texts = [
          String(s),
          `${s}`,
          s.toString(),
          JSON.stringify(s),
          JSON.stringify({ s, list: [s] }),
          inspect(s),
          inspect({ s }, { showHidden: true, depth: 10 }),
          inspect(structuredClone(s)),
          JSON.stringify({ ...s }),
        ];
        assertClean(texts, expected);
        s.dispose();
        assertClean([String(s), inspect(s), JSON.stringify(s)], expected);
      }),
      { numRuns: 200 },
    );
  });

  it('through every failure path error', () => {
    const clock: Clock & { now: number } = { now: 0, monotonicMs: () => clock.now, wallMs: () => clock.now };
    fc.assert(
      fc.property(secretBytes, (raw) => {
        const expected = raw.slice();
        const texts: string[] = [];
        const disposed = Secret.from(raw.slice());
        disposed.dispose();
        texts.push(...errorTexts(() => disposed.use(() => 0)));
        texts.push(...errorTexts(() => Secret.from(raw.slice(), { ttlMs: 0 })));
        texts.push(...errorTexts(() => Secret.from(raw.slice(), { ttlMs: Number.NaN })));
        const live = Secret.from(raw.slice());
        texts.push(...errorTexts(() => live.equals(disposed)));
        texts.push(...errorTexts(() => live.equals(raw as unknown as Secret)));
        texts.push(...errorTexts(() => Secret.derive('sha256', disposed, { info: new Uint8Array(0), length: 32 })));
        texts.push(...errorTexts(() => Secret.derive('sha256', live, { info: new Uint8Array(0), length: 255 * 32 + 1 })));
        texts.push(...errorTexts(() => Secret.derive('md5' as 'sha256', live, { info: new Uint8Array(0), length: 32 })));
        texts.push(...errorTexts(() => Secret.random({ randomBytes: () => raw.slice(0, 4) }, raw.length)));
        const ephemeral = Secret.from(raw.slice(), { ttlMs: 10, clock });
        clock.now += 10;
        texts.push(...errorTexts(() => ephemeral.use(() => 0)));
        assertClean(texts, expected);
        live.dispose();
      }),
      { numRuns: 100 },
    );
  });

  it('through a real pino logger', async () => {
    const samples = fc.sample(secretBytes, 50);
    const chunks: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb): void {
        chunks.push(chunk.toString('utf8'));
        cb();
      },
    });
    const log = pino({ level: 'trace' }, sink);
    const expected = samples.map((b) => b.slice());
    for (const raw of samples) {
      const s = Secret.from(raw);
      log.info({ key: s, deep: { keys: [s, { s }] } }, 'key');
      s.dispose();
      let err: unknown;
      try {
        s.use(() => 0);
      } catch (e) {
        err = e;
      }
      log.error({ err, key: s }, 'failed');
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(chunks.length).toBe(100);
    for (const e of expected) assertClean(chunks, e);
  });

  it('dispose leaves the buffer all zero, whatever it held', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 256 }), fc.boolean(), (raw, keepSource) => {
        const s = Secret.from(raw, { keepSource });
        let own: Uint8Array = new Uint8Array(0);
        s.use((b) => {
          own = b;
        });
        if (!keepSource) expect(raw.every((x) => x === 0)).toBe(true);
        s.dispose();
        expect(own.length).toBe(raw.length);
        expect(own.every((x) => x === 0)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('equals agrees with byte equality', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 48, minLength: 1 }),
        fc.uint8Array({ maxLength: 48, minLength: 1 }),
        fc.boolean(),
        (a, b, same) => {
          const right = same ? a.slice() : b;
          const expected = a.length === right.length && a.every((x, i) => x === right[i]);
          expect(Secret.from(a, { keepSource: true }).equals(Secret.from(right, { keepSource: true }))).toBe(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});
