/** Crash-safe file writes shared by the keystore, the guard and the CLI. */
export { writeFileAtomic, isAtomicTempName, fsyncDir, AtomicWriteError } from './atomic-file.js';
export type { AtomicWriteHooks, AtomicWriteOptions, AtomicWritePoint } from './atomic-file.js';
