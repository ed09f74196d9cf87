/** The prevote both sides of `npm run bench -- signer` use: one block id, one timestamp, a new height each time. */
import { emptyVote, type Vote } from '../../signer/index.js';

export const BENCH_BLOCK_HASH = new Uint8Array(32).fill(7);

export const benchVote = (height: number): Vote => ({
  ...emptyVote(),
  type: 1,
  height: BigInt(height),
  round: 0,
  blockId: { hash: BENCH_BLOCK_HASH, partSetHeader: { total: 1, hash: BENCH_BLOCK_HASH } },
  timestamp: { seconds: 1_767_225_600n, nanos: 0 },
});
