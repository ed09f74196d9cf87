/** Checks over a run's ledger: safety, liveness, accountability, the guard's contract, entropy. */
export { Ledger } from './ledger.js';
export type { CommitRecord, SignatureRecord } from './ledger.js';
export type { CheckName, Violation } from './violation.js';
export { checkSafety } from './safety.js';
export type { SafetyResult } from './safety.js';
export { checkLiveness, livenessBoundMs, progressAfter } from './liveness.js';
export type { LivenessInput } from './liveness.js';
export { checkAccountability, collectEvidence, verifyEvidence } from './accountability.js';
export type { AccountabilityInput, AccountabilityResult, Evidence } from './accountability.js';
export { checkGuardDurable, checkGuardMonotonic, highestSigned } from './guard.js';
export { checkEntropy } from './entropy.js';
export type { EntropyInput } from './entropy.js';
