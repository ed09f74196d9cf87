/**
 * The remote signer's request handling (CometBFT privval/signer_requestHandler.go, as tmkms serves
 * it): PubKey, SignVote, SignProposal and Ping, each answered with its response; every refusal is a
 * RemoteSignerError in the response, never a dropped connection.
 *
 * The signer does not decide what is safe to sign: it builds CometBFT's canonical sign bytes from the
 * request and hands them to the SigningGuard, which reads height, round, step and chain id back out of
 * those bytes (decoders: CometBFT canonical vote and proposal). The chain id of the request is also
 * checked here, so a request for another chain is refused before any key or store is touched.
 *
 * Vote extensions (CometBFT ≥ 0.38): a precommit for a block is signed with its extension's
 * CanonicalVoteExtension sign bytes too, unless the node asks to skip it — after, and only after, the
 * guard allowed the vote. Extensions are not slashable and the application may produce a new one for
 * the same vote, so they are signed again on a re-sign (as FilePV does).
 *
 * A vote or proposal asked again at the last position differing only in its timestamp (a node restarted
 * mid-round re-requests its own vote) gets the stored signature back with the LAST timestamp in the
 * reply, as CometBFT's FilePV does (the guard decides; decide-sign.ts).
 *
 * RemoteSignerError codes: see SIGNER_REMOTE_ERROR below (CometBFT does not fix them; the description
 * carries the guard's one-line reason).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { silentLogger, systemClock, type Clock, type Logger } from '../crypto/index.js';
import {
  decodeCanonicalProposal,
  decodeCanonicalVote,
  isGuardRefusal,
  isNilBlockId,
  proposalSignBytes,
  voteExtensionSignBytes,
  voteSignBytes,
  type SigningGuard,
  type Timestamp,
} from '../consensus/index.js';
import { assertKeySchedule, keyForHeight, type KeySchedule } from './key-schedule.js';
import type { PrivvalMessage, RemoteSignerError, Vote } from './privval-messages.js';
import { emptyProposal, emptyVote } from './privval-messages.js';

export const SIGNER_REMOTE_ERROR = {
  /** Anything unexpected (a store or token failure): nothing was signed. */
  internal: 1,
  /** The guard refused (double sign, regression, below the floor, no history). */
  refused: 2,
  /** The request names another chain. */
  wrongChain: 3,
  /** The generator or the token is unhealthy: the signer refuses until it recovers. */
  unhealthy: 4,
  /** A request the signer does not serve (SignBytes, an unknown vote type). */
  unsupported: 5,
} as const;

export type RequestType = 'pubkey' | 'vote' | 'proposal' | 'ping' | 'unsupported';
export type RequestResult = 'ok' | 'refused' | 'error' | 'wrong-chain' | 'unhealthy' | 'unsupported';

/** Where the service reports each request (the Prometheus metrics implement it). */
export interface SignerObserver {
  request(type: RequestType, result: RequestResult, seconds: number): void;
  signedHeight(height: number): void;
}

export interface PrivvalServiceOptions {
  readonly chainId: string;
  readonly guard: SigningGuard;
  readonly keys: KeySchedule;
  /** Audit log: every signature and refusal (key id, chain, position, payload hash — no secret). */
  readonly audit?: Logger;
  readonly observer?: SignerObserver;
  readonly clock?: Clock;
  /** Why the signer must not sign now (the Rng failed, the token is gone), or undefined when healthy. */
  readonly unhealthy?: () => string | undefined;
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** The timestamp in canonical vote or proposal sign bytes the guard signed. */
function signedTimestamp(bytes: Uint8Array, what: 'vote' | 'proposal'): Timestamp | undefined {
  if (what === 'vote') return decodeCanonicalVote(bytes)?.vote.timestamp;
  return decodeCanonicalProposal(bytes)?.proposal.timestamp;
}

export class PrivvalService {
  readonly #o: PrivvalServiceOptions;
  readonly #audit: Logger;
  readonly #clock: Clock;
  #highest = 0;

