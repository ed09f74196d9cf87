/**
 * The AES-GCM invocation budget (SP 800-38D §8.3: ≤ 2^32 random-IV encryptions per key): refused past
 * the limit, counted in reservations that survive a new process (a new GcmBudget on the same store) and
 * never go backwards after a crash.
 */
import { describe, expect, it } from 'vitest';
import {
  GCM_INVOCATION_LIMIT,
  GCM_RESERVATION_BLOCK,
  GcmBudget,
  decodeCount,
  encodeCount,
  type CounterStore,
} from '../../../hsm/gcm-budget.js';

function memoryStore(start = 0): CounterStore & { total: number; writes: number } {
  const s = {
    total: start,
    writes: 0,
    read: () => s.total,
    write(total: number) {
      expect(total).toBeGreaterThan(s.total);
      s.total = total;
      s.writes++;
    },
  };
  return s;
}

describe('GcmBudget', () => {
  it('reserves a block before the first use and counts within it without writing', () => {
    const store = memoryStore();
    const budget = new GcmBudget(store, 'key k');
    expect(budget.take()).toBe(0);
    expect(store.total).toBe(GCM_RESERVATION_BLOCK);
    for (let i = 1; i < 1000; i++) expect(budget.take()).toBe(i);
    expect(store.writes).toBe(1);
  });

  it('a second process (a new budget on the same store) continues after the first one’s reservation', () => {
    const store = memoryStore();
    new GcmBudget(store, 'key k').take();
    const later = new GcmBudget(store, 'key k');
    expect(later.take()).toBe(GCM_RESERVATION_BLOCK);
    expect(store.total).toBe(2 * GCM_RESERVATION_BLOCK);
  });

  it('refuses past 2^32 invocations with HSM_IV_LIMIT, and keeps refusing', () => {
    const store = memoryStore(GCM_INVOCATION_LIMIT - 2);
    const budget = new GcmBudget(store, "AES key 'k'");
    expect(budget.take()).toBe(GCM_INVOCATION_LIMIT - 2);
    expect(budget.take()).toBe(GCM_INVOCATION_LIMIT - 1);
    expect(store.total).toBe(GCM_INVOCATION_LIMIT);
    for (let i = 0; i < 3; i++) expect(() => budget.take()).toThrow(expect.objectContaining({ code: 'HSM_IV_LIMIT' }));
    expect(() => new GcmBudget(store, 'k').take()).toThrow(/2\^32 AES-GCM encryptions/);
  });

  it('a store that cannot be written stops encryption (fail closed)', () => {
    const store: CounterStore = {
      read: () => 0,
      write: () => {
        throw new Error('token full');
      },
    };
    expect(() => new GcmBudget(store, 'k').take()).toThrow('token full');
  });

  it('encodes counts as 8 bytes big-endian', () => {
    expect(Buffer.from(encodeCount(2 ** 32)).toString('hex')).toBe('0000000100000000');
    expect(decodeCount(encodeCount(123456789))).toBe(123456789);
    expect(() => decodeCount(new Uint8Array(4))).toThrow(expect.objectContaining({ code: 'HSM_OPERATION_FAILED' }));
  });
});
