/**
 * Authenticated shares: Shamir shares (shamir.ts) in a self-describing, hash-committed format, so that a
 * corrupted, truncated, duplicated or foreign share is a typed error naming it (ShareInvalidError) —
 * never a wrong secret — and fewer than k shares is ShareTooFewError. Two formats, both decoded,
 * combined and refreshed (a refresh keeps the old set's format); splitSecret and sealShares write v1
 * unless asked for v2 (`{ version: 2 }`) — see "Default" below. All integers big-endian.
 *
 * Format v1:
 *
 *   "HRSS" | version=1 | k | n | x | setId[16] | L:u16 | nonce[32] | y[L] | n × (x_j | c_j[32])
 *
 *   c_j   = SHA3-256(lp("hrng/sharing/v1/share") ‖ 1 ‖ k ‖ n ‖ L ‖ x_j ‖ nonce_j ‖ y_j)
 *   setId = SHA3-256(lp("hrng/sharing/v1/set") ‖ 1 ‖ k ‖ n ‖ L ‖ (x_j ‖ c_j) for j = 1..n)[0..16]
 *
 * Every share carries the commitments of the whole set, so each share checks itself (its own c_j) and the
 * set (setId recomputed from the list), and shares of one set agree on setId. A v1 combine must hash each
 * of its k shares and the list: k + 1 SHA3-256 calls. Why hashes and not Feldman commitments: Feldman needs
 * a group with a hard discrete logarithm whose exponents are the field, and GF(256) has none. The 32-byte
 * nonce makes each c_j hiding: without it, k − 1 holders could search a short secret's other y values
 * against the published commitments.
 *
 * Format v2 (the shared value is s ‖ r, r = 32 fresh bytes from the RandomSource, so y is L + 32 bytes):
 *
 *   "HRSS" | version=2 | k | n | x | setId[16] | L:u16 | check[32] | y[L + 32] | n × (x_j | c_j[32])
 *
 *   check = SHA3-256(lp("hrng/sharing/v2/check") ‖ L ‖ s ‖ r)
 *   c_j   = SHA3-256(lp("hrng/sharing/v2/share") ‖ 2 ‖ k ‖ n ‖ L ‖ x_j ‖ y_j)
 *   setId = SHA3-256(lp("hrng/sharing/v2/set") ‖ 2 ‖ k ‖ n ‖ L ‖ check ‖ (x_j ‖ c_j) for j = 1..n)[0..16]
 *
 * (lp(s) = u32 length ‖ s; L is the secret's length, not y's.) A combine of exactly k shares whose public
 * parts (k, n, setId, L, check, the list: compared as bytes, no hash) agree hashes twice: the set id once
 * (it binds check, so a set whose check values were all swapped does not pass an expected set id), and
 * s ‖ r once, compared with check in constant time (ct.equal). Each share beyond k costs one more hash
 * (its own c_j). Cost: the fast path works on the encodings as given — the public region of each share is
 * compared with the first's in one pass (so the first's header holds for all and nothing is decoded into
 * objects), both hash inputs are built in reused buffers and s ‖ r is interpolated straight into the
 * check's input — so at 3-of-5 with a 32-byte secret (≈ 5 µs CPU here) the two hashes are ≈ 40 % of a
 * combine and the interpolation ≈ 25 %; `npm run bench -- sharing` puts it at 1.4–1.8× the table-based
 * `shamir-secret-sharing` combine (docs/performance.md). Equal: s is returned, r and every temporary zeroed. Not equal, or anything else off the
 * common case: the slow path checks every share as v1 does and, as v1, names the first that fails its
 * own checks (or the minority of a split set); if every share is sound and the check still fails, the set
 * is inconsistent (its dealer committed to values
 * not on one polynomial) and all given shares are named with that reason. check and c_j are hiding
 * because r is itself shared: k − 1 holders who guess a short s still miss 256 bits of r, and of the r
 * half of every other y. check leaves out k, n and the set id so a refresh (which never sees s or r)
 * carries it unchanged to the new set.
 *
 * Refinement of the design brief: v2 has no per-share nonce. A nonce only hides c_j, and r already does
 * (above); a nonce would also be the one field of a share that neither the byte comparison nor the check
 * covers, so a flipped nonce bit would combine unnoticed on the fast path. Without it every bit of a
 * share is covered on the fast path. The set id is recomputed always, not only when the caller passes an
 * expected one: it costs one hash of public bytes, and so the set id a caller records (inspectShare) is
 * always the hash of what combined. What it cannot do, exactly as v1 without an expected set id: whoever
 * controls every presented share can present any self-consistent set (their own split) — pass the
 * expected set id to rule that out.
 *
 * Default: tests/unit/sharing/format-v1.test.ts (pinned, unchanged) asserts that splitSecret and
 * sealShares without options still write byte-identical v1 and that SHARE_FORMAT_VERSION is 1, so the
 * default stays v1 and v2 is `{ version: 2 }`; SHARE_FORMAT_V2 names it.
 *
 * What this does NOT protect against (either format): the dealer (whoever split or refreshed) is trusted
 * to commit to a consistent polynomial — v2 detects an inconsistent one when combining, but a holder cannot
 * prove to another that the set is consistent without combining (that is what Feldman/Pedersen VSS adds).
 *
 * Hashing: every hash runs on OpenSSL's SHA3-256 through node:crypto's one-shot `hash()` (the same function
 * as @noble/hashes' sha3_256, byte for byte — tests/unit/sharing/format-v1.test.ts and format-v2.test.ts
 * compare with noble — about 8× faster per call with its digest returned as a 'binary' string, which is
 * fine because the digests compared are public: commitments, set ids, and a check value that equals the
 * public one whenever a combine succeeds). The commitments and the check cover secret bytes; that is
 * acceptable here because:
 *  - Keccak-f[1600] is constant time by construction (XOR, AND, NOT and fixed rotations; OpenSSL's C and
 *    x86-64 code index nothing by data) and the absorb loop depends on the public length only;
 *  - no copy of the input escapes our zeroing: `hash()` hands the view to OneShotDigest unchanged, whose
 *    ArrayBufferViewContents reads the bytes in place when the view has an ArrayBuffer (it copies to the
 *    C++ stack only views of ≤ 64 bytes still on the V8 heap) — so secret inputs are assembled in a view
 *    of an explicit ArrayBuffer, zeroed after every call; EVP_Digest's context is freed with
 *    EVP_MD_CTX_free, and the SHA-3 provider frees its Keccak state with OPENSSL_clear_free (zeroed);
 *  - what remains is what noble left too: registers and stack temporaries of the permutation, until
 *    overwritten (docs/secrets.md, "Copies we cannot see").
 * The v2 check comparison is the one secret-dependent step of a combine outside the interpolation
 * (shamir.ts interpolateInto, which writes s ‖ r into the zeroed-after-use scratch above): the digest is
 * turned into bytes by a fixed 32-iteration loop and compared with ct.equal (CRYPTO_memcmp), so
 * its time depends on lengths only; which branch follows (return s, or the slow path) is the public
 * outcome of the combine.
 */
