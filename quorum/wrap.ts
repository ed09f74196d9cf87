/**
 * Shares at rest on agents: each share is AES-256-GCM (NIST SP 800-38D; node:crypto, i.e. OpenSSL's
 * constant-time AES) under a key derived for that agent alone,
 *
 *   K_agent = HKDF-SHA-256(master wrapping key, salt = "hrng/quorum/v1/wrap", info = lp(agentId) ‖ publicKey)
 *
 * with a random 96-bit IV and the associated data lp(keyId) ‖ epoch ‖ lp(agentId) ‖ publicKey, so a share
 * moved to another agent, key or epoch fails authentication. Layout: iv[12] ‖ ciphertext ‖ tag[16].
 *
 * The master wrapping key lives either in the project's encrypted keystore (a keystore record's 32-byte
 * seed, put through HKDF under its own label so the bytes are never used as a signing seed), or sealed by
 * an HSM: 32 random bytes encrypted with a token-held, non-extractable AES-256-GCM key (hsm/ HsmAesKey),
 * opened at start-up — the token must be present and logged in for the aggregator to open any share. In
 * both cases the master key is in the aggregator's memory while it runs (a Secret, zeroed on dispose); the
 * per-agent keys are never stored. Third form (token-master.ts): the master is an HMAC key on the token
 * and never leaves it; each per-agent key is HKDF-Expand computed by the token, in memory for one
 * wrap/unwrap.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { generateKey, hkdf, readKeystore, Secret, writeKeystore, type KdfParams, type RandomSource } from '../crypto/index.js';
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../crypto/fs/index.js';
import type { GcmSealed } from '../hsm/index.js';
import { lp, u64 } from './encoding.js';
import { check, QuorumError } from './errors.js';
import type { MasterExpander } from './token-master.js';

const encoder = new TextEncoder();
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** What the HSM form needs of a token-held AES-256-GCM key (hsm/ HsmAesKey has this shape). */
export interface SealingKey {
  encryptGcm(plaintext: Uint8Array, options: { aad?: Uint8Array }): GcmSealed;
  decryptGcm(sealed: GcmSealed, options: { aad?: Uint8Array }): Uint8Array;
}

const SEALED_FORMAT = 'hrng-quorum-wrapping-key/1';
const SEALED_AAD = encoder.encode('hrng/quorum/v1/sealed-wrapping-key');

export interface ShareAddress {
  readonly keyId: string;
  readonly epoch: number;
  readonly agentId: string;
  /** The agent's identity public key, hex. */
  readonly publicKey: string;
}

function aad(a: ShareAddress): Uint8Array {
  return Buffer.concat([lp(a.keyId), u64(a.epoch), lp(a.agentId), Buffer.from(a.publicKey, 'hex')]);
}

const TOKEN_WRAP_LABEL = lp('hrng/quorum/v1/wrap');

/**
 * The master wrapping key: 32 bytes held as a zeroizing Secret, or a key on a token that never leaves it
 * (token-master.ts; then K_agent = HKDF-Expand(token key, lp("hrng/quorum/v1/wrap") ‖ lp(agentId) ‖ publicKey)).
 */
export class WrappingKey {
  private readonly master: Secret | undefined;
  private readonly expander: MasterExpander | undefined;
  private constructor(master: Secret | undefined, expander?: MasterExpander) {
    this.master = master;
    this.expander = expander;
  }

  /** A wrapping key whose master stays on a token (TokenMasterKey): each per-agent key is derived there. */
  static onToken(expander: MasterExpander): WrappingKey {
    return new WrappingKey(undefined, expander);
  }

  static fromBytes(bytes: Uint8Array): WrappingKey {
    check.bytes(bytes, 'wrapping key', { length: 32 });
    return new WrappingKey(Secret.from(bytes.slice()));
  }

  /** Creates a new wrapping key from `rng` in DIR/keystore-<id>.json; returns its path. */
  static async create(
    dir: string,
    passphrase: Uint8Array,
    options: { readonly rng: RandomSource; readonly kdf?: KdfParams },
  ): Promise<string> {
    const record = generateKey('ed25519', { rng: options.rng });
    try {
      return await writeKeystore(dir, record, passphrase, { rng: options.rng, ...(options.kdf ? { kdf: options.kdf } : {}) });
    } finally {
      record.seed.dispose();
    }
  }

  static async fromKeystore(path: string, passphrase: Uint8Array): Promise<WrappingKey> {
    const record = await readKeystore(path, passphrase);
    try {
      const master = record.seed.use((s) => hkdf('sha256', s, undefined, encoder.encode('hrng/quorum/v1/wrapping-master'), 32));
      return new WrappingKey(Secret.from(master));
    } finally {
      record.seed.dispose();
    }
  }

