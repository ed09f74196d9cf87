/**
 * The long-range attack: someone holding validators' retired keys (sold, leaked, or simply never
 * erased after a rotation) forges a whole alternative chain from an old height — proposals and QCs
 * signed by those keys — and shows it to a node that is syncing from scratch. The node must reject
 * it: at views after the rotation only the new keys count (ValidatorSet's epochs).
 */
import {
  blockHash,
  GENESIS_QC,
  NONCE_BYTES,
  proposalSignBytes,
  voteSignBytes,
  type Block,
  type HotStuffMessage,
  type QC,
  type QcVote,
} from '../protocol/hotstuff-messages.js';
import type { SimKey } from '../sim/keys.js';
import type { SimRandom } from '../sim/random.js';

export interface ForgedChainOptions {
  readonly chainId: string;
  /** retired[identity]: the key it used before the rotation. */
  readonly retired: readonly SimKey[];
  readonly firstView: number;
  readonly views: number;
  readonly leaderOf: (view: number) => number;
  readonly random: SimRandom;
}

/** A chain of `views` blocks in consecutive views from genesis, every signature by a retired key. */
export function forgeChain(o: ForgedChainOptions): HotStuffMessage[] {
  const out: HotStuffMessage[] = [];
  let justify: QC = GENESIS_QC;
  for (let i = 0; i < o.views; i++) {
    const view = o.firstView + i;
    const proposer = o.leaderOf(view);
    const nonce = o.random.bytes(NONCE_BYTES);
    const fields = { view, height: justify.height + 1, parent: justify.block, justify, proposer, txs: [`forged-${i}`], nonce };
    const block: Block = { ...fields, hash: blockHash(fields) };
    const key = o.retired[proposer];
    if (key === undefined) break;
    out.push({ kind: 'proposal', block, signature: key.signSync(proposalSignBytes(o.chainId, view, block.hash, nonce)) });
    const votes: QcVote[] = o.retired.map((k, voter) => {
      const vn = o.random.bytes(NONCE_BYTES);
      return { voter, nonce: vn, signature: k.signSync(voteSignBytes(o.chainId, view, block.hash, vn)) };
    });
    justify = { view, block: block.hash, height: block.height, votes };
  }
  return out;
}
