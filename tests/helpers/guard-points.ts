/**
 * Every durable step of SigningGuard.sign, in the order it reaches them (consensus/guard/signing-guard.ts
 * GuardPoint): the intent's atomic write, the signer, then the record's atomic write. Tests that inject a
 * failure or a crash at each step share this list, so a step added to the guard is added to all of them.
 */
import type { GuardPoint } from '../../consensus/index.js';

export const GUARD_POINTS = [
  'intent:temp-written',
  'intent:temp-synced',
  'intent:renamed',
  'intent:dir-synced',
  'signed',
  'record:temp-written',
  'record:temp-synced',
  'record:renamed',
  'record:dir-synced',
] as const satisfies readonly GuardPoint[];
