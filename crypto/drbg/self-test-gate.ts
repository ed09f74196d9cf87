/**
 * FIPS 140-3 §7.10.2: the pre-operational self-tests run before the first output, and a failure is final —
 * the module enters its error state and stays there. The tests a generator needs are run the first time a
 * generator on that hash is created (self-test.ts `runSelfTestsFor`), once per process; a failure is kept for
 * the process: every later `Rng.create()`, on any hash, gets the same failure rethrown without re-running
 * the tests (a KAT that failed once and passed on a retry would mean a flaky hash, not a healthy one).
 */
import { SelfTestError } from '../errors.js';
import type { HashName } from '../hash.js';
import { runSelfTestsFor, type SelfTestResult } from './self-test.js';

const passed = new Map<string, SelfTestResult>();
const hashesDone = new Set<HashName>();
let failure: unknown;

/** The self-test results so far, running `hash`'s tests on its first use; throws the first failure, forever. */
export function selfTestsOnce(hash: HashName): readonly SelfTestResult[] {
  if (failure !== undefined) throw failure;
  if (!hashesDone.has(hash)) {
    try {
      for (const r of runSelfTestsFor(hash)) passed.set(r.name, r);
      hashesDone.add(hash);
    } catch (error) {
      failure = error instanceof SelfTestError ? error : new SelfTestError('self-test harness', { cause: error });
      throw failure;
    }
  }
  return selfTestResults();
}

/** The tests that have run and passed in this process (for health reports); none after a failure. */
export function selfTestResults(): readonly SelfTestResult[] {
  return failure === undefined ? Object.freeze([...passed.values()]) : [];
}
