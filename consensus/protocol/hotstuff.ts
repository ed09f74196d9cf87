/**
 * Chained HotStuff (Yin, Malkhi, Reiter, Gueta, Abraham, PODC 2019, Algorithm 3 and §6's pacemaker) for
 * n = 3f + 1, as a node of the simulation harness. Views have one leader each; every block carries the
 * quorum certificate (QC, 2f + 1 signed votes) of its parent, so one vote per view drives all phases:
 *
 * - **Vote** for a block of view v if v is above every view voted before and the block is safe:
 *   it extends the locked block, or its QC is newer than the lock (safeNode, the liveness rule).
 *   The vote goes to the leader of v + 1, who forms the QC and proposes on top of it.
 * - **Lock** on b' when a block's QC certifies b'' whose own QC certifies b' (a two-chain).
 * - **Commit** b (and its ancestors) on a three-chain b ← b' ← b'' in consecutive views.
 * - **View change**: a view that does not end in a QC times out (base timeout doubled per view since the
 *   highest QC or latest proposal, at most 8×); the node signs a NEW-VIEW carrying its highest QC and broadcasts it. The leader
 *   of the next view proposes on the highest QC among 2f + 1 NEW-VIEWs. A node that sees f + 1 validators
 *   in higher views joins the lowest of them (so views resynchronise after a partition), and any valid
 *   proposal or QC for a later view moves it there.
 * - Missing ancestors are fetched from peers; a block is self-certifying (hash and proposer signature).
 *
 * Every proposal, vote and new-view is signed in `hrng-sign/v1` through the node's `ValidatorSigning`
 * (the signing guard in front of a Signer), with a fresh nonce from the validator's generator; if the
 * generator fails, the node signs nothing more. State that must survive a crash — the last view voted,
 * the lock, the commit point — is written to the node's disk (fsynced) before the vote is signed.
 *
 * `ProtocolFlags` are deliberately broken variants for the mutation suite (each must be caught by a
 * check); `HotStuffHooks` let Byzantine strategies (consensus/faults/) run this code with a twist.
 * Not supported: reconfiguration beyond fixed epochs, state sync by snapshot, pipelined execution.
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import type { RandomSource } from '../../crypto/index.js';
import type { NodeContext, SimNode } from '../sim/node.js';
import {
  blockHash,
  GENESIS,
  GENESIS_HASH,
  GENESIS_QC,
  NONCE_BYTES,
  newViewSignBytes,
  proposalSignBytes,
  voteSignBytes,
  type Block,
  type HotStuffMessage,
  type QC,
  type QcVote,
} from './hotstuff-messages.js';
import { decodeHotStuffState, HotStuffStateCodec, type HotStuffState } from './hotstuff-state.js';
import type { ValidatorSet } from './validators.js';

/** Deliberately broken variants (the mutation suite); all false in the real protocol. */
export interface ProtocolFlags {
  readonly skipLock?: boolean;
  readonly quorumTwoF?: boolean;
  readonly commitTwoChain?: boolean;
  readonly skipSignatureCheck?: boolean;
  readonly acceptRetiredKeys?: boolean;
  readonly noViewChange?: boolean;
  /** The view timer doubles without its 8× cap: after a long partition, views change too late for the bound. */
  readonly uncappedBackoff?: boolean;
  readonly signOnRngFailure?: boolean;
  readonly reuseNonce?: boolean;
  readonly honestCensor?: boolean;
}

/** Byzantine twists on honest code (consensus/faults/byzantine.ts). */
export interface HotStuffHooks {
  /** Whether a message goes to identity `to`; `variant` numbers the conflicting copies of a proposal. */
  deliver?(to: number, message: HotStuffMessage, variant: number): boolean;
  /** The QC a proposal at `view` extends instead of the highest known. */
  justifyFor?(view: number, highQC: QC, formed: ReadonlyMap<number, QC>): QC;
  /** Propose the moment the view starts, without a certificate for it. */
  eagerPropose?(view: number): boolean;
  /** Conflicting extra proposals to make in `view` (double-sign). */
  extraProposals?(view: number): number;
  /** Also vote for a conflicting (made-up) block in this view (equivocation). */
  equivocateVote?(view: number): boolean;
  /** Leave this transaction out of own proposals (censorship). */
  censor?(tx: string): boolean;
  /** Fill a QC with made-up votes of other validators, so it has a quorum at once. */
  forgeVotes?(view: number): boolean;
}

