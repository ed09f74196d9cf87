export { SigningGuard } from './signing-guard.js';
export type { SigningGuardOptions, GuardHooks, GuardPoint } from './signing-guard.js';
export type { Hrs } from './hrs.js';
export { compareHrs, formatHrs } from './hrs.js';
export type { SignedState } from './guard-state.js';
export type { GuardInterchange, GuardInterchangeRecord, ImportReport } from './interchange.js';
export { INTERCHANGE_FORMAT, INTERCHANGE_VERSION } from './interchange.js';
export {
  GuardDoubleSignError,
  GuardRegressionError,
  GuardStateCorruptError,
  GuardLockedError,
  GuardInterchangeError,
  GuardArgumentError,
} from './guard-errors.js';
