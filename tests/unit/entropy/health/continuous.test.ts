import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { AdaptiveProportionTest } from '../../../../crypto/entropy/health/apt.js';
import { continuousTestFor } from '../../../../crypto/entropy/health/continuous.js';
import { aptCutoff, rctCutoff } from '../../../../crypto/entropy/health/cutoffs.js';
import { RepetitionCountTest } from '../../../../crypto/entropy/health/rct.js';
import { StuckBlockTest, stuckBlockSize } from '../../../../crypto/entropy/health/stuck-block.js';
import { UniformStream, biasedSource, patternSource, stuckSource } from '../../../adversarial/entropy/fakes.js';

function feedAll(test: { feed(s: number): unknown }, samples: Uint8Array): unknown[] {
  const out: unknown[] = [];
  for (const s of samples) {
    const a = test.feed(s);
    if (a) out.push(a);
  }
  return out;
}

describe('repetition count test', () => {
  it.each([1, 2, 4, 8, 0.5])('fires on a stuck source at exactly the C-th identical sample (H = %s)', (h) => {
    const c = rctCutoff(h, -30);
    const cp = rctCutoff(h, -60);
    const rct = new RepetitionCountTest(h, -30);
    expect([rct.intermittentCutoff, rct.permanentCutoff]).toEqual([c, cp]);
    const alarms = feedAll(rct, new Uint8Array(cp + 10).fill(3));
    expect(alarms).toEqual([
      { test: 'repetition-count', level: 'intermittent', observed: c, cutoff: c, sampleIndex: c },
      { test: 'repetition-count', level: 'permanent', observed: cp, cutoff: cp, sampleIndex: cp },
    ]);
  });

  it('counts runs from where they start, not from the first sample', () => {
    const rct = new RepetitionCountTest(8, -30); // C = 5
    const samples = Uint8Array.from([1, 2, 9, 9, 9, 9, 4, 9, 9, 9, 9, 9]);
    expect(feedAll(rct, samples)).toEqual([{ test: 'repetition-count', level: 'intermittent', observed: 5, cutoff: 5, sampleIndex: 12 }]);
  });
});

describe('adaptive proportion test', () => {
  it('fires on a stuck source at the C-th sample of the window', () => {
    const apt = new AdaptiveProportionTest(8, -30);
    const c = aptCutoff(8, -30);
    const alarms = feedAll(apt, new Uint8Array(600).fill(1)) as { level: string; sampleIndex: number }[];
    expect(alarms[0]).toEqual({ test: 'adaptive-proportion', level: 'intermittent', observed: c, cutoff: c, sampleIndex: c });
  });

  it('catches a 4-value repeating pattern (invisible to the RCT) at sample 1 + 4(C − 1)', () => {
    const c = aptCutoff(4, -30);
    const rct = new RepetitionCountTest(4, -30);
    const apt = new AdaptiveProportionTest(4, -30);
    const samples = patternSource([10, 20, 30, 40]).read(512);
    expect(feedAll(rct, samples)).toEqual([]);
    const [first] = feedAll(apt, samples) as { sampleIndex: number; level: string }[];
    expect(first).toEqual({ test: 'adaptive-proportion', level: 'intermittent', observed: c, cutoff: c, sampleIndex: 1 + 4 * (c - 1) });
  });

  it('catches a biased source (P[0] = 1/2 claimed at H = 4) within the first windows whose reference is the biased value', () => {
    const apt = new AdaptiveProportionTest(4, -30);
    const samples = biasedSource(0.5, {}, 0).read(512 * 8);
    let fired: { test: string; level: string; observed: number; cutoff: number; sampleIndex: number } | undefined;
    let window = 0;
    for (let i = 0; i < samples.length && !fired; i++) {
      const a = apt.feed(samples[i] ?? 0);
      if (a) fired = a;
    }
    const c = aptCutoff(4, -30);
    expect(fired).toMatchObject({ test: 'adaptive-proportion', level: 'intermittent', observed: c, cutoff: c });
    // The first window whose reference sample is 0 must fire: count that window from the data.
    for (let w = 0; w < 8; w++) {
      if (samples[w * 512] === 0) {
        window = w;
        break;
      }
    }
    expect(Math.floor(((fired?.sampleIndex ?? 0) - 1) / 512)).toBe(window);
  });

  it('judges each window on its own: C − 1 hits in each of two windows pass, C hits in one fire', () => {
    const c = aptCutoff(8, -30);
    const build = (hitsInFirst: number): Uint8Array => {
      const s = new UniformStream('apt-window').next(1024).map((b) => (b === 0xee ? 0x11 : b));
      for (const base of [0, 512]) {
        const hits = base === 0 ? hitsInFirst : c - 1;
        for (let k = 0; k < hits; k++) s[base + k * 20] = 0xee; // k = 0 is the window's reference
      }
      return s;
    };
    expect(feedAll(new AdaptiveProportionTest(8, -30), build(c - 1))).toEqual([]);
    expect(feedAll(new AdaptiveProportionTest(8, -30), build(c))).toEqual([
      { test: 'adaptive-proportion', level: 'intermittent', observed: c, cutoff: c, sampleIndex: 1 + (c - 1) * 20 },
    ]);
  });
});