import { hash } from 'node:crypto';
import { assert } from '../assert.js';
import { equal } from '../ct/equal.js';
import type { RandomSource } from '../drbg/random-source.js';
import { ShareInvalidError, ShareTooFewError } from './errors.js';
import {
  MAX_SECRET_BYTES,
  MAX_SHARES,
  checkXs,
  drawXs,
  evaluateRandomPolynomials,
  interpolateAtZero,
  interpolateInto,
  splitRaw,
  type RawShare,
} from './shamir.js';

/** The format splitSecret and sealShares write when not asked for another (see the header). */
export const SHARE_FORMAT_VERSION = 1;
/** The format with a check value: a combine of k shares hashes twice (see the header). */
export const SHARE_FORMAT_V2 = 2;
export type ShareFormatVersion = 1 | 2;
const MAGIC = new Uint8Array([0x48, 0x52, 0x53, 0x53]); // "HRSS"
const SET_ID_BYTES = 16;
const NONCE_BYTES = 32;
const COMMITMENT_BYTES = 32;
/** v2: the random half r of the shared value s ‖ r, and the check value's length. */
const MASK_BYTES = 32;
const CHECK_BYTES = 32;
/** Both formats: 26 bytes of header, then 32 (v1: the nonce; v2: the check), then y at byte 58. */
const HEADER_BYTES = 4 + 1 + 3 + SET_ID_BYTES + 2 + NONCE_BYTES; // 58
const TAIL_AT = 26;

/** What a share says about itself (no secret bytes). */
export interface ShareInfo {
  readonly version: number;
  readonly threshold: number;
  readonly shares: number;
  readonly x: number;
  /** 16 bytes naming the share set; hex. */
  readonly setId: string;
  /** L, the secret's length (v2 shares carry L + 32 bytes of y). */
  readonly secretLength: number;
  /** v2 only: the set's check value (public; hiding, see the header); hex. */
  readonly check?: string;
}

export interface SplitOptions {
  /** k: shares needed to recover. */
  readonly threshold: number;
  /** n: shares made. */
  readonly shares: number;
}

export interface SplitSecretOptions extends SplitOptions {
  /** The format to write: 1 (the default) or 2. */
  readonly version?: ShareFormatVersion;
}

export interface SealOptions {
  /** The format to write: 1 (the default) or 2, which needs `check`. */
  readonly version?: ShareFormatVersion;
  /** v2: the check value of the shared s ‖ r (a refresh carries the old set's). */
  readonly check?: Uint8Array;
}

export interface CombineOptions {
  /** Refuse shares of any other set (hex or bytes). Without it, all shares must agree among themselves. */
  readonly setId?: string | Uint8Array;
}

/** A commitment to one raw share, and the nonce that hides it. */
export interface ShareCommitment {
  readonly x: number;
  readonly commitment: Uint8Array;
}

const encoder = new TextEncoder();
function lp(label: string): Uint8Array {
  const b = encoder.encode(label);
  const out = new Uint8Array(4 + b.length);
  new DataView(out.buffer).setUint32(0, b.length, false);
  out.set(b, 4);
  return out;
}

/** What differs between the formats: the labels, the y bytes beyond L, and what the set id also covers. */
interface Format {
  readonly version: ShareFormatVersion;
  readonly shareLabel: Uint8Array;
  readonly setLabel: Uint8Array;
  /** y is L + extra bytes. */
  readonly extra: number;
}
const V1: Format = { version: 1, shareLabel: lp('hrng/sharing/v1/share'), setLabel: lp('hrng/sharing/v1/set'), extra: 0 };
const V2: Format = { version: 2, shareLabel: lp('hrng/sharing/v2/share'), setLabel: lp('hrng/sharing/v2/set'), extra: MASK_BYTES };
const CHECK_LABEL = lp('hrng/sharing/v2/check');
const ENTRY_BYTES = 1 + COMMITMENT_BYTES;
const formatOf = (version: number): Format => (version === 2 ? V2 : V1);

/** label ‖ version ‖ k ‖ n ‖ L ‖ x: what precedes the nonce (v1) or y (v2) in a commitment's input. */
const SHARE_PREFIX_BYTES = V1.shareLabel.length + 6;
/** label ‖ version ‖ k ‖ n ‖ L: what precedes the list (v1) or check ‖ list (v2) in the set id's input. */
const SET_PREFIX_BYTES = V1.setLabel.length + 5;
/** Where the list starts in a set id input. */
const listStart = (f: Format): number => SET_PREFIX_BYTES + (f.version === 2 ? CHECK_BYTES : 0);

/**
 * Where secret hash inputs are assembled: a view of an explicit ArrayBuffer, so that node:crypto reads the
 * bytes in place (see the header) and the only copy besides the caller's is here, zeroed after each
 * use. Grown when a longer secret comes; the smaller one it replaces is already all zero.
 */