  constructor(opts: PrivvalServiceOptions) {
    assertKeySchedule(opts.keys);
    this.#o = opts;
    this.#audit = opts.audit ?? silentLogger;
    this.#clock = opts.clock ?? systemClock;
  }

  async handle(m: PrivvalMessage): Promise<PrivvalMessage> {
    const started = this.#clock.monotonicMs();
    const [type, reply, result] = await this.#dispatch(m);
    this.#o.observer?.request(type, result, (this.#clock.monotonicMs() - started) / 1000);
    return reply;
  }

  async #dispatch(m: PrivvalMessage): Promise<[RequestType, PrivvalMessage, RequestResult]> {
    switch (m.kind) {
      case 'pingRequest':
        return ['ping', { kind: 'pingResponse' }, 'ok'];
      case 'pubKeyRequest': {
        if (m.chainId !== '' && m.chainId !== this.#o.chainId) {
          return ['pubkey', { kind: 'pubKeyResponse', pubKey: new Uint8Array(0), error: this.#wrongChain(m.chainId) }, 'wrong-chain'];
        }
        return ['pubkey', { kind: 'pubKeyResponse', pubKey: keyForHeight(this.#o.keys, this.#highest + 1).publicKey.slice() }, 'ok'];
      }
      case 'signVoteRequest': {
        const [vote, result, error] = await this.#signVote(m.vote, m.chainId, m.skipExtensionSigning);
        return [
          'vote',
          error === undefined ? { kind: 'signedVoteResponse', vote } : { kind: 'signedVoteResponse', vote: emptyVote(), error },
          result,
        ];
      }
      case 'signProposalRequest': {
        const p = m.proposal;
        const [sig, result, error] = await this.#guarded('proposal', m.chainId, p.height, () =>
          proposalSignBytes(m.chainId, {
            height: p.height,
            round: p.round,
            polRound: p.polRound,
            blockId: p.blockId,
            timestamp: p.timestamp,
          }),
        );
        return [
          'proposal',
          error === undefined && sig !== undefined
            ? { kind: 'signedProposalResponse', proposal: { ...p, timestamp: sig.timestamp ?? p.timestamp, signature: sig.signature } }
            : { kind: 'signedProposalResponse', proposal: emptyProposal(), error: error ?? this.#internal() },
          result,
        ];
      }
      default: {
        const what = m.kind === 'unsupported' ? `message field ${m.field}` : m.kind;
        return ['unsupported', this.#unsupportedReply(what), 'unsupported'];
      }
    }
  }

  #unsupportedReply(what: string): PrivvalMessage {
    // CometBFT closes the connection on an unexpected message anyway; an unsupported request gets a
    // PubKeyResponse carrying the error, which names what was not served.
    return {
      kind: 'pubKeyResponse',
      pubKey: new Uint8Array(0),
      error: { code: SIGNER_REMOTE_ERROR.unsupported, description: `unsupported request: ${what}` },
    };
  }

  async #signVote(vote: Vote, chainId: string, skipExtension: boolean): Promise<[Vote, RequestResult, RemoteSignerError | undefined]> {
    if (vote.type !== 1 && vote.type !== 2) {
      return [
        vote,
        'unsupported',
        { code: SIGNER_REMOTE_ERROR.unsupported, description: `vote type ${vote.type} is not prevote (1) or precommit (2)` },
      ];
    }
    const type = vote.type;
    const [sig, result, error] = await this.#guarded('vote', chainId, vote.height, () =>
      voteSignBytes(chainId, { type, height: vote.height, round: vote.round, blockId: vote.blockId, timestamp: vote.timestamp }),
    );
    if (error !== undefined || sig === undefined) return [vote, result, error ?? this.#internal()];
    let extensionSignature = new Uint8Array(0);
    if (type === 2 && !isNilBlockId(vote.blockId) && !skipExtension) {
      extensionSignature = Uint8Array.from(
        await sig.key.sign(voteExtensionSignBytes(chainId, { height: vote.height, round: vote.round, extension: vote.extension })),
      );
    }
    return [{ ...vote, timestamp: sig.timestamp ?? vote.timestamp, signature: sig.signature, extensionSignature }, 'ok', undefined];
  }

  async #guarded(
    what: 'vote' | 'proposal',
    chainId: string,
    height: bigint,
    signBytes: () => Uint8Array,
  ): Promise<
    [
      { signature: Uint8Array; key: KeySchedule['current']; timestamp?: Timestamp } | undefined,
      RequestResult,
      RemoteSignerError | undefined,
    ]
  > {
    if (chainId !== this.#o.chainId) return [undefined, 'wrong-chain', this.#wrongChain(chainId)];
    const sick = this.#o.unhealthy?.();
    if (sick !== undefined) {
      this.#audit.warn(
        { event: 'refuse', type: what, chainId, height: String(height), reason: 'unhealthy', why: sick },
        'signer: unhealthy, refused',
      );
      return [undefined, 'unhealthy', { code: SIGNER_REMOTE_ERROR.unhealthy, description: `signer unhealthy: ${sick}` }];
    }
    if (height < 0n || height > BigInt(Number.MAX_SAFE_INTEGER)) {
      return [undefined, 'refused', { code: SIGNER_REMOTE_ERROR.refused, description: `height ${height} out of range` }];
    }
    const key = keyForHeight(this.#o.keys, Number(height));
    const bytes = signBytes();
    const payloadHash = hex(sha256(bytes));
    try {
      const r = await this.#o.guard.signDetailed(key, bytes);
      this.#highest = Math.max(this.#highest, r.hrs.height);
      this.#o.observer?.signedHeight(r.hrs.height);
      // Only the timestamp differed: the signature is over the last bytes, so the reply carries their time.
      const timestamp = r.restamped ? signedTimestamp(r.signedBytes, what) : undefined;
      if (r.restamped && timestamp === undefined) {
        this.#audit.error(
          { event: 'error', type: what, keyId: key.keyId, chainId, ...r.hrs, payloadHash },
          'signer: re-signed bytes unreadable',
        );
        return [undefined, 'error', this.#internal()];
      }
      this.#audit.info(
        {
          event: 'sign',
          type: what,
          keyId: key.keyId,
          chainId,
          ...r.hrs,
          payloadHash,
          ...(r.restamped ? { resignedAtLastTimestamp: true } : {}),
        },
        'signer: signed',
      );
      return [{ signature: r.signature, key, ...(timestamp !== undefined ? { timestamp } : {}) }, 'ok', undefined];
    } catch (err) {
      if (isGuardRefusal(err)) {
        this.#audit.warn(
          { event: 'refuse', type: what, keyId: key.keyId, chainId, height: Number(height), code: err.code, payloadHash },
          'signer: refused',
        );
        return [undefined, 'refused', { code: SIGNER_REMOTE_ERROR.refused, description: `${err.code}: ${err.message}` }];
      }
      const code = (err as { code?: unknown }).code;
      this.#audit.error(
        { event: 'error', type: what, keyId: key.keyId, chainId, height: Number(height), code: String(code ?? 'unknown'), payloadHash },
        'signer: failed, nothing signed',
      );
      return [
        undefined,
        'error',
        { code: SIGNER_REMOTE_ERROR.internal, description: `signer failed (${String(code ?? 'error')}); nothing signed` },
      ];
    }
  }

  #wrongChain(chainId: string): RemoteSignerError {
    this.#audit.warn(
      { event: 'refuse', chainId: chainId.slice(0, 64), expected: this.#o.chainId, reason: 'wrong-chain' },
      'signer: other chain refused',
    );
    return {
      code: SIGNER_REMOTE_ERROR.wrongChain,
      description: `refused: chain id '${chainId.slice(0, 64)}', this signer signs for '${this.#o.chainId}'`,
    };
  }

  #internal(): RemoteSignerError {
    return { code: SIGNER_REMOTE_ERROR.internal, description: 'signer failed; nothing signed' };
  }
}
