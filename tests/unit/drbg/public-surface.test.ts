/**
 * The entries this area owns, snapshotted so a change to them is deliberate (issue 9): the root keeps
 * the generator and the error root but no entropy internals and no deterministic generator;
 * `hardened-rng/entropy` and `hardened-rng/testing` export exactly the lists below; package.json maps them.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as root from '../../../crypto/index.js';
import * as entropy from '../../../crypto/entropy/index.js';
import * as testing from '../../../crypto/testing.js';

describe('public surface', () => {
  it('the root exports the generator and the error root, not entropy internals or DeterministicRng', () => {
    for (const name of [
      'Rng',
      'HmacDrbg',
      'DEFAULT_RNG_POLICY',
      'HardenedRngError',
      'CryptoError',
      'CRYPTO_ERROR_CODES',
      'RngFailedError',
      'WebCryptoError',
      'silentLogger',
      'systemClock',
    ]) {
      expect([name, name in root]).toEqual([name, true]);
    }
    for (const name of [
      'DeterministicRng',
      'EntropyPool',
      'MonitoredSource',
      'RepetitionCountTest',
      'JitterSource',
      'OsSource',
      'assessNonIid',
      'EntropySourceError',
      'InsufficientEntropyError',
      'rngBatchForTesting',
    ]) {
      expect([name, name in root]).toEqual([name, false]);
    }
  });

  it('hardened-rng/entropy exports exactly this list', () => {
    expect(Object.keys(entropy).sort()).toMatchInlineSnapshot(`
      [
        "APT_WINDOW_BINARY",
        "APT_WINDOW_NON_BINARY",
        "AdaptiveProportionTest",
        "AuxiliarySource",
        "CONDITIONING_MARGIN_BITS",
        "CPU_CREDIT_BITS_PER_BYTE",
        "CpuSource",
        "DEFAULT_POOL_POLICY",
        "EntropyPool",
        "EntropySourceError",
        "InsufficientEntropyError",
        "JITTER_ACCESSES_PER_SAMPLE",
        "JITTER_ASSESSED_BITS_PER_SAMPLE",
        "JITTER_CREDIT_BITS_PER_SAMPLE",
        "JITTER_L2_MULTIPLE",
        "JITTER_MAX_BUFFER_BYTES",
        "JITTER_MIN_BUFFER_BYTES",
        "JITTER_SAFETY_FACTOR",
        "JitterSource",
        "MAX_READ_BYTES",
        "MonitoredSource",
        "OsSource",
        "RepetitionCountTest",
        "STARTUP_CONDITIONED_BLOCKS",
        "STARTUP_RAW_SAMPLES",
        "StuckBlockTest",
        "Z_ALPHA",
        "aptCutoff",
        "assessNonIid",
        "collisionEstimate",
        "compressionEstimate",
        "compressionG",
        "continuousTestFor",
        "contributionDigest",
        "critBinom",
        "defaultSources",
        "entropyOf",
        "hashDf",
        "jitterBufferBytes",
        "lagEstimate",
        "lcpArray",
        "lz78yEstimate",
        "markovEstimate",
        "mostCommonValueEstimate",
        "multiMcwEstimate",
        "multiMmcEstimate",
        "predictorEstimate",
        "prepareSamples",
        "rctCutoff",
        "restartAlpha",
        "restartColumns",
        "restartCutoff",
        "restartSanityCheck",
        "runProbabilityLog",
        "runStartupTest",
        "startupReadBytes",
        "stuckBlockSize",
        "suffixArray",
        "tupleCounts",
        "tupleEstimates",
        "upperBound",
      ]
    `);
  });

  it('hardened-rng/testing exports exactly this list, and DeterministicRng is marked deterministic', () => {
    expect(Object.keys(testing).sort()).toEqual(['DeterministicRng', 'restoreRng', 'rngBatchForTesting', 'snapshotRng']);
    expect(testing.DeterministicRng.fromSeed(new Uint8Array(32)).deterministic).toBe(true);
  });

  it('package.json maps the entries to the built files', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      exports: Record<string, { import: string }>;
    };
    expect(pkg.exports['.']?.import).toBe('./dist/crypto/index.js');
    expect(pkg.exports['./entropy']?.import).toBe('./dist/crypto/entropy/index.js');
    expect(pkg.exports['./testing']?.import).toBe('./dist/crypto/testing.js');
  });
});