/** Signs sign bytes through the guard; undefined when the guard refused (the node then stays silent). */
export interface ValidatorSigning {
  sign(signBytes: Uint8Array, view: number): Promise<Uint8Array | undefined>;
}

/** What a node reports to the checks (the harness stamps slot and virtual time). */
export interface NodeObserver {
  commit(height: number, block: string, txs: readonly string[]): void;
  nonce(hex: string): void;
  rngFailed(): void;
  proposed(view: number, txs: readonly string[]): void;
}

export interface HotStuffOptions {
  readonly chainId: string;
  readonly validators: ValidatorSet;
  readonly leaderOf: (view: number) => number;
  /** Base view timeout in local ms. */
  readonly timeoutMs: number;
  /** Undefined for an observer (a syncing full node): it follows and commits, never signs. */
  readonly signing?: ValidatorSigning;
  readonly rng?: RandomSource;
  readonly observer: NodeObserver;
  readonly flags?: ProtocolFlags;
  readonly hooks?: HotStuffHooks;
  readonly maxTxs?: number;
  /**
   * Verdicts shared by nodes that apply the same rules (a simulation shortcut: one process holds every
   * node, and messages are immutable objects delivered to all): a QC, or a signed message (proposal,
   * vote, new-view), found valid by one is not checked again by the next.
   */
  readonly verified?: { readonly qcs: WeakSet<QC>; readonly messages: WeakSet<object> };
}

const STATE_FILE = 'hotstuff-state';
const MAX_BACKOFF = 8;

export class HotStuffNode implements SimNode<HotStuffMessage> {
  readonly #ctx: NodeContext<HotStuffMessage>;
  readonly #o: HotStuffOptions;
  readonly #flags: ProtocolFlags;
  readonly #me: number;
  readonly #blocks = new Map<string, Block>([[GENESIS_HASH, GENESIS]]);
  readonly #proposals = new Map<string, HotStuffMessage & { kind: 'proposal' }>();
  readonly #validQC = new WeakSet<QC>();
  readonly #votes = new Map<number, Map<string, Map<number, QcVote>>>();
  readonly #formed = new Map<number, QC>();
  readonly #newViews = new Map<number, Map<number, QC>>();
  readonly #senderView = new Map<number, number>();
  readonly #proposed = new Set<number>();
  readonly #fetching = new Map<string, number>();
  readonly #mempool = new Set<string>();
  readonly #committedTxs = new Set<string>();
  readonly #committed = new Map<number, string>();
  #s: HotStuffState = { lastVoted: 0, lockedView: 0, lockedBlock: GENESIS_HASH, view: 0, committedHeight: 0, committedBlock: GENESIS_HASH };
  #highQC: QC = GENESIS_QC;
  #latest: Block = GENESIS;
  #pendingCommit: Block | undefined;
  #failed = false;
  #reusedNonce: Uint8Array | undefined;
  readonly #codec = new HotStuffStateCodec();

  constructor(ctx: NodeContext<HotStuffMessage>, opts: HotStuffOptions) {
    this.#ctx = ctx;
    this.#o = opts;
    this.#flags = opts.flags ?? {};
    this.#me = ctx.identity;
    const saved = ctx.disk.read(STATE_FILE);
    // A torn protocol state is lost state: the guard (not this file) is what prevents double signing.
    const restored = saved === undefined ? undefined : decodeHotStuffState(saved);
    if (restored !== undefined) this.#s = restored;
    this.#committed.set(this.#s.committedHeight, this.#s.committedBlock);
  }

  get view(): number {
    return this.#s.view;
  }

  get committedHeight(): number {
    return this.#s.committedHeight;
  }

  get highQC(): QC {
    return this.#highQC;
  }

  get failed(): boolean {
    return this.#failed;
  }

