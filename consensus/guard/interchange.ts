/**
 * Moving a validator's signing history between machines, in the spirit of EIP-3076's slashing-protection
 * interchange format: metadata with a format name and version, then one record per key with the last
 * height/round/step (decimal strings), the SHA-256 of the payload signed there and the signature.
 *
 * Import is all-or-nothing on validation (a malformed document changes nothing) and conservative on
 * merge: for each key the higher height/round/step wins; at an equal one with different payloads the
 * payload becomes unknown (null), so every request at that position is refused. History never goes down.
 *
 * `sign_timestamp` (optional, hex of the format's encoded time, as the state keeps it — guard-state.ts)
 * moves CometBFT FilePV's timestamp-only re-sign with the history: without it the importing guard re-signs
 * only identical bytes. It is safe to take from a document: the stored signature is handed back only when
 * the request rebuilt at that timestamp hashes to the recorded payload hash, so a wrong timestamp makes
 * the same request a conflict (refused), never a signature over other bytes. Documents without it import
 * as before; version 1 is unchanged otherwise.
 */
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { ct, type Clock } from '../../crypto/index.js';
import equal = ct.equal;
import { ConsensusError } from '../errors.js';
import { assertKeyId, sameState, type SignedState } from './guard-state.js';
import type { GuardStateStore } from './guard-state-store.js';
import { compareHrs } from './hrs.js';

const malformed = (why: string): ConsensusError => new ConsensusError('GUARD_INTERCHANGE_MALFORMED', `malformed guard interchange: ${why}`);

export const INTERCHANGE_FORMAT = 'hrng-signing-guard';
export const INTERCHANGE_VERSION = '1';

export interface GuardInterchangeRecord {
  key_id: string;
  last_signed: {
    height: string;
    round: string;
    step: string;
    payload_hash: string | null;
    signature: string | null;
    sign_timestamp?: string;
  };
}

export interface GuardInterchange {
  metadata: { interchange_format: typeof INTERCHANGE_FORMAT; interchange_format_version: typeof INTERCHANGE_VERSION; exported_at: string };
  data: GuardInterchangeRecord[];
}

export interface ImportReport {
  /** Keys whose history moved up (or became "payload unknown") from the import. */
  readonly raised: string[];
  /** Keys already at or above the imported history. */
  readonly unchanged: string[];
}

function toRecord(s: SignedState): GuardInterchangeRecord {
  return {
    key_id: s.keyId,
    last_signed: {
      height: String(s.height),
      round: String(s.round),
      step: String(s.step),
      payload_hash: s.payloadHash === null ? null : bytesToHex(s.payloadHash),
      signature: s.signature === null ? null : bytesToHex(s.signature),
      ...(s.timestamp !== undefined && s.payloadHash !== null ? { sign_timestamp: bytesToHex(s.timestamp) } : {}),
    },
  };
}

export async function exportInterchange(store: GuardStateStore, clock: Clock): Promise<GuardInterchange> {
  if (store.keyIds === undefined)
    throw new ConsensusError('CONSENSUS_INVALID_ARGUMENT', 'this guard store cannot list its keys, so it cannot export');
  const data: GuardInterchangeRecord[] = [];
  for (const keyId of await store.keyIds()) {
    const s = await store.read(keyId);
    if (s !== undefined) data.push(toRecord(s));
  }
  return {
    metadata: {
      interchange_format: INTERCHANGE_FORMAT,
      interchange_format_version: INTERCHANGE_VERSION,
      exported_at: new Date(clock.wallMs()).toISOString(),
    },
    data,
  };
}

function decimal(v: unknown, where: string): number {
  if (typeof v !== 'string' || !/^(?:0|[1-9][0-9]{0,15})$/.test(v) || !Number.isSafeInteger(Number(v))) {
    throw malformed(`${where} must be a decimal string of a safe integer`);
  }
  return Number(v);
}

function hexField(v: unknown, where: string, length?: number): Uint8Array | null {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'string' || !/^(?:0x)?(?:[0-9a-fA-F]{2})+$/.test(v)) throw malformed(`${where} must be hex or null`);
  const b = hexToBytes(v.replace(/^0x/, '').toLowerCase());
  if (length !== undefined && b.length !== length) throw malformed(`${where} must be ${length} bytes`);
  return b;
}

/**
 * Key ids are lowercase hex (keyIdOf). A document may spell one in upper case or with 0x, as it may the
 * hashes and signatures; taken literally, that history would land on a look-alike key no signer uses and
 * the real key would stay unprotected. So hex ids are put in the form the guard files them under.
 */