let scratch = new Uint8Array(new ArrayBuffer(SHARE_PREFIX_BYTES + NONCE_BYTES + 64));

/** The last view scratchOf made: a combine asks for the same size again and again (subarray is a cost). */
let scratchView = scratch.subarray(0, 0);

function scratchOf(size: number): Uint8Array {
  if (scratchView.length === size) return scratchView;
  if (scratch.length < size) scratch = new Uint8Array(new ArrayBuffer(size));
  scratchView = scratch.subarray(0, size);
  return scratchView;
}

/** Writes lp(label) ‖ version ‖ k ‖ n ‖ L at the start of `input` (both hashes' common prefix); returns its end. */
function writePrefix(input: Uint8Array, label: Uint8Array, set: { version: number; k: number; n: number; length: number }): number {
  input.set(label, 0);
  let at = label.length;
  input[at++] = set.version;
  input[at++] = set.k;
  input[at++] = set.n;
  input[at++] = set.length >>> 8;
  input[at++] = set.length & 0xff;
  return at;
}

/** The scratch, holding lp(label) ‖ version ‖ k ‖ n ‖ L ‖ x and room for `body` more bytes (nonce ‖ y or y). */
function commitInput(f: Format, set: { k: number; n: number; length: number }, x: number, body: number): Uint8Array {
  const input = scratchOf(SHARE_PREFIX_BYTES + body);
  input[writePrefix(input, f.shareLabel, { version: f.version, ...set })] = x;
  return input;
}

/**
 * SHA3-256 of `input` as a 'binary' (latin1) string, one character per digest byte: node:crypto returns
 * a string about twice as fast as a Buffer (no off-heap allocation). Only digests take this form, and
 * the ones kept are public (see the header), so no secret becomes a string.
 */
function digest(input: Uint8Array): string {
  return hash('sha3-256', input, 'binary');
}

/** The first `length` bytes of a digest string. */
function digestBytes(d: string, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = d.charCodeAt(i);
  return out;
}

/** Whether a[at .. at + length) equals the first `length` bytes of digest `d`: no early exit (public bytes). */
function sameAt(a: Uint8Array, at: number, d: string, length: number): boolean {
  let diff = 0;
  for (let i = 0; i < length; i++) diff |= (a[at + i] as number) ^ d.charCodeAt(i);
  return diff === 0;
}

/** The digest of a filled secret input, which is zeroed whatever happens. */
function digestCommitment(input: Uint8Array): string {
  try {
    return digest(input);
  } finally {
    input.fill(0);
  }
}

/** v1: c = SHA3-256(lp(label) ‖ 1 ‖ k ‖ n ‖ L ‖ x ‖ nonce ‖ y), on OpenSSL's one-shot SHA3-256 (see the header). */
export function commitShare(share: RawShare, nonce: Uint8Array, k: number, n: number): Uint8Array {
  const input = commitInput(V1, { k, n, length: share.y.length }, share.x, NONCE_BYTES + share.y.length);
  input.set(nonce, SHARE_PREFIX_BYTES);
  input.set(share.y, SHARE_PREFIX_BYTES + NONCE_BYTES);
  return digestBytes(digestCommitment(input), COMMITMENT_BYTES);
}

/** v2: c = SHA3-256(lp(label) ‖ 2 ‖ k ‖ n ‖ L ‖ x ‖ y), y being L + 32 bytes (its share of s ‖ r). */
export function commitShareV2(share: RawShare, k: number, n: number): Uint8Array {
  const length = share.y.length - MASK_BYTES;
  const input = commitInput(V2, { k, n, length }, share.x, share.y.length);
  input.set(share.y, SHARE_PREFIX_BYTES);
  return digestBytes(digestCommitment(input), COMMITMENT_BYTES);
}

/** v2: check = SHA3-256(lp("hrng/sharing/v2/check") ‖ L ‖ s ‖ r) of the shared value `sr` = s ‖ r, as a digest string. */
function checkDigest(sr: Uint8Array): string {
  const length = sr.length - MASK_BYTES;
  const input = scratchOf(CHECK_LABEL.length + 2 + sr.length);
  input.set(CHECK_LABEL, 0);
  input[CHECK_LABEL.length] = length >>> 8;
  input[CHECK_LABEL.length + 1] = length & 0xff;
  input.set(sr, CHECK_LABEL.length + 2);
  return digestCommitment(input);
}

/** v2: the check value of s ‖ r (public; hiding because r is secret). */
export function checkValue(sr: Uint8Array): Uint8Array {
  return digestBytes(checkDigest(sr), CHECK_BYTES);
}

/**
 * Where set id inputs are assembled (public bytes only), grown when a larger set comes: allocating a
 * fresh off-heap buffer per call costs as much as a hash of it. A caller uses the view before the next
 * setInput call (sealShares copies the list out into every share first).
 */
let setScratch = new Uint8Array(SET_PREFIX_BYTES + CHECK_BYTES + 16 * ENTRY_BYTES);
let setView = setScratch.subarray(0, 0);

/** A view of the first `size` bytes of setScratch (the last one made is reused, as scratchOf does). */
function setScratchOf(size: number): Uint8Array {
  if (setView.length === size) return setView;
  if (setScratch.length < size) setScratch = new Uint8Array(size);
  setView = setScratch.subarray(0, size);
  return setView;
}

/** A set id input with its header (and, v2, its check) written, then room for n entries. */
function setInput(f: Format, set: { k: number; n: number; length: number }, check: Uint8Array | undefined): Uint8Array {
  const input = setScratchOf(listStart(f) + set.n * ENTRY_BYTES);
  writePrefix(input, f.setLabel, { version: f.version, ...set });
  if (f.version === 2) input.set(check as Uint8Array, SET_PREFIX_BYTES);
  return input;
}

/** The set id of a complete set id input (public bytes only: header fields, check and commitments). */
function setIdOfInput(input: Uint8Array): Uint8Array {
  return digestBytes(digest(input), SET_ID_BYTES);
}

