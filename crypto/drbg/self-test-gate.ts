/**
 * FIPS 140-3 §7.10.2: the pre-operational self-tests run once per process, before the first output, and
 * a failure is final — the module enters its error state and stays there. So the outcome is kept for the
 * process: every later `Rng.create()` gets the results, or the same failure rethrown, without re-running
 * the tests (a KAT that failed once and passed on a retry would mean a flaky hash, not a healthy one).
 */
import { SelfTestError } from '../errors.js';
import { selfTest, type SelfTestResult } from './self-test.js';

let outcome: { readonly passed: true; readonly results: readonly SelfTestResult[] } | { readonly passed: false; readonly error: unknown } | undefined;

/** The self-test results, running the tests on first use; throws the first failure, now and forever. */
export function selfTestsOnce(): readonly SelfTestResult[] {
  if (outcome === undefined) {
    try {
      outcome = { passed: true, results: Object.freeze(selfTest()) };
    } catch (error) {
      outcome = { passed: false, error: error instanceof SelfTestError ? error : new SelfTestError('self-test harness', { cause: error }) };
    }
  }
  if (!outcome.passed) throw outcome.error;
  return outcome.results;
}

/** The results if the tests have run and passed, else an empty list (for health reports). */
export function selfTestResults(): readonly SelfTestResult[] {
  return outcome?.passed === true ? outcome.results : [];
}
