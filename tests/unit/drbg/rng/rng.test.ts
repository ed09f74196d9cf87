import { KNOWN_ANSWER_TESTS } from '../../../../crypto/drbg/self-test.js';
import { inspect } from 'node:util';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { InsufficientEntropyError, RngFailedError, WebCryptoError } from '../../../../crypto/errors.js';
import { Rng, type RngOptions } from '../../../../crypto/drbg/rng.js';
import type { RngStateChange } from '../../../../crypto/drbg/monitor.js';
import { ScriptedSource, UniformStream, uniformSource } from '../../../adversarial/entropy/fakes.js';
import { manualClock, recordingLogger } from './helpers.js';

const sources = (): ScriptedSource[] => [
  uniformSource({ id: 'os', credit: 8 }, 'os'),
  uniformSource({ id: 'jitter', kind: 'raw', credit: 1 }, 'jitter'),
  uniformSource({ id: 'auxiliary', credit: 0 }, 'aux'),
];

const create = (extra: Partial<RngOptions> = {}): Promise<Rng> => Rng.create({ sources: sources(), clock: manualClock(), ...extra });

/** A source that can be switched to stuck output (a constant) at any time. */
function switchable(id: string, kind: 'raw' | 'conditioned' = 'conditioned', credit = 8): ScriptedSource & { stuck: boolean } {
  const stream = new UniformStream(`switch/${id}`);
  const s = new ScriptedSource((n) => (s.stuck ? new Uint8Array(n).fill(1) : stream.next(n)), { id, kind, credit }) as ScriptedSource & {
    stuck: boolean;
  };
  s.stuck = false;
  return s;
}

describe('Rng.create', () => {
  it('seeds from the pool and reports which sources contributed and what each was credited', async () => {
    const rng = await create();
    const h = rng.health();
    expect(h.state).toBe('healthy');
    expect(h.hash).toBe('sha512');
    expect(h.seed).toMatchObject({
      drawCounter: 1,
      purpose: 'instantiate',
      claimedBits: 384,
      contributions: [
        { id: 'os', kind: 'conditioned', bytesRead: 56, creditedBits: 448 },
        { id: 'jitter', kind: 'raw', bytesRead: 448, creditedBits: 448 },
        { id: 'auxiliary', kind: 'conditioned', bytesRead: 64, creditedBits: 0 },
      ],
    });
    expect(h.sources.map((s) => [s.id, s.state, s.startup])).toEqual([
      ['os', 'healthy', 'passed'],
      ['jitter', 'healthy', 'passed'],
      ['auxiliary', 'healthy', 'passed'],
    ]);
    expect(h.sources[1]?.creditBitsPerSample).toBe(1);
    expect(h.sources[0]?.creditBitsPerSample).toBeUndefined();
    // The tests a SHA-512 generator needs (SHA-2 and SHA-3, HMAC-SHA-512, HMAC_DRBG-SHA-512), not the others'.
    expect(h.selfTests.map((t) => t.name)).toEqual(
      KNOWN_ANSWER_TESTS.filter((t) => t.hash === undefined || t.hash === 'sha512').map((t) => t.name),
    );
    expect(h.selfTests).toHaveLength(4);
    expect(h.selfTests.every((t) => t.passed)).toBe(true);
  });

  it('two instances fed identical entropy still differ (personalization: pid, hrtime, counter)', async () => {
    const a = await create();
    const b = await create();
    expect(a.randomBytes(32)).not.toEqual(b.randomBytes(32));
  });

  it('supports SHA3-512 and SHA-256 and rejects an unknown hash', async () => {
    expect((await create({ hash: 'sha3-512' })).health().hash).toBe('sha3-512');
    expect((await create({ hash: 'sha256' })).randomBytes(16)).toHaveLength(16);
    await expect(create({ hash: 'md5' as never })).rejects.toMatchObject({ code: 'CRYPTO_INVALID_ARGUMENT' });
  });

  it('refuses to start when the policy cannot be met, naming each source', async () => {
    const err = await Rng.create({ sources: [uniformSource({ id: 'os' }), uniformSource({ id: 'auxiliary', credit: 0 })] }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RngFailedError);
    expect((err as RngFailedError).cause).toBeInstanceOf(InsufficientEntropyError);
    expect((err as Error).message).toMatch(
      /1 healthy credited source.*the policy needs 2.*os: available, healthy.*auxiliary: available, healthy, credit 0/,
    );
  });

  it('validates its policy', async () => {
    await expect(create({ policy: { reseedAfterRequests: 0 } })).rejects.toMatchObject({ code: 'CRYPTO_INVALID_ARGUMENT' });
    await expect(create({ policy: { batchBytes: 100_000 } })).rejects.toMatchObject({ code: 'CRYPTO_INVALID_ARGUMENT' });
  });

  it('refuses a per-draw claim below the 256 + 128 bits one instantiation needs', async () => {
    for (const minCreditedBits of [256, 383]) {
      const err = await create({ policy: { minCreditedBits } }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'CRYPTO_INVALID_ARGUMENT' });
      expect((err as Error).message).toMatch(/minCreditedBits .* must be within 384..448, got (256|383)$/);
    }
    const rng = await create({ policy: { minCreditedBits: 384 } });
    expect(rng.health().seed?.claimedBits).toBe(384);
    rng.destroy();
  });
});

