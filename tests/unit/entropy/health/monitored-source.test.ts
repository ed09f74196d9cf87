import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../../crypto/clock.js';
import { rctCutoff } from '../../../../crypto/entropy/health/cutoffs.js';
import { MonitoredSource, type SourceEvent } from '../../../../crypto/entropy/health/monitored-source.js';
import { STARTUP_RAW_SAMPLES, startupReadBytes } from '../../../../crypto/entropy/health/startup.js';
import {
  ScriptedSource,
  UniformStream,
  failsAfter,
  stuckSource,
  throwingSource,
  uniformSource,
} from '../../../adversarial/entropy/fakes.js';

function manualClock(): Clock & { advance(ms: number): void } {
  let now = 1000;
  return { monotonicMs: () => now, wallMs: () => 1_700_000_000_000 + now, advance: (ms) => void (now += ms) };
}

function monitor(source: ScriptedSource, clock = manualClock()): { m: MonitoredSource; events: SourceEvent[] } {
  const events: SourceEvent[] = [];
  return { m: new MonitoredSource(source, { alphaLog2: -30, clock, onEvent: (e) => events.push(e) }), events };
}

describe('start-up testing (SP 800-90B §4.3)', () => {
  it('reads 1024 raw samples, and 9 stuck-block blocks from a conditioned source', () => {
    expect(startupReadBytes({ kind: 'raw', creditBitsPerByte: 1 })).toBe(STARTUP_RAW_SAMPLES);
    expect(startupReadBytes({ kind: 'conditioned', creditBitsPerByte: 8 })).toBe(9 * 16);
    const raw = uniformSource({ kind: 'raw', credit: 8 });
    const { m, events } = monitor(raw);
    expect(m.state).toBe('untested');
    expect(m.readTested(32)).toBeUndefined(); // no output before start-up
    expect(m.runStartup()).toBe(true);
    expect(raw.bytesRead).toBe(1024);
    expect(m.state).toBe('healthy');
    expect(events).toEqual([{ type: 'startup', source: 'fake', passed: true, samples: 1024, readmission: false }]);
  });

  it('fails a stuck raw source at start-up and quarantines it, naming the test and numbers', () => {
    const { m, events } = monitor(stuckSource({ kind: 'raw', credit: 2, id: 'jitter' }));
    expect(m.runStartup()).toBe(false);
    expect(m.state).toBe('quarantined');
    const c = rctCutoff(2, -60);
    expect(m.status().lastFailure).toMatchObject({ test: 'repetition-count', level: 'permanent', observed: c, cutoff: c });
    expect(events.map((e) => e.type)).toEqual(['alarm', 'quarantined', 'startup']);
    expect(m.status().startup).toBe('failed');
  });

  it('fails start-up on an intermittent-level alarm too', () => {
    // A run of exactly the intermittent cutoff (5 at H = 8) inside otherwise uniform data.
    const s = new ScriptedSource(
      (n) => {
        const out = new UniformStream('one-run').next(n).map((b) => (b === 9 ? 8 : b));
        out.fill(9, 100, 105);
        return out;
      },
      { kind: 'raw', credit: 8 },
    );
    const { m } = monitor(s);
    expect(m.runStartup()).toBe(false);
    expect(m.status().lastFailure).toMatchObject({ test: 'repetition-count', level: 'intermittent', observed: 5 });
  });
});

describe('continuous testing, quarantine and re-admission', () => {
  it('quarantines a source that goes stuck, and re-admits it only after a fresh start-up passes', () => {
    const clock = manualClock();
    let stuck = false;
    const stream = new UniformStream('readmit');
    const s = new ScriptedSource((n) => (stuck ? new Uint8Array(n).fill(1) : stream.next(n)), { id: 'os', credit: 8 });
    const { m, events } = monitor(s, clock);
    m.runStartup();
    expect(m.readTested(64)).toHaveLength(64);
    stuck = true;
    expect(m.readTested(64)).toBeUndefined();
    expect(m.state).toBe('quarantined');
    expect(m.quarantinedForMs()).toBe(0);
    clock.advance(5000);
    expect(m.quarantinedForMs()).toBe(5000);
    expect(m.runStartup()).toBe(false);
    stuck = false;
    expect(m.runStartup()).toBe(true);
    expect(m.state).toBe('healthy');
    expect(events.filter((e) => e.type === 'startup').map((e) => (e.type === 'startup' ? [e.passed, e.readmission] : []))).toEqual([
      [true, false],
      [false, true],
      [true, true],
    ]);
  });

  it('discards a read with an intermittent alarm and retries once; two in a row quarantine', () => {
    // Uniform data with a 5-long run planted in reads 1 and 2 (after start-up, read 0).
    const stream = new UniformStream('intermittent');
    const plantIn = new Set<number>([1]);
    const s = new ScriptedSource(
      (n, i) => {
        const out = stream.next(n).map((b) => (b === 9 ? 8 : b));
        if (plantIn.has(i)) out.fill(9, 10, 15);
        return out;
      },
      { kind: 'raw', credit: 8 },
    );
    const { m, events } = monitor(s);
    m.runStartup();
    const got = m.readTested(200);
    expect(got).toHaveLength(200);
    expect(s.reads).toBe(3);
    expect(m.state).toBe('healthy');
    expect(events.filter((e) => e.type === 'alarm')).toHaveLength(1);
    plantIn.add(3).add(4);
    expect(m.readTested(200)).toBeUndefined();
    expect(m.state).toBe('quarantined');
  });

  it('quarantines on a read error and records its code, not bytes', () => {
    const { m } = monitor(failsAfter(1, { id: 'tpm' }));
    m.runStartup();
    expect(m.readTested(32)).toBeUndefined();
    expect(m.state).toBe('quarantined');
    const t = monitor(throwingSource({ id: 'hsm' }));
    expect(t.m.runStartup()).toBe(false);
    expect(t.m.status().lastFailure).toMatchObject({ test: 'read-error', detail: expect.stringContaining('ENTROPY_SOURCE_READ_FAILED') });
  });

  it('tracks availability: an unplugged source is unavailable, and untested again when it returns', () => {
    const s = uniformSource({ id: 'usb' });
    const { m, events } = monitor(s);
    m.runStartup();
    s.isAvailable = false;
    expect(m.refreshAvailability()).toBe(false);
    expect(m.state).toBe('unavailable');
    expect(m.status()).toMatchObject({ available: false, unavailableReason: 'unplugged by the test' });
    s.isAvailable = true;
    expect(m.refreshAvailability()).toBe(true);
    expect(m.state).toBe('untested');
    expect(events.some((e) => e.type === 'unavailable')).toBe(true);
  });

  it('rejects a credit outside [0, 8]', () => {
    expect(() => monitor(uniformSource({ credit: 9 }))).toThrow(expect.objectContaining({ code: 'CRYPTO_INVALID_ARGUMENT' }));
    expect(() => monitor(uniformSource({ credit: -1 }))).toThrow(expect.objectContaining({ code: 'CRYPTO_INVALID_ARGUMENT' }));
  });
});
