/**
 * Authenticated shares: Shamir shares (shamir.ts) in a self-describing, hash-committed format, so that a
 * corrupted, truncated, duplicated or foreign share is a typed error naming it (ShareInvalidError) —
 * never a wrong secret — and fewer than k shares is ShareTooFewError.
 *
 * Format v1 (all integers big-endian):
 *
 *   "HRSS" | version=1 | k | n | x | setId[16] | L:u16 | nonce[32] | y[L] | n × (x_j | c_j[32])
 *
 *   c_j   = SHA3-256(lp("hrng/sharing/v1/share") ‖ 1 ‖ k ‖ n ‖ L ‖ x_j ‖ nonce_j ‖ y_j)
 *   setId = SHA3-256(lp("hrng/sharing/v1/set") ‖ 1 ‖ k ‖ n ‖ L ‖ (x_j ‖ c_j) for j = 1..n)[0..16]
 *
 * Every share carries the commitments of the whole set, so each share checks itself (its own c_j) and the
 * set (setId recomputed from the list), and shares of one set agree on setId. Why hashes and not Feldman
 * commitments: Feldman needs a group with a hard discrete logarithm whose exponents are the field, and
 * GF(256) has none. The 32-byte nonce makes each c_j hiding: without it, k − 1 holders could search a
 * short secret's other y values against the published commitments. What this does NOT protect against:
 * the dealer (whoever split or refreshed) is trusted to commit to a consistent polynomial; a holder of a
 * share cannot prove to another that the set is consistent without combining (that is what Feldman/Pedersen
 * VSS would add).
 *
 * Hashing: both hashes run on OpenSSL's SHA3-256 through node:crypto's one-shot `hash()` (the same function
 * as @noble/hashes' sha3_256, byte for byte — tests/unit/sharing/format-v1.test.ts pins v1 and compares
 * with noble — about 8× faster per call with its digest returned as a 'binary' string, which is fine
 * because digests here are public; hashing is most of a small authenticated combine's cost). The
 * commitments cover y, which is secret; that is acceptable here because:
 *  - Keccak-f[1600] is constant time by construction (XOR, AND, NOT and fixed rotations; OpenSSL's C and
 *    x86-64 code index nothing by data) and the absorb loop depends on the public length only;
 *  - no copy of y escapes our zeroing: `hash()` hands the view to OneShotDigest unchanged, whose
 *    ArrayBufferViewContents reads the bytes in place when the view has an ArrayBuffer (it copies to the
 *    C++ stack only views of ≤ 64 bytes still on the V8 heap) — so commitShare assembles its input in a
 *    view of an explicit ArrayBuffer, which it zeroes after every call; EVP_Digest's context is freed with
 *    EVP_MD_CTX_free, and the SHA-3 provider frees its Keccak state with OPENSSL_clear_free (zeroed);
 *  - what remains is what noble left too: registers and stack temporaries of the permutation, until
 *    overwritten (docs/secrets.md, "Copies we cannot see").
 * Cost (docs/performance.md): a split asks its RandomSource once for all n nonces and hashes each share
 * once and the commitment list once; a combine hashes each share once and the shared list once.
 */
import { hash } from 'node:crypto';
import { assert } from '../assert.js';
import { equal } from '../ct/equal.js';
import type { RandomSource } from '../drbg/random-source.js';
import { ShareInvalidError, ShareTooFewError } from './errors.js';
import { MAX_SECRET_BYTES, MAX_SHARES, checkXs, interpolateAtZero, splitRaw, type RawShare } from './shamir.js';

export const SHARE_FORMAT_VERSION = 1;
const MAGIC = new Uint8Array([0x48, 0x52, 0x53, 0x53]); // "HRSS"
const SET_ID_BYTES = 16;
const NONCE_BYTES = 32;
const COMMITMENT_BYTES = 32;
const HEADER_BYTES = 4 + 1 + 3 + SET_ID_BYTES + 2 + NONCE_BYTES; // 58

