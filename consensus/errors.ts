/**
 * The error codes of the `consensus/` layer (guard, simulation, protocol, faults, checks); see
 * crypto/errors.ts for the model. The CLI maps GUARD_DOUBLE_SIGN and GUARD_REGRESSION to exit status 3.
 */
import { HardenedRngError, type ErrorCodeTable } from '../crypto/errors.js';

export const CONSENSUS_ERROR_CODES = {
  CONSENSUS_INVALID_ARGUMENT: 'an argument has the wrong type, length or range; the message names it',

  // --- guard/
  GUARD_DOUBLE_SIGN: 'refused: a different payload at a height/round/step already signed',
  GUARD_REGRESSION: 'refused: a height/round/step below one already signed',
  GUARD_STATE_CORRUPT: 'the guard state cannot be read; the guard refuses to sign until it is repaired',
  GUARD_LOCKED: 'another signer holds the guard lock for this key',
  GUARD_INTERCHANGE_MALFORMED: 'a guard interchange document that is not well formed; nothing imported',
  GUARD_SIGN_BYTES_UNDECODABLE: 'refused: sign bytes that no configured decoder accepts',

  // --- sim/, protocol/, faults/, checks/
  SIM_SCENARIO_INVALID: 'a scenario document that is not well formed; the message names the field',
  SIM_CRASHED: 'internal: the simulated node crashed in the middle of a step (caught by the simulator)',
  SIM_STORAGE_FAULT: 'a simulated disk returned an error (fault injection)',
  SIM_RESULTS_MALFORMED: 'a campaign result document (hrng sim merge) that is not well formed',
  SIM_REPLAY_MISMATCH: 'a replay did not reproduce the recorded trace hash: the run is not deterministic',
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