describe('randomBytes', () => {
  it('returns exactly the length asked for, any length', async () => {
    const rng = await create();
    for (const n of [0, 1, 31, 256, 257, 4096, 65536, 65537, 200_000]) expect(rng.randomBytes(n)).toHaveLength(n);
    const big = rng.randomBytes(200_000);
    expect(big.subarray(0, 65536)).not.toEqual(big.subarray(65536, 131072));
  });

  it('rejects bad lengths and additional input', async () => {
    const rng = await create();
    for (const n of [-1, 1.5, Number.NaN, 2 ** 60])
      expect(() => rng.randomBytes(n)).toThrow(expect.objectContaining({ code: 'CRYPTO_INVALID_ARGUMENT' }));
    expect(() => rng.randomBytes(8, 'x' as never)).toThrow(expect.objectContaining({ code: 'CRYPTO_INVALID_ARGUMENT' }));
  });

  it('serves small requests from one 4 KiB block: 128 requests of 32 bytes cost one DRBG call', async () => {
    const rng = await create();
    const seen = new Set<string>();
    for (let i = 0; i < 128; i++) seen.add(Buffer.from(rng.randomBytes(32)).toString('hex'));
    expect(seen.size).toBe(128);
    expect(rng.health().counters).toMatchObject({ requests: 128, bytes: 4096, drbgRequests: 1 });
    rng.randomBytes(1);
    expect(rng.health().counters.drbgRequests).toBe(2);
    rng.randomBytes(257); // above batchMaxRequest: straight from the DRBG
    expect(rng.health().counters.drbgRequests).toBe(3);
  });

  it('additional input bypasses the batch and goes into the DRBG request', async () => {
    const rng = await create();
    rng.randomBytes(8, Uint8Array.of(1, 2, 3));
    expect(rng.health().counters.drbgRequests).toBe(1);
  });

  it('counts reseed limits exactly across the 64 KiB split of one request', async () => {
    const rng = await create({ policy: { reseedAfterRequests: 3, batchBytes: 0, batchMaxRequest: 0 } });
    rng.randomBytes(5 * 65536);
    expect(rng.health().counters).toMatchObject({ drbgRequests: 5, reseeds: 1, sinceSeed: { drbgRequests: 2, bytes: 2 * 65536 } });
    rng.randomBytes(65536);
    expect(rng.health().counters).toMatchObject({ reseeds: 1, sinceSeed: { drbgRequests: 3 } });
    rng.randomBytes(1);
    expect(rng.health().counters).toMatchObject({ reseeds: 2, sinceSeed: { drbgRequests: 1, bytes: 1 } });
    expect(rng.health().seed?.purpose).toBe('interval');
  });

  it('reseeds by bytes and by time (injected clock)', async () => {
    const clock = manualClock();
    const rng = await create({ clock, policy: { reseedAfterBytes: 100_000, reseedAfterMs: 60_000 } });
    rng.randomBytes(65536);
    rng.randomBytes(30_000);
    expect(rng.health().counters.reseeds).toBe(0);
    rng.randomBytes(10_000); // 95 536 < 100 000 before this request: no reseed yet
    expect(rng.health().counters.reseeds).toBe(0);
    rng.randomBytes(10);
    expect(rng.health().counters.reseeds).toBe(1);
    clock.advance(59_999);
    rng.randomBytes(300);
    expect(rng.health().counters.reseeds).toBe(1);
    clock.advance(1);
    rng.randomBytes(300);
    expect(rng.health().counters.reseeds).toBe(2);
  });

  it('under prediction resistance reseeds before every DRBG request and never batches', async () => {
    const rng = await create({ predictionResistance: true });
    const reseeds: string[] = [];
    rng.on('reseed', (p) => reseeds.push(p.purpose));
    rng.randomBytes(16);
    rng.randomBytes(16);
    rng.randomBytes(150_000, Uint8Array.of(9));
    expect(reseeds).toEqual(Array(5).fill('prediction-resistance'));
    expect(rng.health().counters).toMatchObject({ drbgRequests: 5, reseeds: 5 });
  });

  it('a changed process id forces a reseed before any output, and wipes the batch', async () => {
    let pid = 100;
    const rng = await create({ pid: () => pid });
    rng.randomBytes(32);
    pid = 101;
    const reseeds: string[] = [];
    rng.on('reseed', (p) => reseeds.push(p.purpose));
    rng.randomBytes(32);
    expect(reseeds).toEqual(['fork']);
    expect(rng.health().counters.drbgRequests).toBe(2); // the old block was not used after the fork
    rng.randomBytes(32);
    expect(reseeds).toEqual(['fork']);
  });

  it('reseed() on demand draws from the pool and records the provenance', async () => {
    const rng = await create();
    rng.reseed();
    expect(rng.health().seed).toMatchObject({ drawCounter: 2, purpose: 'on-demand' });
    expect(rng.health().counters.reseeds).toBe(1);
  });
});