/** What a share says about itself (no secret bytes). */
export interface ShareInfo {
  readonly version: number;
  readonly threshold: number;
  readonly shares: number;
  readonly x: number;
  /** 16 bytes naming the share set; hex. */
  readonly setId: string;
  readonly secretLength: number;
}

export interface SplitOptions {
  /** k: shares needed to recover. */
  readonly threshold: number;
  /** n: shares made. */
  readonly shares: number;
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
const SHARE_LABEL = lp('hrng/sharing/v1/share');
const SET_LABEL = lp('hrng/sharing/v1/set');
const ENTRY_BYTES = 1 + COMMITMENT_BYTES;

/** label ‖ 1 ‖ k ‖ n ‖ L ‖ x: what precedes the nonce in a commitment's input. */
const SHARE_PREFIX_BYTES = SHARE_LABEL.length + 6;
/** label ‖ 1 ‖ k ‖ n ‖ L: what precedes the commitment list in the set id's input. */
const SET_PREFIX_BYTES = SET_LABEL.length + 5;

/**
 * Where commitment inputs are assembled: a view of an explicit ArrayBuffer, so that node:crypto reads the
 * bytes in place (see the header) and the only copy of y besides the caller's is here, zeroed after each
 * use. Grown when a longer secret comes; the smaller one it replaces is already all zero.
 */
let scratch = new Uint8Array(new ArrayBuffer(SHARE_PREFIX_BYTES + NONCE_BYTES + 64));

/** Writes lp(label) ‖ 1 ‖ k ‖ n ‖ L at the start of `input` (both hashes' common prefix); returns its end. */
function writePrefix(input: Uint8Array, label: Uint8Array, set: { k: number; n: number; length: number }): number {
  input.set(label, 0);
  let at = label.length;
  input[at++] = SHARE_FORMAT_VERSION;
  input[at++] = set.k;
  input[at++] = set.n;
  input[at++] = set.length >>> 8;
  input[at++] = set.length & 0xff;
  return at;
}

/** The scratch, holding lp(label) ‖ 1 ‖ k ‖ n ‖ L ‖ x and room for nonce ‖ y (L bytes of y). */
function commitInput(k: number, n: number, x: number, length: number): Uint8Array {
  const size = SHARE_PREFIX_BYTES + NONCE_BYTES + length;
  if (scratch.length < size) scratch = new Uint8Array(new ArrayBuffer(size));
  const input = scratch.subarray(0, size);
  input[writePrefix(input, SHARE_LABEL, { k, n, length })] = x;
  return input;
}

/**
 * SHA3-256 of `input` as a 'binary' (latin1) string, one character per digest byte: node:crypto returns
 * a string about twice as fast as a Buffer (no off-heap allocation). Only digests take this form, and
 * they are public — commitments and set ids are carried in every share — so no secret becomes a string.
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

/** The digest of a filled commitment input, which is zeroed whatever happens. */
function digestCommitment(input: Uint8Array): string {
  try {
    return digest(input);
  } finally {
    input.fill(0);
  }
}

/** c = SHA3-256(lp(label) ‖ 1 ‖ k ‖ n ‖ L ‖ x ‖ nonce ‖ y), on OpenSSL's one-shot SHA3-256 (see the header). */
export function commitShare(share: RawShare, nonce: Uint8Array, k: number, n: number): Uint8Array {
  const input = commitInput(k, n, share.x, share.y.length);
  input.set(nonce, SHARE_PREFIX_BYTES);
  input.set(share.y, SHARE_PREFIX_BYTES + NONCE_BYTES);
  return digestBytes(digestCommitment(input), COMMITMENT_BYTES);
}

/**
 * Where set id inputs are assembled (public bytes only), grown when a larger set comes: allocating a
 * fresh off-heap buffer per call costs as much as a hash of it. A caller uses the view before the next
 * setInput call (sealShares copies the list out into every share first).
 */
let setScratch = new Uint8Array(SET_PREFIX_BYTES + 16 * ENTRY_BYTES);

/** A set id input with its header written: lp(label) ‖ 1 ‖ k ‖ n ‖ L, then room for n entries. */
function setInput(k: number, n: number, length: number): Uint8Array {
  const size = SET_PREFIX_BYTES + n * ENTRY_BYTES;
  if (setScratch.length < size) setScratch = new Uint8Array(size);
  const input = setScratch.subarray(0, size);
  writePrefix(input, SET_LABEL, { k, n, length });
  return input;
}

/** The set id of a complete set id input (public bytes only: header fields and commitments). */
function setIdOfInput(input: Uint8Array): Uint8Array {
  return digestBytes(digest(input), SET_ID_BYTES);
}

/** The set id over an encoded commitment list (n × (x ‖ c), in set order). */
function setIdOfList(k: number, length: number, list: Uint8Array): Uint8Array {
  const input = setInput(k, list.length / ENTRY_BYTES, length);
  input.set(list, SET_PREFIX_BYTES);
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

/** The set id over the commitments, in the order given. */
export function shareSetId(commitments: readonly ShareCommitment[], k: number, length: number): Uint8Array {
  return setIdOfList(k, length, encodeList(commitments));
}

/** A fresh hiding nonce and the commitment to `share` for a set of n shares with threshold k. */
export function commitRawShare(
  share: RawShare,
  k: number,
  n: number,
  rng: RandomSource,
): { nonce: Uint8Array; commitment: ShareCommitment } {
  const nonce = assert.bytes(rng.randomBytes(NONCE_BYTES), 'rng.randomBytes()', { length: NONCE_BYTES });
  return { nonce, commitment: { x: share.x, commitment: commitShare(share, nonce, k, n) } };
}

/** Encodes one share of a set whose commitments (in set order, its own among them) are known. */
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
  return layout(share, nonce, { k, list, setId: setIdOfList(k, share.y.length, list) });
}

function checkSetShape(k: number, n: number, length: number): void {
  assert.integer(k, 'threshold', { min: 2, max: MAX_SHARES });
  assert.integer(n, 'commitments.length', { min: k, max: MAX_SHARES });
  assert.integer(length, 'share.y.length', { min: 1, max: MAX_SECRET_BYTES });
}

/** The set a share is encoded into: its threshold, its encoded commitment list and its set id. */
interface ShareSet {
  readonly k: number;
  readonly list: Uint8Array;
  readonly setId: Uint8Array;
}

/** The v1 layout of one share (its commitment already checked or just made by the caller). */
function layout(share: RawShare, nonce: Uint8Array, set: ShareSet): Uint8Array {
  const length = share.y.length;
  const out = new Uint8Array(HEADER_BYTES + length + set.list.length);
  out.set(MAGIC, 0);
  out[4] = SHARE_FORMAT_VERSION;
  out[5] = set.k;
  out[6] = set.list.length / ENTRY_BYTES;
  out[7] = share.x;
  out.set(set.setId, 8);
  out[24] = length >>> 8;
  out[25] = length & 0xff;
  out.set(nonce, 26);
  out.set(share.y, HEADER_BYTES);
  out.set(set.list, HEADER_BYTES + length);
  return out;
}

/**
 * Commits to and encodes a whole set of raw shares (one threshold, one length), with fresh nonces: one
 * request to `rng` for all n nonces, one commitment per share, the commitment list and set id once.
 */
export function sealShares(raw: readonly RawShare[], k: number, rng: RandomSource): Uint8Array[] {
  if (!Array.isArray(raw)) assert.record(raw, 'raw');
  const n = raw.length;
  const length = raw[0]?.y.length ?? 0;
  checkSetShape(k, n, length);
  raw.forEach((s, i) => assert.bytes(s.y, `raw[${i}].y`, { length }));
  checkXs(
    raw.map((s) => s.x),
    k,
    'raw[].x',
  );
  const nonces = assert.bytes(rng.randomBytes(n * NONCE_BYTES), 'rng.randomBytes()', { length: n * NONCE_BYTES });
  try {
    // The list is written once, into the set id's input, and copied into each share by layout().
    const input = setInput(k, n, length);
    const list = input.subarray(SET_PREFIX_BYTES);
    raw.forEach((s, j) => {
      list[j * ENTRY_BYTES] = s.x;
      list.set(commitShare(s, nonces.subarray(j * NONCE_BYTES, (j + 1) * NONCE_BYTES), k, n), j * ENTRY_BYTES + 1);
    });
    const set: ShareSet = { k, list, setId: setIdOfInput(input) };
    return raw.map((s, j) => layout(s, nonces.subarray(j * NONCE_BYTES, (j + 1) * NONCE_BYTES), set));
  } finally {
    nonces.fill(0);
  }
}

/**
 * Tables by x (public), reused rather than allocated per call (off-heap allocations dominate a small
 * combine): entryOffsets[x] = offset of x's entry in the cached list or −1, refilled whenever the cache
 * changes list; seenAt, refilled by each checkShareSet. Nothing reads them across calls.
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
  k = 0;
  length = 0;
  setId: Uint8Array = new Uint8Array(SET_ID_BYTES);
  /** setId in hex (a share's own set id must equal it, so it is its hex too). */
  hex = '';

