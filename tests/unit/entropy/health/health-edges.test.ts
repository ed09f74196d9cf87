/**
 * Edges of the SP 800-90B §4.4 health tests and of a source's supervised state (issue 10 §3): alarms at
 * B ≥ C latched per window/run; a retry that starts a fresh window; decisions before observers; a
 * quarantine that survives unavailable → available; kind and credit snapshotted; dependency groups.
 */
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../../crypto/clock.js';
import { AdaptiveProportionTest } from '../../../../crypto/entropy/health/apt.js';
import { aptCutoff } from '../../../../crypto/entropy/health/cutoffs.js';
import { MonitoredSource, type SourceEvent } from '../../../../crypto/entropy/health/monitored-source.js';
import { RepetitionCountTest } from '../../../../crypto/entropy/health/rct.js';
import { EntropyPool } from '../../../../crypto/entropy/pool.js';
import type { EntropySource } from '../../../../crypto/entropy/source.js';
import { Rng } from '../../../../crypto/drbg/rng.js';
import { InsufficientEntropyError } from '../../../../crypto/errors.js';
import { ScriptedSource, UniformStream, stuckSource, uniformSource } from '../../../adversarial/entropy/fakes.js';

function manualClock(): Clock & { advance(ms: number): void } {
  let now = 1000;
  return { monotonicMs: () => now, wallMs: () => 1_700_000_000_000 + now, advance: (ms) => void (now += ms) };
}

/** Filler that is never `v` and never repeats within 255 samples. */
const filler = (i: number, v: number): number => {
  const x = (i * 37 + 11) & 0xff;
  return x === v ? (x + 1) & 0xff : x;
};

describe('alarms at B ≥ C, latched per window and per run', () => {
  it('APT: one alarm per level per window; a new window fires again', () => {
    const apt = new AdaptiveProportionTest(1, -30);
    const fired: string[] = [];
    for (let w = 0; w < 2; w++)
      for (let i = 0; i < 512; i++) {
        const a = apt.feed(i % 4 === 3 ? 1 + (i & 0x70) : 0); // 3 in 4 samples are 0: 384 ≥ both cutoffs
        if (a) fired.push(`${w}:${a.level}:${a.observed}`);
      }
    expect([apt.intermittentCutoff, apt.permanentCutoff]).toEqual([325, 355]);
    expect(fired).toEqual(['0:intermittent:325', '0:permanent:355', '1:intermittent:325', '1:permanent:355']);
  });

  it('RCT: one alarm per level per run; restart() begins a new run', () => {
    const rct = new RepetitionCountTest(1, -30);
    const levels: string[] = [];
    for (let i = 0; i < 200; i++) {
      const a = rct.feed(5);
      if (a) levels.push(`${a.level}:${a.observed}`);
    }
    expect(levels).toEqual(['intermittent:31', 'permanent:61']);
    rct.restart();
    for (let i = 0; i < 31; i++) {
      const a = rct.feed(5);
      if (a) levels.push(`${a.level}:${a.observed}`);
    }
    expect(levels).toEqual(['intermittent:31', 'permanent:61', 'intermittent:31']);
  });
});

describe('the retry after an intermittent alarm starts a fresh window and run', () => {
  it('quarantines a source whose retry read would only pass by riding on the previous window', () => {
    const v = 0xaa;
    // read 0: start-up, 1024 samples of filler (two whole APT windows).
    // read 1: 512 filler, then 490 samples where 2 in 3 are v: 327 copies in the window that began at
    //         sample 512 — the intermittent cutoff 325 (H = 1, α = 2^-30) is crossed, not the permanent 355.
    // read 2 (the retry): 22 × v, then 490 samples where 5 in 8 are v, then filler. In a fresh window
    //         that is 22 + 307 = 329 ≥ 325 copies; carried on from read 1's window it never meets the
    //         cutoff again (the old window ends at 349 < 355, the next window holds 307 < 325).
    const reads = [
      (n: number) => Uint8Array.from({ length: n }, (_, i) => filler(i, v)),
      (n: number) => Uint8Array.from({ length: n }, (_, i) => (i < 512 ? filler(i, v) : (i - 512) % 3 < 2 ? v : filler(i, v))),
      (n: number) =>
        Uint8Array.from({ length: n }, (_, i) => (i < 22 ? v : i < 512 ? ((i - 22) % 8 < 5 ? v : filler(i, v)) : filler(i, v))),
    ];
    const source = new ScriptedSource((n, k) => (reads[k] ?? reads[0])!(n), { id: 'jitter', kind: 'raw', credit: 1 });
    expect(aptCutoff(1, -30)).toBe(325);
    const events: SourceEvent[] = [];
    const m = new MonitoredSource(source, { alphaLog2: -30, clock: manualClock(), onEvent: (e) => events.push(e) });
    expect(m.runStartup()).toBe(true);
    expect(m.readTested(1002)).toBeUndefined();
    expect(source.reads).toBe(3);
    expect(m.state).toBe('quarantined');
    const alarms = events
      .filter((e) => e.type === 'alarm')
      .map((e) => (e.type === 'alarm' ? `${e.failure.test}:${e.failure.level}:${e.failure.observed}` : ''));
    expect(alarms).toEqual(['adaptive-proportion:intermittent:325', 'adaptive-proportion:intermittent:325']);
  });
});