/** The set id over an encoded commitment list (n × (x ‖ c), in set order). */
function setIdOfList(f: Format, head: { k: number; length: number; check?: Uint8Array | undefined }, list: Uint8Array): Uint8Array {
  const input = setInput(f, { k: head.k, n: list.length / ENTRY_BYTES, length: head.length }, head.check);
  input.set(list, listStart(f));
  return setIdOfInput(input);
}

/** The commitments as the list the share format carries: n × (x ‖ c), in the order given. */
function encodeList(commitments: readonly ShareCommitment[]): Uint8Array {
  const list = new Uint8Array(commitments.length * ENTRY_BYTES);
  commitments.forEach((c, j) => {
    list[j * ENTRY_BYTES] = c.x;
    list.set(assert.bytes(c.commitment, 'commitment', { length: COMMITMENT_BYTES }), j * ENTRY_BYTES + 1);
  });
  return list;
}

/** The v1 set id over the commitments, in the order given. */
export function shareSetId(commitments: readonly ShareCommitment[], k: number, length: number): Uint8Array {
  return setIdOfList(V1, { k, length }, encodeList(commitments));
}

/** The v2 set id over the check value and the commitments, in the order given. */
export function shareSetIdV2(commitments: readonly ShareCommitment[], k: number, length: number, check: Uint8Array): Uint8Array {
  assert.bytes(check, 'check', { length: CHECK_BYTES });
  return setIdOfList(V2, { k, length, check }, encodeList(commitments));
}

/** v1: a fresh hiding nonce and the commitment to `share` for a set of n shares with threshold k. */
export function commitRawShare(
  share: RawShare,
  k: number,
  n: number,
  rng: RandomSource,
): { nonce: Uint8Array; commitment: ShareCommitment } {
  const nonce = assert.bytes(rng.randomBytes(NONCE_BYTES), 'rng.randomBytes()', { length: NONCE_BYTES });
  return { nonce, commitment: { x: share.x, commitment: commitShare(share, nonce, k, n) } };
}

/** v1: encodes one share of a set whose commitments (in set order, its own among them) are known. */
export function encodeShare(share: RawShare, nonce: Uint8Array, k: number, commitments: readonly ShareCommitment[]): Uint8Array {
  const n = commitments.length;
  checkSetShape(k, n, share.y.length);
  assert.bytes(share.y, 'share.y', { minLength: 1, maxLength: MAX_SECRET_BYTES });
  assert.bytes(nonce, 'nonce', { length: NONCE_BYTES });
  // The distributed roles assemble commitments from several parties: check this share is among them.
  const own = commitments.find((c) => c.x === share.x);
  if (own === undefined || !equal(own.commitment, commitShare(share, nonce, k, n))) {
    throw new ShareInvalidError([0], `x = ${share.x} is not committed to in the set's commitments`);
  }
  const list = encodeList(commitments);
  return layout(share, nonce, { f: V1, k, length: share.y.length, list, setId: setIdOfList(V1, { k, length: share.y.length }, list) });
}

/** v2, the new holder's role: the commitment to its share (no nonce: r hides it, see the header). */
export function commitRawShareV2(share: RawShare, k: number, n: number): ShareCommitment {
  assert.bytes(share.y, 'share.y', { minLength: MASK_BYTES + 1, maxLength: MAX_SECRET_BYTES + MASK_BYTES });
  return { x: share.x, commitment: commitShareV2(share, k, n) };
}

/** v2: encodes one share of a set whose commitments (in set order, its own among them) and check are known. */
export function encodeShareV2(share: RawShare, k: number, commitments: readonly ShareCommitment[], check: Uint8Array): Uint8Array {
  const n = commitments.length;
  assert.bytes(share.y, 'share.y', { minLength: MASK_BYTES + 1, maxLength: MAX_SECRET_BYTES + MASK_BYTES });
  const length = share.y.length - MASK_BYTES;
  checkSetShape(k, n, length);
  assert.bytes(check, 'check', { length: CHECK_BYTES });
  const own = commitments.find((c) => c.x === share.x);
  if (own === undefined || !equal(own.commitment, commitShareV2(share, k, n))) {
    throw new ShareInvalidError([0], `x = ${share.x} is not committed to in the set's commitments`);
  }
  const list = encodeList(commitments);
  return layout(share, check, { f: V2, k, length, list, setId: setIdOfList(V2, { k, length, check }, list) });
}

function checkSetShape(k: number, n: number, length: number): void {
  assert.integer(k, 'threshold', { min: 2, max: MAX_SHARES });
  assert.integer(n, 'commitments.length', { min: k, max: MAX_SHARES });
  assert.integer(length, 'share.y.length', { min: 1, max: MAX_SECRET_BYTES });
}

/** The set a share is encoded into: its format, threshold, secret length, encoded commitment list and set id. */
interface ShareSet {
  readonly f: Format;
  readonly k: number;
  readonly length: number;
  readonly list: Uint8Array;
  readonly setId: Uint8Array;
}

/** The layout of one share; `tail` is the nonce (v1) or the check (v2). Its commitment is checked or just made. */
function layout(share: RawShare, tail: Uint8Array, set: ShareSet): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES + share.y.length + set.list.length);
  out.set(MAGIC, 0);
  out[4] = set.f.version;
  out[5] = set.k;
  out[6] = set.list.length / ENTRY_BYTES;
  out[7] = share.x;
  out.set(set.setId, 8);
  out[24] = set.length >>> 8;
  out[25] = set.length & 0xff;
  out.set(tail, TAIL_AT);
  out.set(share.y, HEADER_BYTES);
  out.set(set.list, HEADER_BYTES + share.y.length);
  return out;
}

/**
 * Commits to and encodes a whole set of raw shares (one threshold, one length): v1 (the default) with
 * fresh nonces — one request to `rng` for all n nonces — or v2 (`{ version: 2, check }`: raw shares of
 * s ‖ r, no randomness needed); one commitment per share, the commitment list and set id once.
 */
