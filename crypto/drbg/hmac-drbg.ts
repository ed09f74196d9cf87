/**
 * HMAC_DRBG, NIST SP 800-90A Rev.1 §10.1.2: the deterministic mechanism only — no entropy sources,
 * no reseed policy, no prediction-resistance decision (that is `Rng`'s job, §9.3.1 is done by the caller
 * as `reseed(entropy, additionalInput)` then `generate(n)`).
 *
 * - §10.1.2.2 Update, §10.1.2.3 Instantiate, §10.1.2.4 Reseed, §10.1.2.5 Generate.
 * - Table 2 limits: security strength 256 bits for every supported hash, entropy input ≥ 32 bytes,
 *   nonce ≥ 16 bytes (§8.6.7), ≤ 2^19 bits per request, ≤ 2^35 bits per input, ≤ 2^48 requests between
 *   reseeds. SHA3-512 is allowed for HMAC_DRBG by FIPS 140-3 IG D.R; its HMAC block is 72 bytes.
 * - An empty additional input is treated as absent (Null), as the CAVP vectors require.
 *
 * Speed: HMAC(K, ·) is computed from the inner/outer hash states precomputed once per key
 * (`hmac.create`), cloned into two reused worker hashes per block, so each output block costs two
 * compression-function calls and nothing is allocated per block.
 */
import { hmac } from '@noble/hashes/hmac.js';
import type { _HMAC } from '@noble/hashes/hmac.js';
import type { CHash, Hash } from '@noble/hashes/utils.js';
import { assert } from '../assert.js';
import { CryptoError } from '../errors.js';
import { hashFunction } from '../hash.js';
import type { HashName } from '../hash.js';

export type DrbgHash = HashName;

export interface HmacDrbgOptions {
  readonly hash: DrbgHash;
  readonly entropy: Uint8Array;
  readonly nonce: Uint8Array;
  readonly personalization?: Uint8Array;
  /** Generate requests allowed between (re)seeds; an integer in [1, 2^48], default 2^48. */
  readonly reseedInterval?: number;
}

interface HashState extends Hash<HashState> {}

const STATE_VERSION = 1;
const STATE_HEADER_BYTES = 18;
const STATE_HASH_IDS: readonly DrbgHash[] = ['sha256', 'sha512', 'sha3-512'];

const ZERO = Uint8Array.of(0x00);
const ONE = Uint8Array.of(0x01);
const NO_INPUT: readonly Uint8Array[] = [];

let stateForTesting: ((drbg: HmacDrbg) => { readonly K: Uint8Array; readonly V: Uint8Array }) | undefined;

export class HmacDrbg {
  static readonly SECURITY_STRENGTH_BITS = 256;
  static readonly MAX_BYTES_PER_REQUEST = 65536;
  static readonly MIN_ENTROPY_BYTES = 32;
  static readonly MIN_NONCE_BYTES = 16;
  static readonly MAX_INPUT_BITS = 2 ** 35;
  static readonly MAX_RESEED_INTERVAL = 2 ** 48;

  readonly #hashName: DrbgHash;
  readonly #fn: CHash;
  #reseedInterval: number;
  readonly #K: Uint8Array;
  readonly #V: Uint8Array;
  /** Inner digest scratch between the inner and outer hash of one HMAC. */
  readonly #inner: Uint8Array;
  /** Inner/outer hash states keyed with the current K: key-equivalent secrets. */
  #keyed: _HMAC<HashState>;
  readonly #workIn: HashState;
  readonly #workOut: HashState;
  #reseedCounter = 1;
  #destroyed = false;