  /** Whether bytes[at ..] is the cached list (of the same k and L, which the set id covers). */
  holds(bytes: Uint8Array, at: number, head: { k: number; length: number }): boolean {
    const list = this.list;
    if (list === undefined || this.k !== head.k || this.length !== head.length || list.length !== bytes.length - at) return false;
    return list.compare(bytes, at) === 0;
  }
}

/** Parses and self-checks share `bytes` (position `index` in the caller's list, for the error). */
function decode(bytes: unknown, index: number, cache: ListCache = new ListCache()): Decoded {
  const bad = (reason: string): never => {
    throw new ShareInvalidError([index], reason);
  };
  if (!(bytes instanceof Uint8Array)) return bad('not a Uint8Array');
  if (bytes.length < HEADER_BYTES + 1) return bad(`too short (${bytes.length} bytes)`);
  for (let i = 0; i < 4; i++) if (bytes[i] !== MAGIC[i]) return bad('not a hardened-rng share (magic)');
  const version = bytes[4] as number;
  if (version !== SHARE_FORMAT_VERSION) return bad(`unsupported format version ${version}`);
  const k = bytes[5] as number;
  const n = bytes[6] as number;
  const x = bytes[7] as number;
  if (k < 2 || n < k || x === 0) return bad(`impossible header (k = ${k}, n = ${n}, x = ${x})`);
  const length = ((bytes[24] as number) << 8) | (bytes[25] as number);
  if (length < 1) return bad('empty secret');
  const expected = HEADER_BYTES + length + n * ENTRY_BYTES;
  if (bytes.length !== expected) return bad(`length ${bytes.length}, expected ${expected} for k = ${k}, n = ${n}, L = ${length}`);
  // The commitment list and the header are public: comparing them with the cached list is not a leak.
  const listAt = HEADER_BYTES + length;
  if (!cache.holds(bytes, listAt, { k, length })) {
    entryOffsets.fill(-1);
    for (let at = listAt; at < bytes.length; at += ENTRY_BYTES) {
      const cx = bytes[at] as number;
      if (cx === 0 || entryOffsets[cx] !== -1) return bad('the commitment list repeats an x or holds x = 0');
      entryOffsets[cx] = at - listAt;
    }
    const setId = setIdOfList(k, length, bytes.subarray(listAt));
    Object.assign(cache, {
      list: Buffer.from(bytes.buffer, bytes.byteOffset + listAt, bytes.length - listAt),
      k,
      length,
      setId,
      hex: Buffer.from(setId).toString('hex'),
    });
  }
  const own = entryOffsets[x] as number;
  if (own < 0) return bad(`its x = ${x} is not in its own set's commitment list`);
  // nonce ‖ y lie side by side in the share (bytes 26 .. 58 + L): one copy into the input.
  const input = commitInput(k, n, x, length);
  input.set(bytes.subarray(26, listAt), SHARE_PREFIX_BYTES);
  if (!sameAt(bytes, listAt + own + 1, digestCommitment(input), COMMITMENT_BYTES))
    return bad(`x = ${x}: its value does not match its commitment (corrupted)`);
  let diff = 0;
  for (let i = 0; i < SET_ID_BYTES; i++) diff |= (bytes[8 + i] as number) ^ (cache.setId[i] as number);
  if (diff !== 0) return bad(`x = ${x}: its set id does not match its commitment list`);
  const info: ShareInfo = { version, threshold: k, shares: n, x, setId: cache.hex, secretLength: length };
  return { info, raw: { x, y: bytes.subarray(HEADER_BYTES, listAt) } };
}