describe('getRandomValues (Web Crypto semantics)', () => {
  it('fills and returns the same integer typed array', async () => {
    const rng = await create();
    for (const C of [
      Int8Array,
      Uint8Array,
      Uint8ClampedArray,
      Int16Array,
      Uint16Array,
      Int32Array,
      Uint32Array,
      BigInt64Array,
      BigUint64Array,
    ]) {
      const a = new C(64);
      expect(rng.getRandomValues(a)).toBe(a);
      expect(new Uint8Array(a.buffer).some((b) => b !== 0)).toBe(true);
    }
    const backing = new Uint8Array(32);
    const view = new Uint32Array(backing.buffer, 8, 4);
    rng.getRandomValues(view);
    expect(backing.subarray(0, 8).every((b) => b === 0)).toBe(true);
    expect(backing.subarray(24).every((b) => b === 0)).toBe(true);
  });

  it('rejects float arrays and DataViews with TypeMismatchError, > 65536 bytes with QuotaExceededError', async () => {
    const rng = await create();
    for (const bad of [new Float32Array(4), new Float64Array(4), new DataView(new ArrayBuffer(4))]) {
      expect(() => rng.getRandomValues(bad)).toThrow(
        expect.objectContaining({ code: 'RNG_TYPE_MISMATCH', name: 'TypeMismatchError', domExceptionCode: 17 }),
      );
    }
    const e = (() => {
      try {
        rng.getRandomValues(new Uint32Array(16385));
      } catch (err) {
        return err as Error;
      }
      return undefined;
    })();
    expect(e).toBeInstanceOf(WebCryptoError);
    expect(e?.name).toBe('QuotaExceededError');
    expect(e).toMatchObject({ code: 'RNG_QUOTA_EXCEEDED', domExceptionCode: 22 });
    expect(rng.getRandomValues(new Uint8Array(65536))).toHaveLength(65536);
  });
});