  async start(): Promise<void> {
    const v = Math.max(1, this.#s.view);
    this.#s.view = 0;
    await this.#enterView(v);
  }

  async onMessage(from: number, m: HotStuffMessage): Promise<void> {
    switch (m.kind) {
      case 'proposal':
        return this.#onProposal(m);
      case 'vote':
        return this.#onVote(m);
      case 'new-view':
        return this.#onNewView(m);
      case 'fetch': {
        const p = this.#proposals.get(m.hash);
        if (p !== undefined) this.#ctx.send(from, p);
        return;
      }
      case 'tx':
        if (!this.#committedTxs.has(m.tx)) this.#mempool.add(m.tx);
        return;
    }
  }

  async onTimer(name: string): Promise<void> {
    if (name !== 'view') return;
    if (this.#flags.noViewChange === true) {
      this.#ctx.setTimer('view', this.#o.timeoutMs);
      return;
    }
    const leaving = this.#s.view;
    await this.#sendNewView(leaving);
    await this.#enterView(leaving + 1);
  }

  /** Signs and broadcasts NEW-VIEW for view `leaving + 1`, carrying the highest QC. */
  async #sendNewView(leaving: number): Promise<void> {
    if (this.#o.signing === undefined) return;
    const nonce = this.#nonce();
    if (nonce === undefined) return;
    const sig = await this.#o.signing.sign(newViewSignBytes(this.#o.chainId, leaving, this.#highQC, nonce), leaving);
    if (sig !== undefined)
      this.#broadcast({ kind: 'new-view', view: leaving + 1, highQC: this.#highQC, sender: this.#me, nonce, signature: sig }, 0);
  }

  // --- view synchronisation -------------------------------------------------------------------

  /**
   * The timer for view v: the base doubled per view since the last sign of progress, at most 8×. A
   * function of (v, chain) rather than of this node's own timeout count, so nodes that know the same
   * blocks agree on timer lengths (DiemBFT's round-timeout rule): a node that catches up on old QCs
   * after a partition must not fall back to the base timeout while the others wait 8×, or it runs views
   * ahead alone, never votes in theirs, and nothing commits. Progress is the highest QC, or a valid
   * proposal for view w counted as w − 1 (it shows a live leader, but not yet a quorum): so in steady
   * state the timer is 2× base, which covers the vote-and-propose round trip of 2δ for every base the
   * swarm draws (≥ 1.5 δ), and a proposal that gathers no quorum cannot pin the timer at the base.
   */
  #timerMs(v: number): number {
    const progress = Math.max(this.#highQC.view, this.#latest.view - 1);
    const backoff = 2 ** Math.max(0, v - progress - 1);
    return this.#o.timeoutMs * (this.#flags.uncappedBackoff === true ? backoff : Math.min(backoff, MAX_BACKOFF));
  }

  /** Enters view v and arms its timer. */
  async #enterView(v: number): Promise<void> {
    if (v <= this.#s.view) return;
    this.#s.view = v;
    this.#ctx.setTimer('view', this.#timerMs(v));
    this.#ctx.trace(`view ${v}`);
    if (this.#o.leaderOf(v) === this.#me && (this.#highQC.view === v - 1 || this.#o.hooks?.eagerPropose?.(v) === true))
      await this.#propose(v);
  }

  async #onNewView(m: HotStuffMessage & { kind: 'new-view' }): Promise<void> {
    if (
      !this.#valid(m, () =>
        this.#verify(m.sender, m.view - 1, newViewSignBytes(this.#o.chainId, m.view - 1, m.highQC, m.nonce), m.signature),
      )
    )
      return;
    let at = this.#newViews.get(m.view);
    if (at === undefined) this.#newViews.set(m.view, (at = new Map()));
    at.set(m.sender, m.highQC);
    this.#senderView.set(m.sender, Math.max(this.#senderView.get(m.sender) ?? 0, m.view));
    // f + 1 validators in later views: at least one honest one is there; join the lowest of them.
    const f = this.#o.validators.f;
    const ahead = [...this.#senderView.values()].filter((w) => w > this.#s.view).sort((a, b) => b - a);
    const target = ahead[f] ?? 0;
    if (ahead.length >= f + 1 && target > this.#s.view) {
      // Join them, and say so: the leader of that view needs 2f + 1 NEW-VIEWs, ours among them.
      await this.#sendNewView(target - 1);
      await this.#enterView(target);
    }
    if (this.#o.leaderOf(m.view) === this.#me && m.view >= this.#s.view && at.size >= this.#quorum() && !this.#proposed.has(m.view)) {
      for (const qc of at.values()) if (qc.view > this.#highQC.view && this.#qcValid(qc)) this.#highQC = qc;
      if (m.view > this.#s.view) await this.#enterView(m.view);
      if (!this.#proposed.has(m.view)) await this.#propose(m.view);
    }
  }

  // --- proposing ----------------------------------------------------------------------------------

  async #propose(view: number): Promise<void> {
    if (this.#o.signing === undefined || this.#proposed.has(view) || this.#failed) return;
    this.#proposed.add(view);
    const justify = this.#o.hooks?.justifyFor?.(view, this.#highQC, this.#formed) ?? this.#highQC;
    const copies = 1 + (this.#o.hooks?.extraProposals?.(view) ?? 0);
    for (let variant = 0; variant < copies; variant++) {
      const nonce = this.#nonce();
      if (nonce === undefined) return;
      const txs = variant === 0 ? this.#pickTxs(justify) : [`double-${view}-${variant}`];
      const fields = { view, height: justify.height + 1, parent: justify.block, justify, proposer: this.#me, txs, nonce };
      const block: Block = { ...fields, hash: blockHash(fields) };
      const signature = await this.#o.signing.sign(proposalSignBytes(this.#o.chainId, view, block.hash, nonce), view);
      if (signature === undefined) return;
      this.#o.observer.proposed(view, txs);
      this.#broadcast({ kind: 'proposal', block, signature }, variant);
    }
  }

  #pickTxs(justify: QC): string[] {
    const inChain = new Set<string>();
    let b = this.#blocks.get(justify.block);
    for (let i = 0; b !== undefined && b.height > this.#s.committedHeight && i < 64; i++) {
      for (const t of b.txs) inChain.add(t);
      b = this.#blocks.get(b.parent);
    }
    const out: string[] = [];
    for (const t of this.#mempool) {
      if (out.length >= (this.#o.maxTxs ?? 4)) break;
      if (inChain.has(t) || this.#committedTxs.has(t)) continue;
      if (this.#o.hooks?.censor?.(t) === true || this.#flags.honestCensor === true) continue;
      out.push(t);
    }
    return out;
  }

  #broadcast(m: HotStuffMessage, variant: number): void {
    const deliver = this.#o.hooks?.deliver;
    if (deliver === undefined) return this.#ctx.broadcast(m);
    for (let to = 0; to < this.#identities(); to++) if (deliver(to, m, variant)) this.#ctx.send(to, m);
  }

  #sendTo(to: number, m: HotStuffMessage): void {
    const deliver = this.#o.hooks?.deliver;
    if (deliver === undefined || deliver(to, m, 0)) this.#ctx.send(to, m);
  }

  #identities(): number {
    return this.#ctx.validators + 1;
  }

  // --- receiving proposals ----------------------------------------------------------------------

  async #onProposal(m: HotStuffMessage & { kind: 'proposal' }): Promise<void> {
    const b = m.block;
    if (this.#blocks.has(b.hash)) return;
    if (!this.#valid(m, () => this.#blockValid(b, m.signature))) return;
    this.#blocks.set(b.hash, b);
    this.#proposals.set(b.hash, m);
    this.#fetching.delete(b.hash);
    if (b.view > this.#latest.view) this.#latest = b;
    await this.#update(b);
    if (this.#pendingCommit !== undefined && this.#pendingCommit !== b) this.#commit(this.#pendingCommit);
    if (b !== this.#latest) await this.#update(this.#latest);
    if (this.#o.signing === undefined || this.#failed) return;
    if (b.view < this.#s.view || b.view <= this.#s.lastVoted) return;
    if (this.#flags.skipLock !== true && !this.#safeNode(b)) {
      this.#ctx.trace(`unsafe ${b.view}`);
      return;
    }
    await this.#enterView(b.view);
    await this.#vote(b.view, b.hash, b.height);
    if (this.#o.hooks?.equivocateVote?.(b.view) === true) await this.#vote(b.view, `${'ee'.repeat(16)}${b.hash.slice(32)}`, b.height, true);
    await this.#enterView(b.view + 1);
  }

  async #vote(view: number, hash: string, height: number, again = false): Promise<void> {
    const nonce = this.#nonce();
    if (nonce === undefined || this.#o.signing === undefined) return;
    if (!again) {
      this.#s.lastVoted = view;
      this.#persist();
    }
    const signature = await this.#o.signing.sign(voteSignBytes(this.#o.chainId, view, hash, nonce), view);
    if (signature === undefined) return;
    this.#sendTo(this.#o.leaderOf(view + 1), { kind: 'vote', view, block: hash, height, voter: this.#me, nonce, signature });
  }

  #blockValid(b: Block, signature: Uint8Array): boolean {
    if (b.proposer !== this.#o.leaderOf(b.view)) return false;
    if (b.parent !== b.justify.block || b.height !== b.justify.height + 1 || b.view <= b.justify.view) return false;
    const { hash, ...fields } = b;
    if (blockHash(fields) !== hash || b.nonce.length !== NONCE_BYTES) return false;
    if (!this.#verify(b.proposer, b.view, proposalSignBytes(this.#o.chainId, b.view, hash, b.nonce), signature)) return false;
    return this.#qcValid(b.justify);
  }

  /** Whether message `m` passes `check`, asking the shared verdicts first and recording a pass there. */
  #valid(m: HotStuffMessage, check: () => boolean): boolean {
    const shared = this.#o.verified?.messages;
    if (shared?.has(m) === true) return true;
    if (!check()) return false;
    shared?.add(m);
    return true;
  }

  #verify(identity: number, view: number, bytes: Uint8Array, signature: Uint8Array): boolean {
    if (this.#flags.skipSignatureCheck === true) return true;
    return this.#o.validators.verify(bytes, signature, { identity, view, anyEpoch: this.#flags.acceptRetiredKeys === true });
  }

  #quorum(): number {
    return this.#flags.quorumTwoF === true ? 2 * this.#o.validators.f : this.#o.validators.quorum;
  }

  #qcValid(qc: QC): boolean {
    if (qc.view === 0) return qc.block === GENESIS_HASH && qc.height === 0 && qc.votes.length === 0;
    if (this.#validQC.has(qc) || this.#o.verified?.qcs.has(qc) === true) return true;
    const voters = new Set<number>();
    for (const v of qc.votes) {
      if (voters.has(v.voter) || v.voter < 0 || v.voter >= this.#o.validators.n) return false;
      if (!this.#verify(v.voter, qc.view, voteSignBytes(this.#o.chainId, qc.view, qc.block, v.nonce), v.signature)) return false;
      voters.add(v.voter);
    }
    if (voters.size < this.#quorum()) return false;
    this.#validQC.add(qc);
    this.#o.verified?.qcs.add(qc);
    return true;
  }

  #safeNode(b: Block): boolean {
    return b.justify.view > this.#s.lockedView || this.#extends(b, this.#s.lockedBlock, this.#s.lockedView);
  }

  #extends(b: Block, ancestor: string, ancestorView: number): boolean {
    let cur: Block | undefined = b;
    while (cur !== undefined && cur.view > ancestorView) {
      if (cur.hash === ancestor) return true;
      cur = this.#blocks.get(cur.parent);
    }
    return cur?.hash === ancestor;
  }

  // --- the chained rules --------------------------------------------------------------------------

  async #update(b: Block): Promise<void> {
    if (b.justify.view > this.#highQC.view) {
      this.#highQC = b.justify;
    }
    const b2 = this.#need(b.justify.block);
    if (b2 === undefined || b2 === GENESIS) return;
    const b1 = this.#need(b2.justify.block);
    if (b1 === undefined || b1 === GENESIS) return;
    if (b1.view > this.#s.lockedView) {
      this.#s.lockedView = b1.view;
      this.#s.lockedBlock = b1.hash;
      this.#persist();
    }
    if (this.#flags.commitTwoChain === true && b2.view === b1.view + 1) return this.#commit(b1);
    const b0 = this.#need(b1.justify.block);
    if (b0 === undefined || b0 === GENESIS) return;
    if (b2.view === b1.view + 1 && b1.view === b0.view + 1) this.#commit(b0);
  }

  #need(hash: string): Block | undefined {
    const b = this.#blocks.get(hash);
    if (b !== undefined) return b;
    const now = this.#ctx.now();
    const last = this.#fetching.get(hash);
    if (last === undefined || now - last > 2 * this.#o.timeoutMs) {
      this.#fetching.set(hash, now);
      this.#ctx.broadcast({ kind: 'fetch', hash });
    }
    return undefined;
  }

  /** Commits `target` and every uncommitted ancestor, once all of them are known. */
  #commit(target: Block): void {
    if (target.height <= this.#s.committedHeight && this.#committed.get(target.height) === target.hash) return;
    const chain: Block[] = [];
    let cur: Block | undefined = target;
    while (cur !== undefined && cur.height > 0 && this.#committed.get(cur.height) !== cur.hash) {
      chain.push(cur);
      if (cur.height <= this.#s.committedHeight && this.#committed.has(cur.height)) {
        // A conflicting chain: record it (the safety check will see two blocks at one height).
        if (chain.length > 64) break;
      }
      const parent: Block | undefined = this.#need(cur.parent);
      if (parent === undefined && cur.parent !== GENESIS_HASH) {
        this.#pendingCommit = target;
        return;
      }
      cur = parent;
    }
    this.#pendingCommit = undefined;
    for (let i = chain.length - 1; i >= 0; i--) {
      const c = chain[i] as Block;
      this.#committed.set(c.height, c.hash);
      for (const t of c.txs) {
        this.#committedTxs.add(t);
        this.#mempool.delete(t);
      }
      this.#o.observer.commit(c.height, c.hash, c.txs);
      this.#ctx.trace(`commit ${c.height} ${c.hash.slice(0, 8)}`);
    }
    if (target.height > this.#s.committedHeight) {
      this.#s.committedHeight = target.height;
      this.#s.committedBlock = target.hash;
      this.#persist();
    }
  }

  // --- votes and certificates ------------------------------------------------------------------

  async #onVote(m: HotStuffMessage & { kind: 'vote' }): Promise<void> {
    if (this.#o.leaderOf(m.view + 1) !== this.#me || this.#o.signing === undefined) return;
    if (this.#formed.has(m.view)) return;
    if (!this.#valid(m, () => this.#verify(m.voter, m.view, voteSignBytes(this.#o.chainId, m.view, m.block, m.nonce), m.signature))) return;
    let byBlock = this.#votes.get(m.view);
    if (byBlock === undefined) this.#votes.set(m.view, (byBlock = new Map()));
    let votes = byBlock.get(m.block);
    if (votes === undefined) byBlock.set(m.block, (votes = new Map()));
    votes.set(m.voter, { voter: m.voter, nonce: m.nonce, signature: m.signature });
    if (this.#o.hooks?.forgeVotes?.(m.view) === true) {
      for (let v = 0; votes.size < this.#quorum() && v < this.#o.validators.n; v++) {
        if (!votes.has(v))
          votes.set(v, { voter: v, nonce: new Uint8Array(NONCE_BYTES), signature: new Uint8Array(m.signature.length).fill(0xee) });
      }
    }
    if (votes.size < this.#quorum()) return;
    const qc: QC = { view: m.view, block: m.block, height: m.height, votes: [...votes.values()].sort((a, b) => a.voter - b.voter) };
    this.#formed.set(m.view, qc);
    this.#validQC.add(qc);
    if (this.#o.hooks === undefined) this.#o.verified?.qcs.add(qc);
    if (qc.view > this.#highQC.view) {
      this.#highQC = qc;
    }
    if (this.#s.view <= m.view + 1) {
      if (this.#s.view < m.view + 1) await this.#enterView(m.view + 1);
      else await this.#propose(m.view + 1);
    }
  }

  // --- entropy and persistence -------------------------------------------------------------------

  /** A fresh nonce from the validator's generator, or undefined (and silence from now on) if it failed. */
  #nonce(): Uint8Array | undefined {
    if (this.#failed && this.#flags.signOnRngFailure !== true) return undefined;
    if (this.#flags.reuseNonce === true && this.#reusedNonce !== undefined) {
      this.#o.observer.nonce(bytesToHex(this.#reusedNonce));
      return this.#reusedNonce;
    }
    let nonce: Uint8Array;
    try {
      if (this.#o.rng === undefined) return undefined;
      nonce = this.#o.rng.randomBytes(NONCE_BYTES);
    } catch {
      if (!this.#failed) {
        this.#failed = true;
        this.#o.observer.rngFailed();
        this.#ctx.trace('rng failed: signing stops');
      }
      if (this.#flags.signOnRngFailure !== true) return undefined;
      nonce = new Uint8Array(NONCE_BYTES);
    }
    if (this.#flags.reuseNonce === true) this.#reusedNonce = nonce;
    this.#o.observer.nonce(bytesToHex(nonce));
    return nonce;
  }

  #persist(): void {
    const disk = this.#ctx.disk;
    disk.adopt(STATE_FILE, this.#codec.encode(this.#s), this.#ctx.now());
    disk.fsync(STATE_FILE);
  }
}
