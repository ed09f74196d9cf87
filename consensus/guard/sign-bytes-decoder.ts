/**
 * How the guard learns what it is asked to sign: a decoder per sign-bytes format reads the chain id and
 * the height/round/step out of the bytes themselves (tmkms's and Web3Signer's rule — the position is
 * never taken from the caller, who could otherwise file a conflicting vote under another position).
 * A decoder returns `undefined` for bytes it does not accept; the guard refuses bytes no decoder accepts.
 *
 * This module holds the interface and the decoder of the project's own format (hrng-sign-bytes.ts);
 * CometBFT's canonical vote/proposal encoding has its decoder in cometbft-sign-bytes.ts.
 */
import { decodeHrngSignBytes, HRNG_SIGN_BYTES_FORMAT } from './hrng-sign-bytes.js';
import type { Hrs } from './hrs.js';

/** What a decoder reads out of sign bytes. */
export interface DecodedSignBytes {
  readonly chainId: string;
  readonly hrs: Hrs;
  /**
   * The format's encoding of the time the bytes carry, for formats whose signer may be asked again for
   * the same vote with only a later time (CometBFT: a node re-requests its own vote after a restart).
   * Absent for formats without one (hrng-sign/v1).
   */
  readonly timestamp?: Uint8Array;
}

export interface SignBytesDecoder {
  /** A name for logs and errors, e.g. 'hrng-sign/v1'. */
  readonly format: string;
  /** The chain id and position stated by `bytes`, or `undefined` when `bytes` is not in this format. */
  decode(bytes: Uint8Array): DecodedSignBytes | undefined;
  /**
   * `bytes` with `timestamp` (an encoding `decode` returned) in place of their own, or undefined when
   * either is not in this format. Only formats with a timestamp have it.
   */
  restamp?(bytes: Uint8Array, timestamp: Uint8Array): Uint8Array | undefined;
}

/** The decoder of `hrng-sign/v1` (consensus/guard/hrng-sign-bytes.ts). */
export const hrngSignBytesDecoder: SignBytesDecoder = Object.freeze({
  format: HRNG_SIGN_BYTES_FORMAT,
  decode(bytes: Uint8Array): DecodedSignBytes | undefined {
    const m = decodeHrngSignBytes(bytes);
    return m === undefined ? undefined : { chainId: m.chainId, hrs: m.hrs };
  },
});

/** The first decoder's reading of `bytes`, that decoder and its format, or undefined when none accepts them. */
export function decodeWithAny(
  decoders: readonly SignBytesDecoder[],
  bytes: Uint8Array,
): (DecodedSignBytes & { readonly format: string; readonly decoder: SignBytesDecoder }) | undefined {
  for (const d of decoders) {
    const r = d.decode(bytes);
    if (r !== undefined) {
      return {
        chainId: r.chainId,
        hrs: r.hrs,
        ...(r.timestamp !== undefined ? { timestamp: r.timestamp } : {}),
        format: d.format,
        decoder: d,
      };
    }
  }
  return undefined;
}