  /** Creates a new wrapping key from `rng`, sealed by `sealer` (an HSM key), in a new file at `path`. */
  static async createSealed(path: string, sealer: SealingKey, rng: RandomSource): Promise<void> {
    const master = rng.randomBytes(32);
    try {
      const sealed = sealer.encryptGcm(master, { aad: SEALED_AAD });
      const json = {
        format: SEALED_FORMAT,
        iv: Buffer.from(sealed.iv).toString('hex'),
        ciphertext: Buffer.from(sealed.ciphertext).toString('hex'),
      };
      await writeFileAtomic(path, encoder.encode(`${JSON.stringify(json)}\n`), { noClobber: true });
    } finally {
      master.fill(0);
    }
  }

  /** Opens a wrapping key sealed by createSealed (QUORUM_WRAPPING_KEY when the file or the HSM key is wrong). */
  static async fromSealed(path: string, sealer: SealingKey): Promise<WrappingKey> {
    const malformed = (cause?: unknown): QuorumError =>
      new QuorumError('QUORUM_WRAPPING_KEY', `${path} is not a sealed wrapping key (${SEALED_FORMAT})`, { cause });
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    } catch (err) {
      throw malformed(err);
    }
    if (
      typeof o !== 'object' ||
      o === null ||
      o['format'] !== SEALED_FORMAT ||
      typeof o['iv'] !== 'string' ||
      typeof o['ciphertext'] !== 'string'
    )
      throw malformed();
    const sealed: GcmSealed = {
      iv: Uint8Array.from(Buffer.from(o['iv'], 'hex')),
      ciphertext: Uint8Array.from(Buffer.from(o['ciphertext'], 'hex')),
    };
    let master: Uint8Array;
    try {
      master = sealer.decryptGcm(sealed, { aad: SEALED_AAD });
    } catch (err) {
      throw new QuorumError('QUORUM_WRAPPING_KEY', `the HSM key did not open ${path} (another key, or the file was altered)`, {
        cause: err,
      });
    }
    if (master.length !== 32) {
      master.fill(0);
      throw new QuorumError('QUORUM_WRAPPING_KEY', `${path} holds ${master.length} bytes, not 32`);
    }
    return new WrappingKey(Secret.from(master));
  }

  private agentKey(a: ShareAddress): Uint8Array {
    const info = Buffer.concat([lp(a.agentId), Buffer.from(a.publicKey, 'hex')]);
    if (this.expander !== undefined) return this.expander.expand32(Buffer.concat([TOKEN_WRAP_LABEL, info]));
    return (this.master as Secret).use((m) => hkdf('sha256', m, encoder.encode('hrng/quorum/v1/wrap'), info, 32));
  }

  wrap(share: Uint8Array, address: ShareAddress, rng: RandomSource): Uint8Array {
    const key = this.agentKey(address);
    try {
      const iv = rng.randomBytes(IV_BYTES);
      const c = createCipheriv('aes-256-gcm', key, iv);
      c.setAAD(aad(address));
      const body = Buffer.concat([c.update(share), c.final()]);
      return Buffer.concat([iv, body, c.getAuthTag()]);
    } finally {
      key.fill(0);
    }
  }

  /** The share, or QUORUM_UNWRAP_FAILED (the caller zeroes the result after use). */
  unwrap(wrapped: Uint8Array, address: ShareAddress): Uint8Array {
    if (wrapped.length < IV_BYTES + TAG_BYTES + 1)
      throw new QuorumError('QUORUM_UNWRAP_FAILED', `wrapped share of ${address.agentId} is too short`);
    const key = this.agentKey(address);
    try {
      const d = createDecipheriv('aes-256-gcm', key, wrapped.subarray(0, IV_BYTES));
      d.setAAD(aad(address));
      d.setAuthTag(wrapped.subarray(wrapped.length - TAG_BYTES));
      const out = d.update(wrapped.subarray(IV_BYTES, wrapped.length - TAG_BYTES));
      d.final();
      return new Uint8Array(out.buffer, out.byteOffset, out.length);
    } catch (err) {
      throw new QuorumError(
        'QUORUM_UNWRAP_FAILED',
        `the share held by ${address.agentId} for ${address.keyId}@${address.epoch} failed authentication`,
        { cause: err },
      );
    } finally {
      key.fill(0);
    }
  }

  dispose(): void {
    this.master?.dispose();
  }
  toString(): string {
    return this.expander === undefined ? 'WrappingKey(redacted)' : `WrappingKey(${this.expander.description})`;
  }
  toJSON(): string {
    return this.toString();
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
