/**
 * What the checks see of a run: a record kept by the harness and the nodes as things happen —
 * commits, every signature made (with its sign bytes, so evidence can be rebuilt from it), keys and
 * nonces drawn, generator failures, guard refusals. Protocol-independent: a platform's own protocol
 * reports the same facts and reuses every check.
 */
export interface CommitRecord {
  readonly slot: number;
  readonly identity: number;
  readonly height: number;
  readonly block: string;
  readonly timeMs: number;
  readonly txs: readonly string[];
}

export interface SignatureRecord {
  readonly slot: number;
  readonly identity: number;
  readonly keyId: string;
  readonly signBytes: Uint8Array;
  readonly signature: Uint8Array;
  readonly timeMs: number;
}

export class Ledger {
  readonly commits: CommitRecord[] = [];
  readonly signatures: SignatureRecord[] = [];
  /** Hex nonce → slots that drew it (duplicates are the entropy check's concern). */
  readonly nonces: { readonly slot: number; readonly hex: string }[] = [];
  readonly keys: { readonly slot: number; readonly identity: number; readonly publicKeyHex: string }[] = [];
  /** Slot → virtual time its generator failed. */
  readonly rngFailures = new Map<number, number>();
  readonly refusals: { readonly slot: number; readonly code: string; readonly timeMs: number }[] = [];
  /** Proposals a validator made, by slot (for the censorship check: did an honest leader propose?). */
  readonly proposals: { readonly slot: number; readonly view: number; readonly timeMs: number; readonly txs: readonly string[] }[] = [];

  commit(c: CommitRecord): void {
    this.commits.push(c);
  }

  signed(s: SignatureRecord): void {
    this.signatures.push(s);
  }

  nonce(slot: number, hex: string): void {
    this.nonces.push({ slot, hex });
  }

  key(slot: number, identity: number, publicKeyHex: string): void {
    this.keys.push({ slot, identity, publicKeyHex });
  }

  rngFailed(slot: number, timeMs: number): void {
    if (!this.rngFailures.has(slot)) this.rngFailures.set(slot, timeMs);
  }

  refused(slot: number, code: string, timeMs: number): void {
    this.refusals.push({ slot, code, timeMs });
  }

  proposed(slot: number, view: number, timeMs: number, txs: readonly string[]): void {
    this.proposals.push({ slot, view, timeMs, txs });
  }
}
