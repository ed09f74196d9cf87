/**
 * The error codes of the `consensus/` layer (guard, simulation, protocol, faults, checks); see
 * crypto/errors.ts for the model. The CLI maps every code in GUARD_REFUSAL_CODES to exit status 3.
 */
import { HardenedRngError, type ErrorCodeTable } from '../crypto/errors.js';

export const CONSENSUS_ERROR_CODES = {
  CONSENSUS_INVALID_ARGUMENT: 'an argument has the wrong type, length or range; the message names it',

  // --- guard/
  GUARD_DOUBLE_SIGN: 'refused: a different payload at a height/round/step already signed',
  GUARD_REGRESSION: 'refused: a height/round/step below one already signed',
  GUARD_BELOW_FLOOR: 'refused: a height below the configured floor (--min-height), e.g. a state restored from a backup',
  GUARD_CHAIN_MISMATCH: 'refused: sign bytes for a chain id other than the configured one',
  GUARD_SIGN_BYTES_UNDECODABLE: 'refused: sign bytes that no configured decoder accepts',
  GUARD_STATE_MISSING: 'refused: no signing history for this key; start with --init-guard or import a watermark',
  GUARD_STATE_CONFLICT: 'the stored state changed between read and write (a compare-and-swap failed); nothing signed',
  GUARD_STATE_CORRUPT: 'the guard state cannot be read; the guard refuses to sign until it is repaired',
  GUARD_LOCKED: 'another signer holds the guard lock for this key',
  GUARD_INTERCHANGE_MALFORMED: 'a guard interchange document that is not well formed; nothing imported',
  GUARD_STORE_FAILED: 'the guard store (file system or database) failed; nothing signed',

  // --- sim/, protocol/, faults/, checks/
  SIM_SCENARIO_INVALID: 'a scenario document that is not well formed; the message names the field',
  SIM_CRASHED: 'internal: the simulated node crashed in the middle of a step (caught by the simulator)',
  SIM_RESULTS_MALFORMED: 'a campaign result document (hrng sim merge) that is not well formed',
  SIM_INTERNAL: 'the simulator reached a state it should not (a bug in the harness; the message says which)',
} as const satisfies ErrorCodeTable;

export type ConsensusErrorCode = keyof typeof CONSENSUS_ERROR_CODES;

/** An error of the `consensus/` layer. */
export class ConsensusError extends HardenedRngError {
  declare readonly code: ConsensusErrorCode;
  constructor(code: ConsensusErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
  }
}

// --- guard/
/** A position (consensus/guard/hrs.ts's Hrs, spelled out here so that this module imports nothing of the layer). */
interface Hrs {
  readonly height: number;
  readonly round: number;
  readonly step: number;
}

const formatPosition = (h: Hrs): string => `height ${h.height} round ${h.round} step ${h.step}`;

/** The refusals: the guard decided not to sign (as opposed to failing). The CLI exits 3 on these. */
export const GUARD_REFUSAL_CODES: ReadonlySet<ConsensusErrorCode> = new Set<ConsensusErrorCode>([
  'GUARD_DOUBLE_SIGN',
  'GUARD_REGRESSION',
  'GUARD_BELOW_FLOOR',
  'GUARD_CHAIN_MISMATCH',
  'GUARD_SIGN_BYTES_UNDECODABLE',
  'GUARD_STATE_MISSING',
]);

/** True for an error by which the guard refused to sign. */
export function isGuardRefusal(err: unknown): err is ConsensusError {
  return err instanceof ConsensusError && GUARD_REFUSAL_CODES.has(err.code);
}

/** A refusal at a position, for one key (double sign, regression, below the floor). */
export class GuardRefusalError extends ConsensusError {
  readonly keyId: string;
  readonly hrs: Hrs;
  /** The position already signed (regression, double sign) or the floor (below-floor: round and step 0). */
  readonly last: Hrs;

  constructor(code: 'GUARD_DOUBLE_SIGN' | 'GUARD_REGRESSION' | 'GUARD_BELOW_FLOOR', keyId: string, hrs: Hrs, last: Hrs) {
    const why =
      code === 'GUARD_DOUBLE_SIGN'
        ? `key ${keyId} already signed a different payload at ${formatPosition(hrs)}`
        : code === 'GUARD_REGRESSION'
          ? `key ${keyId} asked to sign ${formatPosition(hrs)} after signing ${formatPosition(last)}`
          : `key ${keyId} asked to sign ${formatPosition(hrs)}, below the floor height ${last.height}`;
    super(code, `refused: ${why}`);
    this.keyId = keyId;
    this.hrs = hrs;
    this.last = last;
  }
}