export function sealShares(raw: readonly RawShare[], k: number, rng: RandomSource, options: SealOptions = {}): Uint8Array[] {
  if (!Array.isArray(raw)) assert.record(raw, 'raw');
  assert.record(options, 'options');
  const f = formatOf(assert.integer(options.version ?? 1, 'options.version', { min: 1, max: 2 }));
  const n = raw.length;
  const ylength = raw[0]?.y.length ?? 0;
  const length = ylength - f.extra;
  checkSetShape(k, n, length);
  raw.forEach((s, i) => assert.bytes(s.y, `raw[${i}].y`, { length: ylength }));
  checkXs(
    raw.map((s) => s.x),
    k,
    'raw[].x',
  );
  const check = f.version === 2 ? assert.bytes(options.check, 'options.check', { length: CHECK_BYTES }) : undefined;
  const nonces =
    f.version === 1 ? assert.bytes(rng.randomBytes(n * NONCE_BYTES), 'rng.randomBytes()', { length: n * NONCE_BYTES }) : new Uint8Array(0);
  try {
    // The list is written once, into the set id's input, and copied into each share by layout().
    const input = setInput(f, { k, n, length }, check);
    const list = input.subarray(listStart(f));
    raw.forEach((s, j) => {
      list[j * ENTRY_BYTES] = s.x;
      const c = f.version === 1 ? commitShare(s, nonces.subarray(j * NONCE_BYTES, (j + 1) * NONCE_BYTES), k, n) : commitShareV2(s, k, n);
      list.set(c, j * ENTRY_BYTES + 1);
    });
    const set: ShareSet = { f, k, length, list, setId: setIdOfInput(input) };
    return raw.map((s, j) => layout(s, check ?? nonces.subarray(j * NONCE_BYTES, (j + 1) * NONCE_BYTES), set));
  } finally {
    nonces.fill(0);
  }
}

/**
 * Tables by x (public), reused rather than allocated per call (off-heap allocations dominate a small
 * combine): entryOffsets[x] = offset of x's entry in the cached list or −1, refilled whenever the cache
 * changes list; seenAt, refilled by each checkShareSet. Nothing reads them across calls (the fast path has
 * its own, fastStamp).
 */
const entryOffsets = new Int32Array(256);
const seenAt = new Int16Array(256);

interface Decoded {
  readonly info: ShareInfo;
  readonly raw: RawShare;
}

/**
 * The last commitment list checked (public data) in one call — the share it was read from and where — with
 * its set id and, in entryOffsets, where each x's entry sits in it, so the shares of one set validate and
 * hash their common list once.
 */
class ListCache {
  /** A Buffer view of the cached list, inside the share it was read from (for memcmp). */
  list: Buffer | undefined = undefined;
  version = 0;
  k = 0;
  length = 0;
  /** v2: the check value the set id covers (a view into the share it was read from). */
  check: Buffer | undefined = undefined;
  setId: Uint8Array = new Uint8Array(SET_ID_BYTES);
  /** setId in hex (a share's own set id must equal it, so it is its hex too). */
  hex = '';
  checkHex = '';

  /** Whether bytes[at ..] is the cached list (of the same version, k, L and check, which the set id covers). */
  holds(bytes: Uint8Array, at: number, head: Head): boolean {
    const list = this.list;
    if (list === undefined || this.version !== head.version || this.k !== head.k || this.length !== head.length) return false;
    if (list.length !== bytes.length - at || list.compare(bytes, at) !== 0) return false;
    return this.check === undefined || this.check.compare(bytes, TAIL_AT, HEADER_BYTES) === 0;
  }
}

/** A share's header fields, read and checked for shape (not yet against any hash). */
interface Head {
  readonly version: ShareFormatVersion;
  readonly k: number;
  readonly n: number;
  readonly x: number;
  readonly length: number;
  /** Where the commitment list starts (y is bytes 58 .. listAt). */
  readonly listAt: number;
}

/** Reads the header of share `bytes` (position `index`, for the error) and checks its length. */
function parseHead(bytes: unknown, index: number): Head {
  const bad = (reason: string): never => {
    throw new ShareInvalidError([index], reason);
  };
  if (!(bytes instanceof Uint8Array)) return bad('not a Uint8Array');
  if (bytes.length < HEADER_BYTES + 1) return bad(`too short (${bytes.length} bytes)`);
  for (let i = 0; i < 4; i++) if (bytes[i] !== MAGIC[i]) return bad('not a hardened-rng share (magic)');
  const version = bytes[4] as number;
  if (version !== 1 && version !== 2) return bad(`unsupported format version ${version}`);
  const k = bytes[5] as number;
  const n = bytes[6] as number;
  const x = bytes[7] as number;
  if (k < 2 || n < k || x === 0) return bad(`impossible header (k = ${k}, n = ${n}, x = ${x})`);
  const length = ((bytes[24] as number) << 8) | (bytes[25] as number);
  if (length < 1) return bad('empty secret');
  const listAt = HEADER_BYTES + length + formatOf(version).extra;
  const expected = listAt + n * ENTRY_BYTES;
  if (bytes.length !== expected) return bad(`length ${bytes.length}, expected ${expected} for k = ${k}, n = ${n}, L = ${length}`);
  return { version, k, n, x, length, listAt };
}

/** Fills entryOffsets from the list at bytes[listAt ..]; false if it repeats an x or holds x = 0. */
function indexList(bytes: Uint8Array, listAt: number): boolean {
  entryOffsets.fill(-1);
  for (let at = listAt; at < bytes.length; at += ENTRY_BYTES) {
    const cx = bytes[at] as number;
    if (cx === 0 || entryOffsets[cx] !== -1) return false;
    entryOffsets[cx] = at - listAt;
  }
  return true;
}

