/**
 * The known-answer self-tests: they pass on a correct build, and a wrong answer or a throwing primitive
 * stops them with SelfTestError naming the test.
 */
import { describe, expect, it } from 'vitest';
import { HardenedRngError } from '../../../crypto/errors.js';
import { runSelfTests, runSelfTestsFor, selfTest } from '../../../crypto/drbg/index.js';
import { SelfTestError } from '../../../crypto/errors.js';
import { KNOWN_ANSWER_TESTS, runKnownAnswerTests } from '../../../crypto/drbg/self-test.js';
import type { KnownAnswerTest } from '../../../crypto/drbg/self-test.js';
import { caught } from '../../helpers/thrown.js';

describe('selfTest()', () => {
  it('passes every KAT: SHA-512, SHA3-512, HMAC (SHA-256, SHA-512, SHA3-512), HMAC_DRBG per hash', () => {
    const report = runSelfTests();
    expect(report).toHaveLength(8);
    expect(report.every((r) => r.passed)).toBe(true);
    const names = report.map((r) => r.name).join('\n');
    for (const what of [
      'SHA-512 (',
      'SHA3-512 (',
      'HMAC-SHA-256',
      'HMAC-SHA-512',
      'HMAC-SHA3-512',
      'HMAC_DRBG-SHA-256',
      'HMAC_DRBG-SHA-512',
      'HMAC_DRBG-SHA3-512',
    ]) {
      expect(names).toContain(what);
    }
    expect(selfTest).toBe(runSelfTests);
  });

  it('throws SelfTestError naming the KAT whose answer is wrong, for each KAT', () => {
    for (const [i, kat] of KNOWN_ANSWER_TESTS.entries()) {
      const flipped = (kat.expected[0] === '0' ? '1' : '0') + kat.expected.slice(1);
      const tests = KNOWN_ANSWER_TESTS.map((t, j) => (j === i ? { ...t, expected: flipped } : t));
      const error = caught(() => runKnownAnswerTests(tests));
      expect(error).toBeInstanceOf(SelfTestError);
      expect(error).toBeInstanceOf(HardenedRngError);
      const e = error as SelfTestError;
      expect(e.code).toBe('SELF_TEST_FAILED');
      expect(e.test).toBe(kat.name);
      expect(e.message).toBe(`known-answer self-test '${kat.name}' failed: output differs from the expected value`);
    }
  });

  it('turns a throwing primitive into SelfTestError with the cause attached', () => {
    const boom = new Error('primitive broke');
    const tests: KnownAnswerTest[] = [
      {
        name: 'broken',
        expected: '00',
        run: () => {
          throw boom;
        },
      },
    ];
    const error = caught(() => runKnownAnswerTests(tests));
    expect(error).toBeInstanceOf(SelfTestError);
    expect((error as SelfTestError).cause).toBe(boom);
    expect((error as SelfTestError).message).toContain("'broken' failed: it threw");
  });
});

describe('runSelfTestsFor(hash)', () => {
  it('runs SHA-512 and SHA3-512, and the HMAC and HMAC_DRBG tests of that hash only', () => {
    const names = (hash: 'sha256' | 'sha512' | 'sha3-512'): string[] => runSelfTestsFor(hash).map((r) => r.name.split(' ')[0] ?? '');
    expect(names('sha512')).toEqual(['SHA-512', 'SHA3-512', 'HMAC-SHA-512', 'HMAC_DRBG-SHA-512']);
    expect(names('sha3-512')).toEqual(['SHA-512', 'SHA3-512', 'HMAC-SHA3-512', 'HMAC_DRBG-SHA3-512']);
    expect(names('sha256')).toEqual(['SHA-512', 'SHA3-512', 'HMAC-SHA-256', 'HMAC_DRBG-SHA-256']);
  });
});
