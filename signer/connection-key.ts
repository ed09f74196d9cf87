/**
 * The signer's SecretConnection identity, kept across restarts (`hrng signer run --connection-key FILE`),
 * as tmkms keeps its `kms-identity.key`: a node that pins the signer's key (or a sentry's firewall that
 * names it) keeps working after a restart, which a fresh key per start would break.
 *
 * The file is one line, the base64 of the 32-byte Ed25519 seed (RFC 8032 §5.1.5), mode 0600, created on
 * first start from the signer's Rng (written whole: temp, fsync, rename — crypto/fs/atomic-file.ts — and
 * never over an existing file, so two first starts cannot end with two keys). A file readable or
 * writable by group or others, not a regular file, or not exactly one seed is refused: this key is what
 * the node authenticates the signer by.
 *
 * Not supported: tmkms's own key file encodings; keys held in a token (the connection key signs one
 * challenge per connection, so a software key is what tmkms uses too).
 */
import { lstat, readFile } from 'node:fs/promises';
import { ed25519 } from '@noble/curves/ed25519.js';
import { writeFileAtomic } from '../crypto/fs/index.js';
import type { RandomSource } from '../crypto/index.js';
import { SignerError } from './errors.js';
import type { ConnectionIdentity } from './secret-connection.js';

const invalid = (path: string, why: string): SignerError =>
  new SignerError('SIGNER_CONNECTION_KEY_INVALID', `connection key ${path}: ${why}`);

export interface ConnectionKey {
  readonly identity: ConnectionIdentity;
  readonly publicKey: Uint8Array;
  /** Whether this start created the file. */
  readonly created: boolean;
  /** Zeroes the seed held in memory. */
  dispose(): void;
}

function parse(path: string, text: string): Uint8Array {
  const line = text.endsWith('\n') ? text.slice(0, -1) : text;
  if (!/^[A-Za-z0-9+/]{43}=$/.test(line)) throw invalid(path, 'not one base64 Ed25519 seed (32 bytes)');
  const seed = Uint8Array.from(Buffer.from(line, 'base64'));
  if (seed.length !== 32) throw invalid(path, 'not one base64 Ed25519 seed (32 bytes)');
  return seed;
}

async function readKey(path: string): Promise<Uint8Array | undefined> {
  let st;
  try {
    st = await lstat(path);
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT') return undefined;
    throw invalid(path, `cannot be read (${String((err as { code?: unknown }).code ?? err)})`);
  }
  if (!st.isFile()) throw invalid(path, 'not a regular file');
  if ((st.mode & 0o077) !== 0) throw invalid(path, `mode ${(st.mode & 0o777).toString(8)} lets others read or change it; chmod 600`);
  return parse(path, await readFile(path, 'utf8'));
}

function keyOf(seed: Uint8Array, created: boolean): ConnectionKey {
  const publicKey = ed25519.getPublicKey(seed);
  return {
    identity: { publicKey, sign: async (m: Uint8Array) => ed25519.sign(m, seed) },
    publicKey,
    created,
    dispose: () => seed.fill(0),
  };
}

/** The key in `path`, or a new one from `random` written there (0600) when the file does not exist. */
export async function loadOrCreateConnectionKey(path: string, random: RandomSource): Promise<ConnectionKey> {
  const existing = await readKey(path);
  if (existing !== undefined) return keyOf(existing, false);
  const seed = random.randomBytes(32);
  const text = new TextEncoder().encode(`${Buffer.from(seed).toString('base64')}\n`);
  try {
    await writeFileAtomic(path, text, { mode: 0o600, noClobber: true });
  } catch (err) {
    seed.fill(0);
    // Another first start won the race: use its key.
    if ((err as { code?: unknown }).code === 'FS_EXISTS') {
      const theirs = await readKey(path);
      if (theirs !== undefined) return keyOf(theirs, false);
    }
    throw invalid(path, `cannot be created (${String((err as { code?: unknown }).code ?? err)})`);
  } finally {
    text.fill(0);
  }
  return keyOf(seed, true);
}
