/**
 * Test oracle: a second HMAC_DRBG, written straight from SP 800-90A Rev.1 §10.1.2 on node:crypto's
 * HMAC (OpenSSL), sharing no code with crypto/drbg/hmac-drbg.ts. It is deliberately naive — one
 * `createHmac` per HMAC, concatenated inputs, no limits — so that agreement with the optimised
 * implementation means something. Used to prove HMAC_DRBG-SHA3-512, for which CAVP has no vectors.
 */
import { createHmac } from 'node:crypto';

export type OracleHash = 'sha256' | 'sha512' | 'sha3-512';

const OUTLEN: Record<OracleHash, number> = { sha256: 32, sha512: 64, 'sha3-512': 64 };

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export class NodeHmacDrbgOracle {
  private K: Uint8Array;
  private V: Uint8Array;
  reseedCounter = 0;

  constructor(
    private readonly hash: OracleHash,
    entropy: Uint8Array,
    nonce: Uint8Array,
    personalization: Uint8Array = new Uint8Array(),
  ) {
    // §10.1.2.3 steps 1-5
    const outlen = OUTLEN[hash];
    this.K = new Uint8Array(outlen);
    this.V = new Uint8Array(outlen).fill(1);
    this.update(concat(entropy, nonce, personalization));
    this.reseedCounter = 1;
  }

  private hmac(key: Uint8Array, data: Uint8Array): Uint8Array {
    return new Uint8Array(createHmac(this.hash, key).update(data).digest());
  }

  /** §10.1.2.2; a zero-length provided_data is Null. */
  private update(provided: Uint8Array): void {
    this.K = this.hmac(this.K, concat(this.V, Uint8Array.of(0x00), provided));
    this.V = this.hmac(this.K, this.V);
    if (provided.length === 0) return;
    this.K = this.hmac(this.K, concat(this.V, Uint8Array.of(0x01), provided));
    this.V = this.hmac(this.K, this.V);
  }

  /** §10.1.2.4 */
  reseed(entropy: Uint8Array, additionalInput: Uint8Array = new Uint8Array()): void {
    this.update(concat(entropy, additionalInput));
    this.reseedCounter = 1;
  }

  /** §10.1.2.5 (the reseed-interval check is policy, tested elsewhere). */
  generate(bytes: number, additionalInput: Uint8Array = new Uint8Array()): Uint8Array {
    if (additionalInput.length > 0) this.update(additionalInput);
    const blocks: Uint8Array[] = [];
    for (let got = 0; got < bytes; got += this.V.length) {
      this.V = this.hmac(this.K, this.V);
      blocks.push(this.V);
    }
    const temp = concat(...blocks);
    this.update(additionalInput);
    this.reseedCounter += 1;
    return temp.slice(0, bytes);
  }
}
