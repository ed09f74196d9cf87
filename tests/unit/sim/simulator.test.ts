import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SimDisk } from '../../../consensus/sim/disk.js';
import { SimEntropySource, SimGenerator } from '../../../consensus/sim/entropy.js';
import { EventQueue } from '../../../consensus/sim/event-queue.js';
import { SimGuardStore } from '../../../consensus/sim/guard-store.js';
import { SimNetwork, QUIET_LINK } from '../../../consensus/sim/network.js';
import { SimRandom } from '../../../consensus/sim/random.js';
import { Simulator } from '../../../consensus/sim/simulator.js';
import { Trace } from '../../../consensus/sim/trace.js';
import { RngFailedError } from '../../../crypto/index.js';

describe('EventQueue', () => {
  it('pops in (time, insertion) order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 200 }), (times) => {
        const q = new EventQueue();
        times.forEach((t) => q.push(t, () => undefined));
        const out: [number, number][] = [];
        for (let e = q.pop(); e !== undefined; e = q.pop()) out.push([e.at, e.seq]);
        const sorted = times.map((t, i) => [t, i] as [number, number]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        expect(out).toEqual(sorted);
      }),
    );
  });
});

describe('Simulator', () => {
  it('runs events at their virtual times, awaiting async handlers one at a time', async () => {
    const sim = new Simulator();
    const log: string[] = [];
    sim.after(10, async () => {
      log.push(`a${sim.now}`);
      await Promise.resolve();
      sim.after(5, () => void log.push(`c${sim.now}`));
      log.push('a-end');
    });
    sim.after(10, () => void log.push(`b${sim.now}`));
    const h = sim.after(12, () => void log.push('cancelled'));
    h.cancel();
    expect(await sim.run(100)).toBe(false);
    expect(log).toEqual(['a10', 'a-end', 'b10', 'c15']);
    expect(sim.now).toBe(15);
  });
});

describe('Trace', () => {
  it('hashes the sequence of lines (FNV-1a 64)', () => {
    const empty = new Trace();
    expect(empty.hash()).toBe('cbf29ce484222325');
    const a = new Trace();
    a.add('a');
    // FNV-1a 64 of "a" (the published test value).
    expect(a.hash()).toBe('af63dc4c8601ec8c');
    const ab = new Trace();
    ab.add('ab');
    const ba = new Trace();
    ba.add('ba');
    expect(ab.hash()).not.toBe(ba.hash());
  });
});

describe('SimRandom', () => {
  it('is a function of the seed and label', () => {
    const a = SimRandom.fromSeed(7);
    const b = SimRandom.fromSeed(7);
    const xs = Array.from({ length: 5 }, () => a.u32());
    expect(Array.from({ length: 5 }, () => b.u32())).toEqual(xs);
    expect(SimRandom.fromSeed(8).u32()).not.toBe(xs[0]);
    expect(SimRandom.fromSeed(7).fork('x').u32()).not.toBe(xs[0]);
  });
  it('draws integers within bounds', () => {
    const r = SimRandom.fromSeed(1);
    const seen = new Set<number>();
    for (let i = 0; i < 500; i++) {
      const v = r.int(3, 6);
      expect(v).toBeGreaterThanOrEqual(3);
      expect(v).toBeLessThanOrEqual(6);
      seen.add(v);
    }
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
  });
});

describe('SimDisk', () => {
  const b = (s: string): Uint8Array => new TextEncoder().encode(s);
  const t = (u: Uint8Array | undefined): string | undefined => (u === undefined ? undefined : new TextDecoder().decode(u));
  it('keeps fsynced data across a crash and loses the rest', () => {
    const d = new SimDisk('d');
    d.write('a', b('one'), 0);
    d.fsync('a');
    d.write('a', b('two'), 10);
    expect(t(d.read('a'))).toBe('two');
    d.crash({ now: 20, writebackMs: Number.POSITIVE_INFINITY });
    expect(t(d.read('a'))).toBe('one');
  });
  it('writes back old pending data, and tears a pending write when told', () => {
    const d = new SimDisk('d');
    d.write('a', b('old'), 0, 50);
    d.write('a', b('new'), 100, 50);
    d.crash({ now: 110, writebackMs: 50 });
    expect(t(d.read('a'))).toBe('old');
    d.write('a', b('abcdef'), 200);
    d.crash({ now: 201, writebackMs: 50, tear: () => 2 });
    expect(t(d.read('a'))).toBe('abd');
  });
  it('backs up and restores what is durable', () => {
    const d = new SimDisk('d');
    d.write('a', b('x'), 0);
    d.fsync('a');
    const backup = d.backup();
    d.write('a', b('y'), 1);
    d.fsync('a');
    d.restore(backup);
    expect(t(d.read('a'))).toBe('x');
    d.wipe();
    expect(d.read('a')).toBeUndefined();
  });
});

