/**
 * Every durable step of SigningGuard.sign over the file store, in the order it reaches them
 * (consensus/guard/signing-guard.ts GuardPoint, file-guard-store.ts): the intent's slot write and sync, the
 * signer, then the record's slot write and sync. A key's FIRST intent creates its state file instead, through
 * the atomic writer's four steps. Tests that inject a failure or a crash at each step share these lists, so a
 * step added to the guard is added to all of them.
 */
import type { GuardPoint } from '../../consensus/index.js';

/** A signing of a key that already has a state file. */
export const GUARD_POINTS = [
  'intent:slot-written',
  'intent:slot-synced',
  'signed',
  'record:slot-written',
  'record:slot-synced',
] as const satisfies readonly GuardPoint[];

/** A key's first intent: the state file created whole (temp, fsync, link, directory fsync). */
export const FIRST_INTENT_POINTS = [
  'intent:temp-written',
  'intent:temp-synced',
  'intent:renamed',
  'intent:dir-synced',
] as const satisfies readonly GuardPoint[];

/** Of FIRST_INTENT_POINTS, those before the state file has its name: nothing is on record, nothing signed. */
export const BEFORE_FIRST_INTENT: ReadonlySet<string> = new Set(['intent:temp-written', 'intent:temp-synced']);
