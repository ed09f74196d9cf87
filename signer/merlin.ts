/**
 * Merlin transcripts (merlin.cool; the implementation CometBFT links is oasisprotocol/curve25519-voi's
 * primitives/merlin): a STROBE-128 state under the protocol label "Merlin v1.0", messages framed as
 * meta-AD(label) meta-AD(LE32(len), more) AD(message), challenges as meta-AD(label) meta-AD(LE32(len),
 * more) PRF(len). SecretConnection takes its authentication challenge from one.
 *
 * Not supported: the transcript RNG (witness rekeying), which SecretConnection does not use.
 */
import { check } from './check.js';
import { Strobe128 } from './strobe128.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const le32 = (n: number): Uint8Array => Uint8Array.of(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff);

export class MerlinTranscript {
  readonly #strobe = new Strobe128(enc('Merlin v1.0'));

  constructor(label: string) {
    this.appendMessage('dom-sep', enc(label));
  }

  appendMessage(label: string, message: Uint8Array): void {
    check.bytes(message, 'message', { maxLength: 0xffffffff });
    this.#strobe.metaAd(enc(label), false);
    this.#strobe.metaAd(le32(message.length), true);
    this.#strobe.ad(message, false);
  }

  /** `length` bytes bound to everything appended so far (Go: ExtractBytes). */
  challengeBytes(label: string, length: number): Uint8Array {
    check.integer(length, 'length', { max: 0xffffffff });
    this.#strobe.metaAd(enc(label), false);
    this.#strobe.metaAd(le32(length), true);
    return this.#strobe.prf(length, false);
  }

  wipe(): void {
    this.#strobe.wipe();
  }
}