describe('healthy sources are not flagged', () => {
  it('10^6 uniform samples at H = 8, α = 2^-30: no alarm from RCT or APT', () => {
    const tester = continuousTestFor({ kind: 'raw', creditBitsPerByte: 8 }, -30);
    const stream = new UniformStream('long-run');
    let alarms = 0;
    for (let i = 0; i < 16; i++) alarms += tester.test(stream.next(62_500)).alarms.length;
    expect(alarms).toBe(0);
  });

  it('10^5 samples of a 1-bit-per-sample source (values 0..3, uniform) at H = 1: no alarm', () => {
    const tester = continuousTestFor({ kind: 'raw', creditBitsPerByte: 1 }, -30);
    const bytes = new UniformStream('two-bit').next(100_000).map((b) => b & 3);
    expect(tester.test(bytes).alarms).toEqual([]);
  });
});

describe('stuck-block test', () => {
  it('sizes blocks to carry ≥ 64 credited bits', () => {
    expect(stuckBlockSize(8)).toBe(16);
    expect(stuckBlockSize(4)).toBe(16);
    expect(stuckBlockSize(1)).toBe(64);
    expect(stuckBlockSize(0.1)).toBe(256);
    expect(stuckBlockSize(0)).toBe(16);
  });

  it('fires on two identical adjacent blocks inside one read, and across reads', () => {
    const t = new StuckBlockTest(16);
    const a = new UniformStream('sb').next(48);
    a.copyWithin(32, 16, 32);
    expect(t.feed(a)).toEqual({ test: 'stuck-block', level: 'permanent', observed: 2, cutoff: 2, sampleIndex: 3 });
    const u = new StuckBlockTest(16);
    const first = new UniformStream('sb2').next(32);
    expect(u.feed(first)).toBeUndefined();
    const second = new UniformStream('sb3').next(32);
    second.set(first.subarray(16, 32), 0);
    expect(u.feed(second)?.test).toBe('stuck-block');
  });

  it('passes a long run of distinct blocks and fires on a stuck conditioned source at once', () => {
    const t = continuousTestFor({ kind: 'conditioned', creditBitsPerByte: 8 }, -30);
    const stream = new UniformStream('sb-long');
    for (let i = 0; i < 200; i++) expect(t.test(stream.next(1024)).alarms).toEqual([]);
    const s = continuousTestFor({ kind: 'conditioned', creditBitsPerByte: 8 }, -30);
    expect(s.test(stuckSource().read(32)).alarms).toHaveLength(1);
  });
});

describe('testers hold sample-derived state out of inspect and JSON', () => {
  it('the stuck-block fingerprint of the last seeded block never shows', () => {
    const block = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);
    const output = new Uint8Array(32);
    output.set(
      Uint8Array.from({ length: 16 }, (_, i) => i + 1),
      0,
    );
    output.set(block, 16);
    const t = new StuckBlockTest(16);
    expect(t.feed(output)).toBeUndefined();
    const fp = createHash('sha3-256').update('hrng/health/stuck-block/v1').update(block).digest();
    const shown =
      inspect(t, { depth: null, showHidden: true }) +
      JSON.stringify(t) +
      JSON.stringify(continuousTestFor({ kind: 'conditioned', creditBitsPerByte: 8 }, -30));
    expect(shown).not.toMatch(/Uint8Array|previous/);
    expect(shown).not.toContain(String(fp[0]) + ', ' + String(fp[1]));
    // still works: the same block again is caught
    expect(t.feed(block)?.test).toBe('stuck-block');
  });

  it('the RCT and APT reference samples never show', () => {
    const rct = new RepetitionCountTest(1, -30);
    const apt = new AdaptiveProportionTest(1, -30);
    rct.feed(0xab);
    apt.feed(0xab);
    for (const t of [rct, apt]) {
      const shown = inspect(t, { depth: null, showHidden: true }) + JSON.stringify(t);
      expect(shown).not.toContain('171');
      expect(shown).not.toMatch(/last|reference/);
    }
  });
});