  static {
    stateForTesting = (drbg) => ({ K: drbg.#K, V: drbg.#V });
  }

  /** §10.1.2.3 Instantiate: seed_material = entropy ‖ nonce ‖ personalization. */
  constructor(options: HmacDrbgOptions) {
    const { hash, entropy, nonce, personalization, reseedInterval } = options;
    assert.hashName(hash);
    checkEntropy(entropy, 'entropy input');
    checkInput(nonce, 'nonce');
    if (nonce.length < HmacDrbg.MIN_NONCE_BYTES) {
      throw new CryptoError(
        'DRBG_NONCE_TOO_SHORT',
        `nonce is ${nonce.length} bytes; SP 800-90A §8.6.7 requires at least ${HmacDrbg.MIN_NONCE_BYTES}`,
      );
    }
    if (personalization !== undefined) checkInput(personalization, 'personalization string');
    const interval = reseedInterval ?? HmacDrbg.MAX_RESEED_INTERVAL;
    assert.integer(interval, 'reseedInterval (SP 800-90A Table 2)', { min: 1, max: HmacDrbg.MAX_RESEED_INTERVAL });
    this.#hashName = hash;
    this.#fn = hashFunction(hash);
    this.#reseedInterval = interval;
    const outLen = this.#fn.outputLen;
    // Each state buffer over its own ArrayBuffer: V8 keeps typed arrays of ≤ 64 bytes on its moving heap,
    // where the GC could leave copies of K or V that destroy() cannot reach (docs/secrets.md).
    this.#K = new Uint8Array(new ArrayBuffer(outLen));
    this.#V = new Uint8Array(new ArrayBuffer(outLen)).fill(0x01);
    this.#inner = new Uint8Array(new ArrayBuffer(outLen));
    this.#keyed = hmac.create(this.#fn, this.#K) as _HMAC<HashState>;
    this.#workIn = this.#fn.create() as HashState;
    this.#workOut = this.#fn.create() as HashState;
    this.#update(personalization === undefined ? [entropy, nonce] : [entropy, nonce, personalization]);
    this.#reseedCounter = 1;
  }

  get hash(): DrbgHash {
    return this.#hashName;
  }

  get securityStrengthBits(): number {
    return HmacDrbg.SECURITY_STRENGTH_BITS;
  }

  /** Requests served since the last (re)seed, plus one (SP 800-90A's reseed_counter). */
  get reseedCounter(): number {
    return this.#reseedCounter;
  }

  get reseedInterval(): number {
    return this.#reseedInterval;
  }

  get destroyed(): boolean {
    return this.#destroyed;
  }

  /** §10.1.2.4 Reseed: seed_material = entropy ‖ additional input. */
  reseed(entropy: Uint8Array, additionalInput?: Uint8Array): void {
    this.#assertLive('reseed');
    checkEntropy(entropy, 'entropy input');
    if (additionalInput !== undefined) checkInput(additionalInput, 'additional input');
    this.#update(additionalInput === undefined ? [entropy] : [entropy, additionalInput]);
    this.#reseedCounter = 1;
  }

  /** §10.1.2.5 Generate: `bytes` in [1, 65536]; throws rather than produce output past the reseed interval. */
  generate(bytes: number, additionalInput?: Uint8Array): Uint8Array {
    this.#assertLive('generate');
    if (!Number.isInteger(bytes) || bytes < 1 || bytes > HmacDrbg.MAX_BYTES_PER_REQUEST) {
      const shown = typeof bytes === 'number' ? String(bytes) : `a ${typeof bytes}`;
      throw new CryptoError(
        'DRBG_REQUEST_OUT_OF_RANGE',
        `requested ${shown} bytes; a generate request must be an integer from 1 to ${HmacDrbg.MAX_BYTES_PER_REQUEST} bytes (SP 800-90A Table 2: 2^19 bits)`,
      );
    }
    if (additionalInput !== undefined) checkInput(additionalInput, 'additional input');
    if (this.#reseedCounter > this.#reseedInterval) {
      throw new CryptoError(
        'DRBG_RESEED_REQUIRED',
        `reseed required: ${this.#reseedCounter - 1} generate requests since the last (re)seed, the reseed interval is ${this.#reseedInterval}`,
      );
    }
    const provided = additionalInput !== undefined && additionalInput.length > 0 ? [additionalInput] : NO_INPUT;
    if (provided.length > 0) this.#update(provided);
    const out = new Uint8Array(bytes);
    const V = this.#V;
    const outLen = V.length;
    let offset = 0;
    for (; offset + outLen <= bytes; offset += outLen) {
      this.#hmacV();
      out.set(V, offset);
    }
    if (offset < bytes) {
      this.#hmacV();
      out.set(V.subarray(0, bytes - offset), offset);
    }
    this.#update(provided);
    this.#reseedCounter++;
    return out;
  }

  /**
   * The working state (K, V, reseed counter and interval) serialized, for a snapshot that `restore`
   * continues exactly (simulations, tests). The bytes ARE the generator's secret: whoever holds them
   * predicts every later output until the next reseed, so they must be treated like a key.
   * Format v1: version ‖ hash id ‖ reseed counter (u64 BE) ‖ reseed interval (u64 BE) ‖ K ‖ V.
   */
  exportState(): Uint8Array {
    this.#assertLive('exportState');
    const n = this.#K.length;
    const out = new Uint8Array(STATE_HEADER_BYTES + 2 * n);
    const view = new DataView(out.buffer);
    out[0] = STATE_VERSION;
    out[1] = STATE_HASH_IDS.indexOf(this.#hashName);
    view.setBigUint64(2, BigInt(this.#reseedCounter));
    view.setBigUint64(10, BigInt(this.#reseedInterval));
    out.set(this.#K, STATE_HEADER_BYTES);
    out.set(this.#V, STATE_HEADER_BYTES + n);
    return out;
  }

  /** A DRBG continuing from `exportState()`'s bytes; DRBG_STATE_REJECTED when they are not such a state. */
  static restore(state: Uint8Array): HmacDrbg {
    assert.bytes(state, 'state');
    const hash = STATE_HASH_IDS[state[1] ?? 255];
    if (state[0] !== STATE_VERSION || hash === undefined) {
      throw new CryptoError('DRBG_STATE_REJECTED', `state: not an HMAC_DRBG state of format v${STATE_VERSION}`);
    }
    const n = hashFunction(hash).outputLen;
    if (state.length !== STATE_HEADER_BYTES + 2 * n) {
      throw new CryptoError(
        'DRBG_STATE_REJECTED',
        `state: ${state.length} bytes, an HMAC_DRBG-${hash} state has ${STATE_HEADER_BYTES + 2 * n}`,
      );
    }
    const view = new DataView(state.buffer, state.byteOffset, state.byteLength);
    const counter = Number(view.getBigUint64(2));
    const interval = Number(view.getBigUint64(10));
    if (!(interval >= 1 && interval <= HmacDrbg.MAX_RESEED_INTERVAL && counter >= 1 && counter <= interval + 1)) {
      throw new CryptoError('DRBG_STATE_REJECTED', `state: reseed counter ${counter} and interval ${interval} are out of range`);
    }
    const drbg = new HmacDrbg({
      hash,
      entropy: new Uint8Array(HmacDrbg.MIN_ENTROPY_BYTES),
      nonce: new Uint8Array(HmacDrbg.MIN_NONCE_BYTES),
    });
    drbg.#load(state.subarray(STATE_HEADER_BYTES, STATE_HEADER_BYTES + n), state.subarray(STATE_HEADER_BYTES + n), counter, interval);
    return drbg;
  }

  /** §9.4 Uninstantiate: zero K and V and the key-derived hash states; every later call throws. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#K.fill(0);
    this.#V.fill(0);
    this.#inner.fill(0);
    this.#keyed.destroy();
    this.#workIn.destroy();
    this.#workOut.destroy();
  }

  toJSON(): { hash: DrbgHash; reseedCounter: number; destroyed: boolean } {
    return { hash: this.#hashName, reseedCounter: this.#reseedCounter, destroyed: this.#destroyed };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `HmacDrbg { hash: '${this.#hashName}', reseedCounter: ${this.#reseedCounter}${this.#destroyed ? ', destroyed' : ''} }`;
  }

  #load(K: Uint8Array, V: Uint8Array, counter: number, interval: number): void {
    this.#K.set(K);
    this.#V.set(V);
    this.#keyed.destroy();
    this.#keyed = hmac.create(this.#fn, this.#K) as _HMAC<HashState>;
    this.#reseedCounter = counter;
    this.#reseedInterval = interval;
  }

  /** §10.1.2.2 Update; `provided` is provided_data in pieces, empty (all zero-length) meaning Null. */
  #update(provided: readonly Uint8Array[]): void {
    this.#rekey(ZERO, provided);
    this.#hmacV();
    if (!provided.some((p) => p.length > 0)) return;
    this.#rekey(ONE, provided);
    this.#hmacV();
  }

  /** K = HMAC(K, V ‖ separator ‖ provided), then precompute the pads for the new K. */
  #rekey(separator: Uint8Array, provided: readonly Uint8Array[]): void {
    const inner = this.#keyed.iHash._cloneInto(this.#workIn);
    inner.update(this.#V).update(separator);
    for (const p of provided) inner.update(p);
    inner.digestInto(this.#inner);
    this.#keyed.oHash._cloneInto(this.#workOut).update(this.#inner).digestInto(this.#K);
    this.#keyed.destroy();
    this.#keyed = hmac.create(this.#fn, this.#K) as _HMAC<HashState>;
  }

  /** V = HMAC(K, V). */
  #hmacV(): void {
    this.#keyed.iHash._cloneInto(this.#workIn).update(this.#V).digestInto(this.#inner);
    this.#keyed.oHash._cloneInto(this.#workOut).update(this.#inner).digestInto(this.#V);
  }

  #assertLive(operation: string): void {
    if (this.#destroyed) throw new CryptoError('DRBG_DESTROYED', `${operation} called on a destroyed HMAC_DRBG; instantiate a new one`);
  }
}

/**
 * Test-only: the live K and V arrays of a DRBG, so tests can show that `destroy()` zeroes them.
 * Not exported from any index; the package's `exports` map keeps it out of reach of applications.
 */
export function drbgStateForTesting(drbg: HmacDrbg): { readonly K: Uint8Array; readonly V: Uint8Array } {
  if (stateForTesting === undefined) throw new CryptoError('CRYPTO_INVALID_ARGUMENT', 'HmacDrbg class not initialised');
  return stateForTesting(drbg);
}

const MAX_INPUT_BYTES = HmacDrbg.MAX_INPUT_BITS / 8;

function checkInput(input: unknown, name: string): asserts input is Uint8Array {
  const bytes = assert.bytes(input, name);
  if (bytes.length > MAX_INPUT_BYTES) {
    throw new CryptoError(
      'DRBG_INPUT_TOO_LONG',
      `${name} is ${bytes.length} bytes; SP 800-90A Table 2 allows at most ${MAX_INPUT_BYTES} (2^35 bits), ${bytes.length - MAX_INPUT_BYTES} too many`,
    );
  }
}

function checkEntropy(entropy: unknown, name: string): asserts entropy is Uint8Array {
  checkInput(entropy, name);
  if (entropy.length < HmacDrbg.MIN_ENTROPY_BYTES) {
    throw new CryptoError(
      'DRBG_ENTROPY_TOO_SHORT',
      `${name} is ${entropy.length} bytes; SP 800-90A requires at least ${HmacDrbg.MIN_ENTROPY_BYTES} (the 256-bit security strength)`,
    );
  }
}