describe('lifecycle and secrecy', () => {
  it('destroy() ends it: every call throws RngDestroyedError', async () => {
    const rng = await create();
    rng.destroy();
    expect(() => rng.randomBytes(1)).toThrow(expect.objectContaining({ code: 'RNG_DESTROYED' }));
    expect(() => rng.getRandomValues(new Uint8Array(1))).toThrow(expect.objectContaining({ code: 'RNG_DESTROYED' }));
    expect(() => rng.reseed()).toThrow(expect.objectContaining({ code: 'RNG_DESTROYED' }));
    rng.destroy();
  });

  it('JSON.stringify and util.inspect show state, not bytes', async () => {
    const rng = await create();
    rng.randomBytes(32);
    expect(JSON.parse(JSON.stringify(rng))).toEqual({
      state: 'healthy',
      hash: 'sha512',
      predictionResistance: false,
      cloneSafe: 'standard',
      destroyed: false,
    });
    expect(inspect(rng, { showHidden: true, depth: 10 })).toBe("Rng { state: 'healthy', hash: 'sha512' }");
    expect(JSON.stringify(rng.health())).not.toMatch(/[0-9a-f]{32}/);
  });
});

describe('monitor: states, quarantine, logs, fail closed', () => {
  it('degrades when a source is quarantined, logs {source, test, observed, cutoff}, and emits one event per change', async () => {
    const logger = recordingLogger();
    const a = switchable('a');
    const b = switchable('b');
    const c = switchable('c');
    const rng = await Rng.create({ sources: [a, b, c], logger, clock: manualClock() });
    const changes: RngStateChange[] = [];
    rng.on('state', (ch) => changes.push(ch));
    a.stuck = true;
    rng.reseed();
    expect(rng.state).toBe('degraded');
    expect(rng.health().reason).toBe("source 'a' quarantined (stuck-block permanent: observed 2, cutoff 2)");
    expect(changes.map((ch) => [ch.from, ch.to])).toEqual([['healthy', 'degraded']]);
    const alarm = logger.records.find((r) => r.msg === 'entropy source failed a health test');
    expect(alarm).toEqual({
      level: 'error',
      obj: { source: 'a', test: 'stuck-block', alarm: 'permanent', observed: 2, cutoff: 2 },
      msg: 'entropy source failed a health test',
    });
    expect(rng.health().seed?.contributions.map((x) => x.id)).toEqual(['b', 'c']);
    expect(rng.randomBytes(16)).toHaveLength(16); // policy (2 sources) still met
    expect(rng.health().sources[0]).toMatchObject({
      id: 'a',
      state: 'quarantined',
      lastFailure: { test: 'stuck-block', observed: 2, cutoff: 2 },
    });
  });

  it('speaks pino: a real pino logger gets one JSON line per event with source, test, observed and cutoff, no bytes', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
    const a = switchable('a');
    const rng = await Rng.create({ sources: [a, switchable('b'), switchable('c')], logger, clock: manualClock() });
    const sample = rng.randomBytes(32);
    a.stuck = true;
    rng.reseed();
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.find((r) => r.msg === 'entropy source failed a health test')).toMatchObject({
      level: 50,
      source: 'a',
      test: 'stuck-block',
      alarm: 'permanent',
      observed: 2,
      cutoff: 2,
    });
    expect(records.find((r) => r.msg === 'random generator degraded')).toMatchObject({ level: 40 });
    expect(records.filter((r) => r.msg === 'entropy source passed start-up tests').map((r) => r.source)).toEqual(['a', 'b', 'c']);
    const hex = Buffer.from(sample).toString('hex');
    for (const l of lines) expect(l).not.toContain(hex.slice(0, 16));
  });

  it('fails closed when the policy can no longer be met, and recovers only through passing start-up tests', async () => {
    const logger = recordingLogger();
    const clock = manualClock();
    const a = switchable('a');
    const b = switchable('b');
    const rng = await Rng.create({ sources: [a, b], logger, clock, policy: { readmitAfterMs: 1000 } });
    const changes: RngStateChange[] = [];
    rng.on('state', (ch) => changes.push(ch));
    b.stuck = true;
    expect(() => rng.reseed()).toThrow(RngFailedError);
    expect(rng.state).toBe('failed');
    expect(rng.health().reason).toMatch(/^entropy policy cannot be met: only 1 healthy credited source.*b: available, quarantined/);
    const err = (() => {
      try {
        rng.randomBytes(1);
      } catch (e) {
        return e as RngFailedError;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(RngFailedError);
    expect(err?.code).toBe('RNG_FAILED');
    expect(err?.message).toContain('entropy policy cannot be met');
    expect(() => rng.getRandomValues(new Uint8Array(4))).toThrow(RngFailedError);
    // Still stuck after the wait: the re-admission start-up fails, output stays refused.
    clock.advance(1000);
    expect(() => rng.randomBytes(1)).toThrow(RngFailedError);
    b.stuck = false;
    expect(() => rng.randomBytes(1)).toThrow(RngFailedError); // next attempt not due yet
    clock.advance(1000);
    expect(rng.randomBytes(8)).toHaveLength(8);
    expect(rng.state).toBe('healthy');
    expect(rng.health().seed?.purpose).toBe('recovery');
    expect(changes.map((ch) => ch.to)).toEqual(['failed', 'healthy']);
    expect(logger.records.some((r) => r.msg === 'random generator failed' && r.level === 'error')).toBe(true);
    expect(logger.records.some((r) => r.msg === 'entropy source re-admitted' && r.obj['source'] === 'b')).toBe(true);
  });

  it('an intermittent alarm degrades for one draw; the next clean draw is healthy again', async () => {
    let plant = false;
    const stream = new UniformStream('raw-intermittent');
    const raw = new ScriptedSource(
      (n) => {
        const out = stream.next(n).map((v) => (v === 9 ? 8 : v));
        if (plant) {
          out.fill(9, 10, 15); // a run of 5 = the RCT cutoff at H = 8, α = 2^-30
          plant = false;
        }
        return out;
      },
      { id: 'noise', kind: 'raw', credit: 8 },
    );
    const logger = recordingLogger();
    const rng = await Rng.create({ sources: [raw, uniformSource({ id: 'os' })], logger, clock: manualClock() });
    plant = true;
    rng.reseed();
    expect(rng.state).toBe('degraded');
    expect(rng.health().reason).toBe("intermittent repetition-count alarm on 'noise' in the last draw (observed 5, cutoff 5)");
    expect(logger.records.find((r) => r.level === 'warn' && r.obj['source'] === 'noise')?.obj).toEqual({
      source: 'noise',
      test: 'repetition-count',
      alarm: 'intermittent',
      observed: 5,
      cutoff: 5,
    });
    expect(rng.health().seed?.contributions.map((c) => c.id)).toEqual(['noise', 'os']);
    rng.reseed();
    expect(rng.state).toBe('healthy');
  });

  it('logs never contain sample or output bytes', async () => {
    const logger = recordingLogger();
    const a = switchable('a');
    const rng = await Rng.create({ sources: [a, switchable('b'), switchable('c')], logger, clock: manualClock() });
    a.stuck = true;
    rng.reseed();
    rng.randomBytes(64);
    const text = JSON.stringify(logger.records);
    expect(text).not.toMatch(/[0-9a-f]{16}/i);
    expect(text).not.toMatch(/Uint8Array|\[\s*\d+\s*,\s*\d+/);
  });
});