describe('observers never change control flow', () => {
  it('a throwing event listener still leaves a failed source quarantined', () => {
    const m = new MonitoredSource(stuckSource({ kind: 'raw', credit: 1 }), {
      alphaLog2: -30,
      clock: manualClock(),
      onEvent: () => {
        throw new Error('listener bug');
      },
    });
    expect(m.runStartup()).toBe(false);
    expect(m.state).toBe('quarantined');
  });

  it('a throwing logger and listeners: the Rng quarantines the source, degrades, and keeps serving', async () => {
    const flip = { stuck: false };
    const stream = new UniformStream('flip');
    const jitter = new ScriptedSource((n) => (flip.stuck ? new Uint8Array(n).fill(3) : stream.next(n)), {
      id: 'jitter',
      kind: 'raw',
      credit: 1,
    });
    const boom = (): never => {
      throw new Error('disk full');
    };
    const logger = { debug: boom, info: boom, warn: boom, error: boom };
    const rng = await Rng.create({
      sources: [uniformSource({ id: 'os' }), jitter, uniformSource({ id: 'hsm' })],
      logger,
      clock: manualClock(),
    });
    rng.on('state', boom);
    rng.on('source', boom);
    rng.on('reseed', boom);
    flip.stuck = true;
    rng.reseed();
    expect(rng.health().sources.find((s) => s.id === 'jitter')?.state).toBe('quarantined');
    expect(rng.state).toBe('degraded');
    expect(rng.randomBytes(16)).toHaveLength(16);
  });
});

describe('quarantine survives a flap', () => {
  it('unavailable → available keeps the quarantine time: no re-admission before readmitAfterMs', () => {
    const clock = manualClock();
    const flip = { stuck: false };
    const stream = new UniformStream('flap');
    const flappy = new ScriptedSource((n) => (flip.stuck ? new Uint8Array(n).fill(1) : stream.next(n)), { id: 'flappy', credit: 8 });
    const pool = new EntropyPool({
      sources: [uniformSource({ id: 'os' }), flappy, uniformSource({ id: 'c' })],
      policy: { readmitAfterMs: 60_000 },
      clock,
    });
    pool.startup();
    flip.stuck = true;
    pool.draw(64);
    pool.draw(64);
    const state = () => pool.status().find((s) => s.id === 'flappy')?.state;
    expect(state()).toBe('quarantined');
    flip.stuck = false;
    clock.advance(6_000);
    flappy.isAvailable = false;
    pool.draw(64);
    expect(state()).toBe('unavailable');
    flappy.isAvailable = true;
    const readsBefore = flappy.reads;
    pool.draw(64);
    expect(state()).toBe('quarantined'); // 6 s into a 60 s wait: not re-admitted
    expect(flappy.reads).toBe(readsBefore);
    clock.advance(54_000);
    pool.draw(64);
    expect(state()).toBe('healthy');
  });
});

describe('kind and credit are snapshotted at construction', () => {
  it('a getter that raises its credit later changes neither reads, credit nor cutoffs', () => {
    let credit = 1;
    const stream = new UniformStream('getter');
    const sneaky: EntropySource = {
      id: 'sneaky',
      kind: 'raw',
      get creditBitsPerByte() {
        return credit;
      },
      available: () => true,
      read: (n) => stream.next(n),
    };
    const pool = new EntropyPool({ sources: [uniformSource({ id: 'os' }), sneaky] });
    pool.startup();
    credit = 8;
    const draw = pool.draw(64);
    expect(draw.contributions.find((c) => c.id === 'sneaky')).toMatchObject({ bytesRead: 448, creditedBits: 448 });
    const status = pool.status().find((s) => s.id === 'sneaky');
    expect(status?.creditBitsPerByte).toBe(1);
    expect(status?.cutoffs['repetition-count']?.intermittent).toBe(31);
  });
});

describe('dependency groups', () => {
  it('os and rdseed count once (group cpu): a second group is needed', () => {
    const os = uniformSource({ id: 'os' });
    const rdseed = uniformSource({ id: 'rdseed', credit: 4 });
    Object.assign(os, { group: 'cpu' });
    Object.assign(rdseed, { group: 'cpu' });
    const cpuOnly = new EntropyPool({ sources: [os, rdseed] });
    cpuOnly.startup();
    const err = (() => {
      try {
        cpuOnly.draw(64);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(InsufficientEntropyError);
    expect((err as InsufficientEntropyError).creditedSources).toBe(1);
    const withJitter = new EntropyPool({ sources: [os, rdseed, uniformSource({ id: 'jitter', kind: 'raw', credit: 1 })] });
    withJitter.startup();
    expect(withJitter.draw(64).contributions.map((c) => `${c.id}/${c.group}`)).toEqual(['os/cpu', 'rdseed/cpu', 'jitter/jitter']);
  });

  it('the built-in os, rdseed and rdrand sources are in group cpu', async () => {
    const { defaultSources } = await import('../../../../crypto/entropy/sources/index.js');
    expect(defaultSources().map((s) => `${s.id}/${s.group ?? s.id}`)).toEqual([
      'os/cpu',
      'rdseed/cpu',
      'rdrand/cpu',
      'jitter/jitter',
      'auxiliary/auxiliary',
    ]);
  });
});