/** Whether share `bytes`' value matches its own entry (at `own` in its list): one hash. */
function matchesOwnCommitment(bytes: Uint8Array, head: Head, own: number): boolean {
  const f = formatOf(head.version);
  // v1: nonce ‖ y lie side by side (bytes 26 .. 58 + L); v2: y alone (bytes 58 .. 58 + L + 32). One copy.
  const from = f.version === 1 ? TAIL_AT : HEADER_BYTES;
  const input = commitInput(f, head, head.x, head.listAt - from);
  input.set(bytes.subarray(from, head.listAt), SHARE_PREFIX_BYTES);
  return sameAt(bytes, head.listAt + own + 1, digestCommitment(input), COMMITMENT_BYTES);
}

/** Parses and self-checks share `bytes` (position `index` in the caller's list, for the error). */
function decode(bytes: unknown, index: number, cache: ListCache = new ListCache()): Decoded {
  const bad = (reason: string): never => {
    throw new ShareInvalidError([index], reason);
  };
  const head = parseHead(bytes, index);
  const share = bytes as Uint8Array;
  const { version, k, n, x, length, listAt } = head;
  const f = formatOf(version);
  // The commitment list, the check and the header are public: comparing them with the cache is not a leak.
  if (!cache.holds(share, listAt, head)) {
    if (!indexList(share, listAt)) return bad('the commitment list repeats an x or holds x = 0');
    const check = version === 2 ? share.subarray(TAIL_AT, HEADER_BYTES) : undefined;
    const setId = setIdOfList(f, { k, length, check }, share.subarray(listAt));
    Object.assign(cache, {
      list: Buffer.from(share.buffer, share.byteOffset + listAt, share.length - listAt),
      version,
      k,
      length,
      check: check === undefined ? undefined : Buffer.from(share.buffer, share.byteOffset + TAIL_AT, CHECK_BYTES),
      setId,
      hex: Buffer.from(setId).toString('hex'),
      checkHex: check === undefined ? '' : Buffer.from(check).toString('hex'),
    });
  }
  const own = entryOffsets[x] as number;
  if (own < 0) return bad(`its x = ${x} is not in its own set's commitment list`);
  if (!matchesOwnCommitment(share, head, own)) return bad(`x = ${x}: its value does not match its commitment (corrupted)`);
  let diff = 0;
  for (let i = 0; i < SET_ID_BYTES; i++) diff |= (share[8 + i] as number) ^ (cache.setId[i] as number);
  if (diff !== 0) return bad(`x = ${x}: its set id does not match its commitment list`);
  const base = { version, threshold: k, shares: n, x, setId: cache.hex, secretLength: length };
  const info: ShareInfo = version === 2 ? { ...base, check: cache.checkHex } : base;
  return { info, raw: { x, y: share.subarray(HEADER_BYTES, listAt) } };
}

/** A share's public description, after checking it against its own commitment (ShareInvalidError if not). */
export function inspectShare(share: Uint8Array): ShareInfo {
  return decode(share, 0).info;
}

/**
 * n authenticated shares of `secret`, any k of which recover it (x's and coefficients from `rng`): format
 * v1 unless `options.version` is 2, where r (32 bytes) is drawn from `rng` first and s ‖ r is shared.
 */
export function splitSecret(secret: Uint8Array, options: SplitSecretOptions, rng: RandomSource): Uint8Array[] {
  assert.record(options, 'options');
  const version = assert.integer(options.version ?? 1, 'options.version', { min: 1, max: 2 });
  if (version === 1) {
    const raw = splitRaw(secret, options.threshold, options.shares, rng);
    try {
      return sealShares(raw, options.threshold, rng);
    } finally {
      for (const r of raw) r.y.fill(0);
    }
  }
  assert.bytes(secret, 'secret', { minLength: 1, maxLength: MAX_SECRET_BYTES });
  assert.integer(options.threshold, 'threshold', { min: 2, max: MAX_SHARES });
  assert.integer(options.shares, 'shares', { min: options.threshold, max: MAX_SHARES });
  const sr = new Uint8Array(secret.length + MASK_BYTES);
  let raw: RawShare[] = [];
  try {
    sr.set(secret, 0);
    const r = assert.bytes(rng.randomBytes(MASK_BYTES), 'rng.randomBytes()', { length: MASK_BYTES });
    sr.set(r, secret.length);
    r.fill(0);
    const check = checkValue(sr);
    // Not splitRaw: s ‖ r may be 32 bytes longer than MAX_SECRET_BYTES, the limit of L (a u16).
    const xs = drawXs(options.shares, rng);
    raw = evaluateRandomPolynomials(sr, options.threshold, xs, rng).map((y, i) => ({ x: xs[i] as number, y }));
    return sealShares(raw, options.threshold, rng, { version: 2, check });
  } finally {
    sr.fill(0);
    for (const s of raw) s.y.fill(0);
  }
}

/**
 * Checks a list of shares as one set: each against its commitment, all of one set (the given one, or the
 * one they agree on), one format, no x twice, at least k. Returns the decoded shares (views into the
 * caller's bytes; v2 y's are shares of s ‖ r). For v2 this does not test the check value: only a combine
 * can (it needs the interpolated value).
 */
export function verifyShareSet(shares: readonly Uint8Array[], options: CombineOptions = {}): { info: ShareInfo; raw: RawShare[] } {
  const checked = checkShareSet(shares, options);
  if (checked.raw.length < checked.info.threshold) throw new ShareTooFewError(checked.raw.length, checked.info.threshold);
  return checked;
}

/** The value most entries have; a tie leaves no basis for blaming one side, so every entry is named. */
function majority<T>(values: readonly T[], what: string): T {
  const first = values[0] as T;
  if (values.every((v) => v === first)) return first;
  const counts = new Map<T, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  const top = ranked[0] as [T, number];
  if ((ranked[1] as [T, number])[1] === top[1]) {
    throw new ShareInvalidError(
      values.map((_, i) => i),
      `the shares belong to different ${what} and none is the majority`,
    );
  }
  return top[0];
}

