/**
 * Recovery from the `failed` state (DESIGN.md "Failure policy"): a failed Rng serves nothing until a pool
 * draw meets the policy again. `reseed()` tries at once; a request tries at most once per
 * `readmitAfterMs`, so a caller retrying in a loop cannot turn a broken source into a busy loop of start-up
 * tests. A failed self-test is never recovered from (self-test-gate.ts).
 */
export class RecoveryGate {
  #lastAttemptMs = -Infinity;

  /** Whether a request may try to recover now; records the attempt when it may. */
  tryAttempt(nowMs: number, readmitAfterMs: number): boolean {
    if (nowMs - this.#lastAttemptMs < readmitAfterMs) return false;
    this.#lastAttemptMs = nowMs;
    return true;
  }
}
