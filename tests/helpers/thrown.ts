/**
 * Catching what code under test throws, so that tests can assert on the error itself.
 */
import { HardenedRngError } from '../../crypto/errors.js';

/** The HardenedRngError `fn` throws; anything else it throws is rethrown, and not throwing fails. */
export function thrown(fn: () => unknown): HardenedRngError {
  try {
    fn();
  } catch (e) {
    if (e instanceof HardenedRngError) return e;
    throw e;
  }
  throw new Error('expected a throw');
}

/** Whatever `fn` throws, or undefined if it returns. */
export function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

/** `settled` if `p` resolves, else the `code` property of its rejection reason, as a string. */
export async function rejectionCode(p: Promise<unknown>, settled = 'ok'): Promise<string> {
  try {
    await p;
    return settled;
  } catch (err) {
    return String((err as { code?: unknown }).code);
  }
}