/**
 * v1 and v2 shares never combine: if both are given, the minority is named (a tie names all). Shares
 * whose format cannot be read are left to decode, which names them with the reason.
 */
function refuseMixedVersions(shares: readonly Uint8Array[]): void {
  const versionOf = (s: unknown): number => (s instanceof Uint8Array && s.length > 4 && (s[4] === 1 || s[4] === 2) ? (s[4] as number) : 0);
  let ones = 0;
  let twos = 0;
  for (const s of shares) {
    const v = versionOf(s);
    if (v === 1) ones++;
    else if (v === 2) twos++;
  }
  if (ones === 0 || twos === 0) return;
  if (ones === twos)
    throw new ShareInvalidError(
      shares.map((_, i) => i),
      'the shares belong to different share formats (v1 and v2) and none is the majority',
    );
  const want = ones > twos ? 1 : 2;
  const minority: number[] = [];
  shares.forEach((s, i) => {
    const v = versionOf(s);
    if (v !== 0 && v !== want) minority.push(i);
  });
  throw new ShareInvalidError(minority, `format v${want === 1 ? 2 : 1} shares among v${want} shares`);
}

/** verifyShareSet without the count: the shares are sound and of one set, however few (refresh.ts). */
export function checkShareSet(shares: readonly Uint8Array[], options: CombineOptions = {}): { info: ShareInfo; raw: RawShare[] } {
  if (!Array.isArray(shares)) assert.record(shares, 'shares');
  assert.integer(shares.length, 'shares.length', { min: 1, max: MAX_SHARES });
  refuseMixedVersions(shares);
  const cache = new ListCache();
  const decoded = shares.map((s, i) => decode(s, i, cache));
  const want =
    options.setId !== undefined
      ? expectedSetId(options.setId)
      : majority(
          decoded.map((d) => d.info.setId),
          'share sets',
        );
  const foreign: number[] = [];
  for (let i = 0; i < decoded.length; i++) if ((decoded[i] as Decoded).info.setId !== want) foreign.push(i);
  if (foreign.length > 0) throw new ShareInvalidError(foreign, `not of share set ${want}`);
  const seen = seenAt.fill(-1);
  decoded.forEach((d, i) => {
    const first = seen[d.info.x] as number;
    if (first >= 0) throw new ShareInvalidError([i], `repeats x = ${d.info.x} of share #${first}`);
    seen[d.info.x] = i;
  });
  return { info: (decoded[0] as Decoded).info, raw: decoded.map((d) => d.raw) };
}

/** An expected set id (hex or 16 bytes) as lower-case hex. */
function expectedSetId(setId: string | Uint8Array): string {
  const want = typeof setId === 'string' ? setId.toLowerCase() : Buffer.from(setId).toString('hex');
  return assert.string(want, 'options.setId', { pattern: /[0-9a-f]{32}/ });
}

/**
 * The expected set id as 16 bytes for the fast path, without the full argument check (a malformed one
 * gives no 16 bytes or bytes no set matches; the slow path then checks it and says why).
 */
function wantBytes(setId: string | Uint8Array | undefined): Uint8Array | undefined {
  if (setId === undefined || setId instanceof Uint8Array) return setId;
  if (typeof setId !== 'string' || setId.length !== 2 * SET_ID_BYTES) return BAD_WANT;
  // The same set id again (a caller combining one set's shares passes its recorded id): parsed already.
  if (setId === wantHex) return wantScratch;
  wantHex = '';
  // Public hex, parsed by hand into a reused buffer (Buffer.from(hex) costs a tenth of a fast combine).
  for (let i = 0; i < SET_ID_BYTES; i++) {
    const hi = hexDigit(setId.charCodeAt(2 * i));
    const lo = hexDigit(setId.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) return BAD_WANT;
    wantScratch[i] = (hi << 4) | lo;
  }
  wantHex = setId;
  return wantScratch;
}
const wantScratch = new Uint8Array(SET_ID_BYTES);
/** The hex string wantScratch holds the bytes of ('' while it holds none). */
let wantHex = '';
const BAD_WANT = new Uint8Array(0);

/** The value of one hex digit's char code, or −1. */
function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 0x20;
  return l >= 97 && l <= 102 ? l - 87 : -1;
}

/**
 * The fast path's table by x (public), stamped per call instead of refilled: stamp[x] = 2g while x is in
 * the first share's list in call g, 2g + 1 once a share with that x was presented;
 * fastEntry[x] = offset of x's entry in the list (read only for x's stamped in this call).
 */
const fastStamp = new Float64Array(256);
/** Buffer's memcmp with offsets, called on plain Uint8Arrays (it accepts any; no Buffer view to make). */
const compareBytes = Buffer.prototype.compare;
/** Lists up to this many bytes (n ≤ 15) are compared by hand, longer ones by compareBytes. */
const SHORT_LIST = 15 * ENTRY_BYTES;
const fastEntry = new Int32Array(256);
let fastCall = 0;
/** The computed and the expected check value, compared with ct.equal (zeroed after each use). */
const checkScratch = new Uint8Array(CHECK_BYTES);
const expectScratch = new Uint8Array(CHECK_BYTES);

/**
 * The v2 fast path (see the header): s, or undefined whenever anything is not as the common case expects
 * — the slow path then finds and names what is wrong. Hashes twice for k shares (the set id, the check),
 * plus once per share beyond k. Works on the encodings as they are: the public region of every share
 * (bytes 0..7, 8..58 and the list) is compared byte for byte with the first's in one pass, so the first's
 * header fields hold for all and are not parsed again; both hash inputs are built in reused buffers
 * (s ‖ r interpolated straight into the check's input); nothing is allocated but s.
 */
