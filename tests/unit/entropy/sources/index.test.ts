import { describe, expect, it } from 'vitest';
import * as entropy from '../../../../crypto/entropy/index.js';
import { AuxiliarySource, CpuSource, JitterSource, OsSource, defaultSources } from '../../../../crypto/entropy/sources/index.js';

describe('defaultSources', () => {
  it('lists every built-in source, available here or not, in a fixed order', () => {
    const sources = defaultSources();
    expect(sources.map((s) => s.id)).toEqual(['os', 'rdseed', 'rdrand', 'jitter', 'auxiliary']);
    expect(sources[0]).toBeInstanceOf(OsSource);
    expect(sources[1]).toBeInstanceOf(CpuSource);
    expect(sources[2]).toBeInstanceOf(CpuSource);
    expect(sources[3]).toBeInstanceOf(JitterSource);
    expect(sources[4]).toBeInstanceOf(AuxiliarySource);
    expect(sources.map((s) => s.kind)).toEqual(['conditioned', 'conditioned', 'conditioned', 'raw', 'conditioned']);
  });

  it('gives every source a reason when it is unavailable', () => {
    for (const s of defaultSources()) {
      if (!s.available()) expect(s.unavailableReason?.()).toMatch(/\w/);
    }
  });

  it('is exported through crypto/entropy', () => {
    expect(entropy.defaultSources).toBe(defaultSources);
    expect(entropy.JitterSource).toBe(JitterSource);
  });
});
