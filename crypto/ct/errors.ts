/**
 * Errors of the constant-time helpers. Only lengths appear in messages: they are public by contract.
 */
import { HardenedRngError } from '../errors.js';

/** Two inputs that must have equal lengths (compare, select) did not. */
export class CtLengthError extends HardenedRngError {
  constructor(operation: string, lengthA: number, lengthB: number) {
    super('CT_LENGTH_MISMATCH', `ct.${operation}: inputs must have equal lengths (got ${lengthA} and ${lengthB})`);
  }
}

/** `select` was given a choice other than 0 or 1. */
export class CtChoiceError extends HardenedRngError {
  constructor() {
    super('CT_INVALID_CHOICE', 'ct.select: choice must be the number 0 or 1');
  }
}
