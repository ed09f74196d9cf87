/**
 * The aggregator's state saves run one at a time and close() waits for them. Before, an enrolment's save
 * was fired and forgotten: two enrolments in quick succession wrote concurrently (an older state could
 * land last), and a save still in flight after close() failed against a removed directory as an
 * unhandled rejection (seen in a clean-clone run under load).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AggregatorState, StateStore } from '../../../quorum/state.js';
import { startHarness, type Harness } from './harness.js';

/** A store whose saves take a while, recording how many overlap and what each wrote. */
function slowStore(delayMs: number): StateStore & { maxInFlight: number; saved: AggregatorState[]; closedAt: number; lastSaveEnd: number } {
  let inFlight = 0;
  const store = {
    description: 'slow in-memory store',
    maxInFlight: 0,
    saved: [] as AggregatorState[],
    closedAt: 0,
    lastSaveEnd: 0,
    load: async (): Promise<AggregatorState | undefined> => undefined,
    async save(state: AggregatorState): Promise<void> {
      inFlight++;
      store.maxInFlight = Math.max(store.maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, delayMs));
      store.saved.push(state);
      inFlight--;
      store.lastSaveEnd = performance.now();
    },
    close: async (): Promise<void> => void (store.closedAt = performance.now()),
  };
  return store;
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('aggregator state saves', () => {
  it('never overlap, end with the latest state, and close() waits for them', async () => {
    const store = slowStore(150);
    h = await startHarness({ agents: [], label: 'save-order', aggregator: { store } });
    await Promise.all([h.startAgent({ id: 'a1', region: 'r1' }), h.startAgent({ id: 'a2', region: 'r2' })]);
    const harness = h;
    await harness.waitFor(() => harness.aggregator.views().length === 2, 'two enrolments');
    await harness.aggregator.close();
    expect(store.maxInFlight).toBe(1);
    const last = store.saved.at(-1);
    expect(last?.agents.map((a) => a.agentId).sort()).toEqual(['a1', 'a2']);
    expect(store.closedAt).toBeGreaterThanOrEqual(store.lastSaveEnd);
  });
});