describe('SimNetwork', () => {
  it('separates slots not sharing a group, with overlapping groups allowed', () => {
    const net = new SimNetwork(
      {
        link: QUIET_LINK,
        gstMs: 0,
        deltaMs: 20,
        partitions: [
          {
            fromMs: 0,
            toMs: 100,
            groups: [
              [0, 1, 3],
              [2, 3],
            ],
          },
        ],
      },
      SimRandom.fromSeed(1),
    );
    expect(net.route(0, 1, 5).length).toBe(1);
    expect(net.route(3, 2, 5).length).toBe(1);
    expect(net.route(0, 2, 5)).toEqual([]);
    expect(net.route(0, 2, 100).length).toBe(1);
  });
  it('is synchronous after GST: no loss, latency at most delta', () => {
    const lossy = { latency: { kind: 'uniform' as const, minMs: 50, maxMs: 500 }, loss: 0.9, duplicate: 0, reorder: 0, reorderMs: 0 };
    const net = new SimNetwork({ link: lossy, gstMs: 1000, deltaMs: 30 }, SimRandom.fromSeed(2));
    let lost = 0;
    for (let i = 0; i < 100; i++) if (net.route(0, 1, 10).length === 0) lost++;
    expect(lost).toBeGreaterThan(70);
    for (let i = 0; i < 100; i++) {
      const d = net.route(0, 1, 1000);
      expect(d.length).toBe(1);
      expect(d[0]).toBeLessThanOrEqual(30);
    }
  });
});

describe('SimGenerator', () => {
  const sources = (seed: number): SimEntropySource[] => [
    new SimEntropySource('raw', 'raw', SimRandom.fromSeed(seed).fork('raw')),
    new SimEntropySource('hsm', 'conditioned', SimRandom.fromSeed(seed).fork('hsm')),
  ];
  it('two restores of one snapshot diverge when they reseed, and repeat each other when they do not', () => {
    const image = SimGenerator.create(sources(1), { label: 'vm' }).snapshot();
    const a = SimGenerator.restore(image, sources(2), { label: 'a', reseed: true });
    const b = SimGenerator.restore(image, sources(3), { label: 'b', reseed: true });
    expect(a.randomBytes(16)).not.toEqual(b.randomBytes(16));
    const c = SimGenerator.restore(image, sources(2), { label: 'c', reseed: false });
    const d = SimGenerator.restore(image, sources(3), { label: 'd', reseed: false });
    expect(c.randomBytes(16)).toEqual(d.randomBytes(16));
  });
  it.each(['stuck', 'biased'] as const)('fails closed within one reseed interval of a %s raw source', (fault) => {
    const s = sources(4);
    const g = SimGenerator.create(s, { label: 'g', reseedEvery: 4 });
    g.randomBytes(16);
    s[0]?.breakWith(fault);
    let thrown: unknown;
    let served = 0;
    for (let i = 0; i < 20 && thrown === undefined; i++) {
      try {
        g.randomBytes(16);
        served++;
      } catch (err) {
        thrown = err;
      }
    }
    expect(thrown).toBeInstanceOf(RngFailedError);
    expect(served).toBeLessThanOrEqual(4);
    expect(g.failed).toBe(true);
    expect(() => g.randomBytes(1)).toThrow(RngFailedError);
  });
  it('fails closed on an HSM returning repeated bytes', () => {
    const s = sources(5);
    const g = SimGenerator.create(s, { label: 'g', reseedEvery: 2 });
    s[1]?.breakWith('repeated-blocks');
    expect(() => {
      for (let i = 0; i < 10; i++) g.randomBytes(16);
    }).toThrow(RngFailedError);
  });
});

describe('SimGuardStore', () => {
  it('reads a torn record as corrupt (the guard then refuses)', async () => {
    const disk = new SimDisk('s');
    const store = new SimGuardStore(disk, () => 0);
    const state = { keyId: 'k1', height: 3, round: 0, step: 2, payloadHash: new Uint8Array(32).fill(1), signature: null };
    expect(await store.withKey('k1', () => store.compareAndSwap('k1', undefined, state))).toBe(true);
    expect((await store.read('k1'))?.height).toBe(3);
    expect(await store.compareAndSwap('k1', undefined, state)).toBe(false);
    const next = new TextEncoder().encode('{"k":"k1","h":4,"r":0,"s":1,"p":null,"g":null}\n00000000');
    disk.tornWrite('guard/k1', next, 20);
    await expect(new SimGuardStore(disk, () => 0).read('k1')).rejects.toMatchObject({ code: 'GUARD_STATE_CORRUPT' });
  });
});
