/**
 * STROBE-128/1600 (strobe.sourceforge.io, v1.0.2), only the operations a Merlin transcript uses:
 * meta-AD, AD and PRF, in the one-byte-flags framing of the STROBE spec §6 (begin_op absorbs the old
 * begin position and the flags; C or K operations force a permutation first). The permutation is
 * Keccak-f[1600] from @noble/hashes; the rate is 166 bytes (STROBE-128: 200 − 2·128/8 − 2).
 *
 * Not supported: KEY, send/receive (T) operations, MAC, ratchet — Merlin's transcript needs none of them.
 */
import { keccakP } from '@noble/hashes/sha3.js';
import { SignerError } from './errors.js';

const R = 166;
const FLAG_I = 1;
const FLAG_A = 2;
const FLAG_C = 4;
const FLAG_M = 16;
const FLAG_K = 32;

export class Strobe128 {
  readonly #st = new Uint8Array(200);
  readonly #st32 = new Uint32Array(this.#st.buffer);
  #pos = 0;
  #posBegin = 0;
  #curFlags = 0;

  constructor(protocolLabel: Uint8Array) {
    // The STROBE initial block (cSHAKE-style): [1, R+2, 1, 0, 1, 12·8] then the 12 bytes "STROBEv1.0.2", permuted once.
    this.#st.set([1, R + 2, 1, 0, 1, 96], 0);
    this.#st.set(new TextEncoder().encode('STROBEv1.0.2'), 6);
    this.#permute();
    this.metaAd(protocolLabel, false);
  }

  #permute(): void {
    keccakP(this.#st32, 24);
  }

  #runF(): void {
    this.#st[this.#pos] = (this.#st[this.#pos] ?? 0) ^ this.#posBegin;
    this.#st[this.#pos + 1] = (this.#st[this.#pos + 1] ?? 0) ^ 0x04;
    this.#st[R + 1] = (this.#st[R + 1] ?? 0) ^ 0x80;
    this.#permute();
    this.#pos = 0;
    this.#posBegin = 0;
  }

  #absorb(data: Uint8Array): void {
    for (const b of data) {
      this.#st[this.#pos] = (this.#st[this.#pos] ?? 0) ^ b;
      if (++this.#pos === R) this.#runF();
    }
  }

  #squeeze(out: Uint8Array): void {
    for (let i = 0; i < out.length; i++) {
      out[i] = this.#st[this.#pos] ?? 0;
      this.#st[this.#pos] = 0;
      if (++this.#pos === R) this.#runF();
    }
  }

  #beginOp(flags: number, more: boolean): void {
    if (more) {
      // A continued operation must be the same operation (Merlin continues meta-AD with the length).
      if (this.#curFlags !== flags) throw new SignerError('SIGNER_INVALID_ARGUMENT', 'STROBE: a continued operation must keep its flags');
      return;
    }
    const oldBegin = this.#posBegin;
    this.#posBegin = this.#pos + 1;
    this.#curFlags = flags;
    this.#absorb(Uint8Array.of(oldBegin, flags));
    if ((flags & (FLAG_C | FLAG_K)) !== 0 && this.#pos !== 0) this.#runF();
  }

  metaAd(data: Uint8Array, more: boolean): void {
    this.#beginOp(FLAG_M | FLAG_A, more);
    this.#absorb(data);
  }

  ad(data: Uint8Array, more: boolean): void {
    this.#beginOp(FLAG_A, more);
    this.#absorb(data);
  }

  prf(length: number, more: boolean): Uint8Array {
    this.#beginOp(FLAG_I | FLAG_A | FLAG_C, more);
    const out = new Uint8Array(length);
    this.#squeeze(out);
    return out;
  }

  /** Zeroes the state (the transcript is done). */
  wipe(): void {
    this.#st.fill(0);
  }
}