function combineV2Fast(shares: readonly Uint8Array[], want: Uint8Array | undefined): Uint8Array | undefined {
  const first = shares[0] as Uint8Array;
  const { version, k, n, length, listAt } = parseHead(first, 0);
  const count = shares.length;
  if (version !== 2 || count < k) return undefined;
  const total = first.length;
  const listed = 2 * ++fastCall;
  // The list: no x = 0, no x twice (as indexList).
  for (let at = listAt; at < total; at += ENTRY_BYTES) {
    const x = first[at] as number;
    if (x === 0 || fastStamp[x] === listed) return undefined;
    fastStamp[x] = listed;
    fastEntry[x] = at - listAt;
  }
  const xs = new Array<number>(k);
  for (let i = 0; i < count; i++) {
    const s = shares[i] as Uint8Array;
    if (i > 0) {
      if (!(s instanceof Uint8Array) || s.length !== total) return undefined;
      // Public bytes: magic ‖ version ‖ k ‖ n, setId ‖ L ‖ check, and the list — by hand while the list
      // is short (Buffer's compare with offsets costs more than a loop over a few hundred bytes), by
      // memcmp beyond (a JS loop over 128 lists of 255 entries costs more than the whole combine).
      let diff = 0;
      for (let j = 0; j < 7; j++) diff |= (s[j] as number) ^ (first[j] as number);
      for (let j = 8; j < HEADER_BYTES; j++) diff |= (s[j] as number) ^ (first[j] as number);
      if (total - listAt <= SHORT_LIST) for (let j = listAt; j < total; j++) diff |= (s[j] as number) ^ (first[j] as number);
      else if (compareBytes.call(first, s, listAt, total, listAt, total) !== 0) return undefined;
      if (diff !== 0) return undefined;
    }
    // x listed and not yet presented.
    const x = s[7] as number;
    if (fastStamp[x] !== listed) return undefined;
    fastStamp[x] = listed + 1;
    if (i < k) xs[i] = x;
  }
  if (!setIdMatches(first, { k, n, length, listAt }, want)) return undefined;
  for (let i = k; i < count; i++) {
    const s = shares[i] as Uint8Array;
    const x = s[7] as number;
    if (!matchesOwnCommitment(s, { version, k, n, x, length, listAt }, fastEntry[x] as number)) return undefined;
  }
  return openChecked(xs, shares, first);
}

/**
 * Whether the set id in `first` is the hash of its header fields, check and list (and, if given, `want`):
 * the input built in setScratch by hand from the share's bytes (public).
 */
function setIdMatches(
  first: Uint8Array,
  head: { k: number; n: number; length: number; listAt: number },
  want: Uint8Array | undefined,
): boolean {
  const input = setScratchOf(SET_PREFIX_BYTES + CHECK_BYTES + head.n * ENTRY_BYTES);
  // writePrefix by hand (its object argument would be one more shape at its call sites).
  input.set(V2.setLabel, 0);
  let at = V2.setLabel.length;
  input[at++] = 2;
  input[at++] = head.k;
  input[at++] = head.n;
  input[at++] = head.length >>> 8;
  input[at++] = head.length & 0xff;
  for (let j = TAIL_AT; j < HEADER_BYTES; j++) input[at++] = first[j] as number;
  input.set(first.subarray(head.listAt), at);
  if (!sameAt(first, 8, digest(input), SET_ID_BYTES)) return false;
  if (want === undefined) return true;
  if (want.length !== SET_ID_BYTES) return false;
  let diff = 0;
  for (let j = 0; j < SET_ID_BYTES; j++) diff |= (first[8 + j] as number) ^ (want[j] as number);
  return diff === 0;
}

/**
 * Interpolates s ‖ r from the first xs.length of `shares` (checked: one set, distinct x's; y at byte 58
 * of each) straight into the check's hash input, and returns s if it hashes to the check value in
 * `first` (ct.equal); the input, the digest's bytes and every temporary zeroed, whatever happens.
 */
function openChecked(xs: readonly number[], shares: readonly Uint8Array[], first: Uint8Array): Uint8Array | undefined {
  const length = ((first[24] as number) << 8) | (first[25] as number);
  const at = CHECK_LABEL.length + 2;
  const input = scratchOf(at + length + MASK_BYTES);
  try {
    input.set(CHECK_LABEL, 0);
    input[at - 2] = length >>> 8;
    input[at - 1] = length & 0xff;
    interpolateInto(xs, shares, { from: HEADER_BYTES, length: length + MASK_BYTES }, { bytes: input, at });
    const d = digest(input);
    for (let i = 0; i < CHECK_BYTES; i++) {
      checkScratch[i] = d.charCodeAt(i);
      expectScratch[i] = first[TAIL_AT + i] as number;
    }
    return equal(checkScratch, expectScratch) ? input.slice(at, at + length) : undefined;
  } finally {
    input.fill(0);
    checkScratch.fill(0);
  }
}

/** The secret from at least k authenticated shares of one set; ShareInvalidError / ShareTooFewError otherwise. */
export function combineShares(shares: readonly Uint8Array[], options: CombineOptions = {}): Uint8Array {
  if (!Array.isArray(shares)) assert.record(shares, 'shares');
  assert.integer(shares.length, 'shares.length', { min: 1, max: MAX_SHARES });
  refuseMixedVersions(shares);
  const first = shares[0];
  if (first instanceof Uint8Array && first.length > 4 && first[4] === 2) {
    const fast = combineV2Fast(shares, wantBytes(options.setId));
    if (fast !== undefined) return fast;
  }
  // v1, or the v2 slow path: every share checked on its own (names the bad ones).
  const { info, raw } = verifyShareSet(shares, options);
  // Checked above: one set (so one length), distinct x's, at least k of them.
  const used = raw.slice(0, info.threshold);
  if (info.version === 1) return interpolateAtZero(used);
  const s = openChecked(
    used.map((r) => r.x),
    shares,
    shares[0] as Uint8Array,
  );
  if (s !== undefined) return s;
  throw new ShareInvalidError(
    shares.map((_, i) => i),
    'every share matches its commitment but they do not interpolate to the set check value: an inconsistent set (faulty dealer)',
  );
}
