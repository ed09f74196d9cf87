/**
 * Where a guard keeps each key's signing history: the contract the file store (file-guard-store.ts),
 * the PostgreSQL store (pg-guard-store.ts) and the simulation's in-memory store implement.
 *
 * The guard runs its whole read-decide-write of one key inside `withKey`, and every write is a
 * compare-and-swap against the state it read there: a store whose lock failed (a second signer on a
 * shared volume, a database failover) still cannot overwrite a state it did not read, so two
 * conflicting intents can never both be recorded.
 */
import type { AtomicWritePoint } from '../../crypto/fs/index.js';
import type { SignedState } from './guard-state.js';
import type { SlotWritePoint } from './slot-file.js';

/**
 * The durable steps of a store write: the file store's slot write (`slot-written`, `slot-synced`), or the
 * atomic writer's four for a key's first state; other stores name the ones they have.
 */
export type StoreWritePoint = AtomicWritePoint | SlotWritePoint;

/** Fault injection for tests: called after each durable step of a write. */
export interface StoreWriteHooks {
  at(point: StoreWritePoint): void | Promise<void>;
}

export interface GuardStateStore {
  /** Runs `fn` holding this key's exclusive lock (in this process and against every other writer). */
  withKey<T>(keyId: string, fn: () => Promise<T>): Promise<T>;
  /** The key's state, or undefined when it has none. */
  read(keyId: string): Promise<SignedState | undefined>;
  /**
   * Replaces the key's state with `next` if it is still `expected` (undefined: no state), durably
   * before it resolves true; false, writing nothing, when the state is not `expected`.
   * Called inside `withKey` for the same key.
   */
  compareAndSwap(
    keyId: string,
    expected: SignedState | undefined,
    next: SignedState,
    opts?: { readonly hooks?: StoreWriteHooks },
  ): Promise<boolean>;
  /** Every key with a state (for export). Optional: a store that cannot list refuses to export. */
  keyIds?(): Promise<string[]>;
  close(): Promise<void>;
}