/** A share's public description, after checking it against its own commitment (ShareInvalidError if not). */
export function inspectShare(share: Uint8Array): ShareInfo {
  return decode(share, 0).info;
}

/** n authenticated shares of `secret`, any k of which recover it (x's and coefficients from `rng`). */
export function splitSecret(secret: Uint8Array, options: SplitOptions, rng: RandomSource): Uint8Array[] {
  assert.record(options, 'options');
  const raw = splitRaw(secret, options.threshold, options.shares, rng);
  try {
    return sealShares(raw, options.threshold, rng);
  } finally {
    for (const r of raw) r.y.fill(0);
  }
}

/**
 * Checks a list of shares as one set: each against its commitment, all of one set (the given one, or the
 * one they agree on), no x twice, at least k. Returns the decoded shares (views into the caller's bytes).
 */
export function verifyShareSet(shares: readonly Uint8Array[], options: CombineOptions = {}): { info: ShareInfo; raw: RawShare[] } {
  const checked = checkShareSet(shares, options);
  if (checked.raw.length < checked.info.threshold) throw new ShareTooFewError(checked.raw.length, checked.info.threshold);
  return checked;
}

/** The set id most shares claim; a tie leaves no basis for blaming one side, so every share is named. */
function majoritySet(decoded: readonly Decoded[]): string {
  const first = (decoded[0] as Decoded).info.setId;
  if (decoded.every((d) => d.info.setId === first)) return first;
  const counts = new Map<string, number>();
  for (const d of decoded) counts.set(d.info.setId, (counts.get(d.info.setId) ?? 0) + 1);
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  const top = ranked[0] as [string, number];
  if ((ranked[1] as [string, number])[1] === top[1]) {
    throw new ShareInvalidError(
      decoded.map((_, i) => i),
      'the shares belong to different share sets and none is the majority',
    );
  }
  return top[0];
}

/** verifyShareSet without the count: the shares are sound and of one set, however few (refresh.ts). */
export function checkShareSet(shares: readonly Uint8Array[], options: CombineOptions = {}): { info: ShareInfo; raw: RawShare[] } {
  if (!Array.isArray(shares)) assert.record(shares, 'shares');
  assert.integer(shares.length, 'shares.length', { min: 1, max: MAX_SHARES });
  const cache = new ListCache();
  const decoded = shares.map((s, i) => decode(s, i, cache));
  let want: string;
  if (options.setId !== undefined) {
    want = typeof options.setId === 'string' ? options.setId.toLowerCase() : Buffer.from(options.setId).toString('hex');
    assert.string(want, 'options.setId', { pattern: /[0-9a-f]{32}/ });
  } else {
    want = majoritySet(decoded);
  }
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

/** The secret from at least k authenticated shares of one set; ShareInvalidError / ShareTooFewError otherwise. */
export function combineShares(shares: readonly Uint8Array[], options: CombineOptions = {}): Uint8Array {
  const { info, raw } = verifyShareSet(shares, options);
  // Checked above: one set (so one length), distinct x's, at least k of them.
  return interpolateAtZero(raw.slice(0, info.threshold));
}
