/**
 * The one place simulated validators get their keys, from their own generator (so a cloned generator
 * shows up as a cloned key):
 *
 * - `ed25519`: the project's real software keys — `generateKey` (RFC 8032 §5.1.5 from a seed drawn
 *   from the RandomSource) and `SoftwareSigner`. About 0.1–2 ms a signature in JavaScript: it dominates
 *   a run, so the fast suites and campaigns use the stand-in below and a fixed subset runs Ed25519.
 * - `sim`: a keyed-hash stand-in (HMAC-SHA-256 under a 32-byte secret drawn the same way) behind the
 *   same `Signer` contract, ~100× cheaper. It is unforgeable inside the simulation — simulated code,
 *   Byzantine or not, can only call `sign` on keys it was given — and verifies through the simulation's
 *   key registry (the `Verifier` holds the secret), so evidence built from it verifies on its own
 *   within the run. It never leaves the simulation.
 *
 * The generator is deterministic by construction; the KEYS layer asks callers who know that to say so
 * (`allowDeterministic`), which this function does.
 */
import { hmac, type _HMAC } from '@noble/hashes/hmac.js';
import { sha256, type _SHA256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import {
  ct,
  generateKey,
  SoftwareSigner,
  type GenerateKeyOptions,
  type RandomSource,
  type SignatureScheme,
  type Signer,
} from '../../crypto/index.js';
import equal = ct.equal;

export type SimKeyKind = 'ed25519' | 'sim';

export interface SimKey {
  readonly kind: SimKeyKind;
  readonly signer: Signer;
  readonly publicKey: Uint8Array;
  readonly keyId: string;
  /** Synchronous signing, for attack code that forges chains outside the event loop. */
  signSync(message: Uint8Array): Uint8Array;
}

const SIM_SCHEME = 'sim-hmac-sha256' as unknown as SignatureScheme;
const PK_LABEL = new TextEncoder().encode('hrng/sim/public-key/v1');

class SimMacSigner implements Signer {
  readonly scheme = SIM_SCHEME;
  readonly publicKey: Uint8Array;
  readonly keyId: string;
  /**
   * HMAC keyed once (the padded-key blocks hashed); each MAC copies its two hash states into two work
   * states kept for the purpose, as HmacDrbg does — the same bytes as `hmac(sha256, secret, m)`, without
   * allocating two hash objects per MAC (a run makes one for every signature and every check of one).
   */
  readonly #keyed: _HMAC<_SHA256>;
  readonly #workIn = sha256.create();
  readonly #workOut = sha256.create();
  readonly #inner = new Uint8Array(32);

  constructor(secret: Uint8Array) {
    this.#keyed = hmac.create(sha256, secret) as _HMAC<_SHA256>;
    const input = new Uint8Array(PK_LABEL.length + secret.length);
    input.set(PK_LABEL);
    input.set(secret, PK_LABEL.length);
    this.publicKey = sha256(input);
    this.keyId = `sim-${bytesToHex(this.publicKey.subarray(0, 12))}`;
  }

  #mac(message: Uint8Array): Uint8Array {
    this.#keyed.iHash._cloneInto(this.#workIn).update(message).digestInto(this.#inner);
    const out = new Uint8Array(32);
    this.#keyed.oHash._cloneInto(this.#workOut).update(this.#inner).digestInto(out);
    return out;
  }

  signSync(message: Uint8Array): Uint8Array {
    return this.#mac(message);
  }

  async sign(message: Uint8Array): Promise<Uint8Array> {
    return this.signSync(message);
  }

  verify(message: Uint8Array, signature: Uint8Array): boolean {
    return signature instanceof Uint8Array && signature.length === 32 && equal(this.#mac(message), signature);
  }

  toJSON(): { keyId: string } {
    return { keyId: this.keyId };
  }
}

/** A validator key drawn from `rng`. */
export function generateSimKey(kind: SimKeyKind, rng: RandomSource): SimKey {
  if (kind === 'sim') {
    const signer = new SimMacSigner(rng.randomBytes(32));
    return { kind, signer, publicKey: signer.publicKey, keyId: signer.keyId, signSync: (m) => signer.signSync(m) };
  }
  // Not an object literal, so the consent flag passes before and after the KEYS layer adds it.
  const opts: GenerateKeyOptions & { readonly allowDeterministic: true } = { rng, allowDeterministic: true };
  const record = generateKey('ed25519', opts);
  const signer = SoftwareSigner.fromRecord(record);
  record.seed.dispose();
  return { kind, signer, publicKey: signer.publicKey, keyId: signer.keyId, signSync: (m) => signer.signSync(m) };
}