function canonicalKeyId(v: unknown): string {
  if (typeof v !== 'string') return v as string;
  return /^(?:0x)?[0-9a-fA-F]{32}$/.test(v) ? v.replace(/^0x/, '').toLowerCase() : v;
}

/** Validates a whole document; throws ConsensusError('GUARD_INTERCHANGE_MALFORMED') naming the first problem. */
export function parseInterchange(doc: unknown): SignedState[] {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw malformed('not an object');
  const d = doc as Record<string, unknown>;
  const meta = d.metadata as Record<string, unknown> | undefined;
  if (typeof meta !== 'object' || meta === null) throw malformed('metadata missing');
  if (meta.interchange_format !== INTERCHANGE_FORMAT) throw malformed(`interchange_format must be '${INTERCHANGE_FORMAT}'`);
  if (meta.interchange_format_version !== INTERCHANGE_VERSION) {
    throw malformed(`unsupported interchange_format_version ${JSON.stringify(meta.interchange_format_version) ?? 'undefined'}`);
  }
  if (!Array.isArray(d.data)) throw malformed('data must be an array');
  return d.data.map((rec: unknown, i: number): SignedState => {
    const where = `data[${i}]`;
    if (typeof rec !== 'object' || rec === null) throw malformed(`${where} is not an object`);
    const r = rec as Record<string, unknown>;
    let keyId: string;
    try {
      keyId = assertKeyId(canonicalKeyId(r.key_id));
    } catch {
      throw malformed(`${where}.key_id is not a key id`);
    }
    const l = r.last_signed as Record<string, unknown> | undefined;
    if (typeof l !== 'object' || l === null) throw malformed(`${where}.last_signed missing`);
    const payloadHash = hexField(l.payload_hash, `${where}.last_signed.payload_hash`, 32);
    const signature = hexField(l.signature, `${where}.last_signed.signature`);
    if (payloadHash === null && signature !== null) throw malformed(`${where}: a signature without payload_hash`);
    const timestamp = hexField(l.sign_timestamp, `${where}.last_signed.sign_timestamp`);
    if (timestamp !== null && (timestamp.length > 64 || payloadHash === null))
      throw malformed(`${where}.last_signed.sign_timestamp must be at most 64 bytes and only with a payload_hash`);
    return {
      keyId,
      height: decimal(l.height, `${where}.last_signed.height`),
      round: decimal(l.round, `${where}.last_signed.round`),
      step: decimal(l.step, `${where}.last_signed.step`),
      payloadHash,
      signature,
      ...(timestamp !== null ? { timestamp } : {}),
    };
  });
}

/** The conservative merge of two histories of one key. */
export function mergeState(existing: SignedState | undefined, incoming: SignedState): SignedState {
  if (existing === undefined) return incoming;
  const cmp = compareHrs(incoming, existing);
  if (cmp > 0) return incoming;
  if (cmp < 0) return existing;
  const same = existing.payloadHash !== null && incoming.payloadHash !== null && equal(existing.payloadHash, incoming.payloadHash);
  if (same) {
    const timestamp = existing.timestamp ?? incoming.timestamp;
    const signature = existing.signature ?? incoming.signature;
    return { ...existing, signature, ...(timestamp !== undefined ? { timestamp } : {}) };
  }
  // Payload unknown: nothing at this position may be signed, so no timestamp either (guard-state.ts).
  return { keyId: existing.keyId, height: existing.height, round: existing.round, step: existing.step, payloadHash: null, signature: null };
}

export async function importInterchange(store: GuardStateStore, doc: unknown): Promise<ImportReport> {
  return importStates(store, parseInterchange(doc));
}

/** Merges states into the store, each key under its lock and by compare-and-swap against what was read there. */
export async function importStates(store: GuardStateStore, records: readonly SignedState[]): Promise<ImportReport> {
  const byKey = new Map<string, SignedState>();
  for (const r of records) byKey.set(r.keyId, mergeState(byKey.get(r.keyId), r));
  const raised: string[] = [];
  const unchanged: string[] = [];
  for (const [keyId, incoming] of [...byKey].sort(([a], [b]) => (a < b ? -1 : 1))) {
    await store.withKey(keyId, async () => {
      const existing = await store.read(keyId);
      const merged = mergeState(existing, incoming);
      if (existing !== undefined && sameState(existing, merged)) {
        unchanged.push(keyId);
        return;
      }
      if (!(await store.compareAndSwap(keyId, existing, merged))) {
        throw new ConsensusError(
          'GUARD_STATE_CONFLICT',
          `guard state of key ${keyId} changed while it was being imported; nothing written for it`,
        );
      }
      raised.push(keyId);
    });
  }
  return { raised, unchanged };
}
