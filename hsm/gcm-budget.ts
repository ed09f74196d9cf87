/**
 * How many AES-GCM encryptions a token key has performed, counted persistently on the token, so that one
 * key never exceeds 2^32 invocations with random IVs (NIST SP 800-38D §8.3: with 96-bit random IVs the
 * total number of invocations of the authenticated encryption function shall not exceed 2^32 for a key).
 *
 * What this can and cannot promise:
 * - IVs are 96 random bits from the token's generator, never taken from a caller. Uniqueness is
 *   probabilistic: within the 2^32 bound the chance that any two IVs under a key repeat is below 2^-33.
 * - The count lives on the token, next to the key: a data object (CKO_DATA, private, CKA_APPLICATION
 *   "hardened-rng", CKA_LABEL "hrng-gcm-invocations <key id>") whose CKA_VALUE is the number of
 *   invocations *reserved* so far, as 8 bytes big-endian. A process reserves a block of BLOCK invocations
 *   before using them (writing the new total first), so a crash loses unused reservations — counted as
 *   used, the safe direction — and never lets a count go backwards. SoftHSM refuses to change a data
 *   object's CKA_VALUE, so a reservation creates the object with the new total and then destroys the old;
 *   a crash in between leaves two, and the larger wins.
 * - Processes that reserve for the same key at the same moment can both read the same total (the token
 *   offers no compare-and-swap): each such race undercounts by one BLOCK. The bound then holds up to
 *   2^32 + races · BLOCK invocations; the collision probability stays negligible (< 2^-32), but the
 *   count is exact only while one process at a time encrypts under a key. docs/hsm.md says so.
 * - Someone with the PIN can delete or rewrite the counter object. The PIN already lets them use the
 *   key; the counter defends against accidents, not against the key's owner.
 */
import { CKA_APPLICATION, CKA_CLASS, CKA_LABEL, CKA_PRIVATE, CKA_TOKEN, CKA_VALUE, CKO_DATA } from './constants.js';
import { readAttributes } from './attributes.js';
import { HsmError } from './errors.js';
import { findObjects } from './find.js';
import type { Pkcs11Template } from './library.js';
import type { Pkcs11Hsm } from './pkcs11-hsm.js';

/** SP 800-38D §8.3's limit for random 96-bit IVs. */
export const GCM_INVOCATION_LIMIT = 2 ** 32;
/** Invocations reserved per write to the token. */
export const GCM_RESERVATION_BLOCK = 2 ** 16;
export const GCM_COUNTER_APPLICATION = 'hardened-rng';

export function gcmCounterLabel(objectIdHex: string): string {
  return `hrng-gcm-invocations ${objectIdHex}`;
}

/** The 8-byte big-endian encoding of a count (counts stay below 2^53). */
export function encodeCount(n: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(n));
  return out;
}

export function decodeCount(bytes: Uint8Array): number {
  if (bytes.length !== 8) throw new HsmError('HSM_OPERATION_FAILED', `GCM invocation counter is ${bytes.length} bytes, expected 8`);
  const n = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0);
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw new HsmError('HSM_OPERATION_FAILED', 'GCM invocation counter out of range');
  return Number(n);
}

/** Where reservations are kept: the token (`tokenCounterStore`), or memory in unit tests. */
export interface CounterStore {
  /** The total reserved so far (0 when never used). */
  read(): number;
  /** Records a new, larger total; must be durable before it returns. */
  write(total: number): void;
}

/**
 * The next invocation number for a key, reserving blocks from `store` as needed; throws HSM_IV_LIMIT
 * once GCM_INVOCATION_LIMIT invocations have been reserved, and from then on for every call.
 */
export class GcmBudget {
  #next = 0;
  #end = 0;
  readonly #store: CounterStore;
  readonly #what: string;

  constructor(store: CounterStore, what: string) {
    this.#store = store;
    this.#what = what;
  }

  /** Takes one invocation. */
  take(): number {
    if (this.#next >= this.#end) this.#reserve();
    return this.#next++;
  }

  #reserve(): void {
    const total = this.#store.read();
    if (total >= GCM_INVOCATION_LIMIT) {
      throw new HsmError('HSM_IV_LIMIT', `${this.#what} has reached 2^32 AES-GCM encryptions (SP 800-38D §8.3); generate a new key`);
    }
    const end = Math.min(total + GCM_RESERVATION_BLOCK, GCM_INVOCATION_LIMIT);
    this.#store.write(end);
    this.#next = total;
    this.#end = end;
  }
}

/** The counter of key `objectIdHex` as data objects on the token (see the module comment). */
export function tokenCounterStore(hsm: Pkcs11Hsm, objectIdHex: string): CounterStore {
  const label = gcmCounterLabel(objectIdHex);
  const template: Pkcs11Template = [
    { type: CKA_CLASS, value: CKO_DATA },
    { type: CKA_TOKEN, value: true },
    { type: CKA_LABEL, value: label },
    { type: CKA_APPLICATION, value: GCM_COUNTER_APPLICATION },
  ];
  const readAll = (): { handles: Buffer[]; total: number } =>
    hsm.run('C_FindObjects', ({ lib, session }) => {
      const handles = findObjects(lib, session, template);
      let total = 0;
      for (const h of handles)
        total = Math.max(total, decodeCount(readAttributes(lib, session, h, [CKA_VALUE]).get(CKA_VALUE) ?? new Uint8Array()));
      return { handles, total };
    });
  return {
    read: () => readAll().total,
    write(total: number): void {
      const { handles } = readAll();
      // New first, old after: a crash between the two leaves both, and read() takes the larger.
      hsm.run('C_CreateObject', ({ lib, session }) =>
        lib.C_CreateObject(session, [
          ...template,
          { type: CKA_PRIVATE, value: true },
          { type: CKA_VALUE, value: Buffer.from(encodeCount(total)) },
        ]),
      );
      for (const h of handles) hsm.run('C_DestroyObject', ({ lib, session }) => lib.C_DestroyObject(session, h));
    },
  };
}
