/**
 * The error codes of the `signer/` layer (the privval service: SecretConnection, privval messages,
 * CometBFT key files, the service itself); see crypto/errors.ts for the model.
 */
import { HardenedRngError, type ErrorCodeTable } from '../crypto/errors.js';

export const SIGNER_ERROR_CODES = {
  SIGNER_INVALID_ARGUMENT: 'an argument has the wrong type, length or range; the message names it',
  SIGNER_HANDSHAKE_FAILED: 'the SecretConnection handshake failed (malformed or missing ephemeral key or auth message)',
  SIGNER_LOW_ORDER_POINT: 'the peer sent a low-order X25519 point (the shared secret would be known to anyone)',
  SIGNER_AUTH_FAILED: "the peer's challenge signature does not verify, or its key is not the expected one",
  SIGNER_FRAME_INVALID: 'a SecretConnection frame failed authentication or states a length over 1024',
  SIGNER_CONNECTION_CLOSED: 'the connection closed before a whole message arrived',
  SIGNER_MESSAGE_MALFORMED: 'a privval message that is not well-formed protobuf of the expected type',
  SIGNER_MESSAGE_TOO_LARGE: 'a privval message over the size limit',
  SIGNER_KEY_FILE_MALFORMED: 'a CometBFT priv_validator_key.json that is not a well-formed Ed25519 key file',
  SIGNER_CONFIG_INVALID: 'the signer configuration is inconsistent (addresses, keys, rotation height)',
  SIGNER_CONNECTION_KEY_INVALID: 'the --connection-key file is not a regular 0600 file holding one base64 Ed25519 seed',
} as const satisfies ErrorCodeTable;

export type SignerErrorCode = keyof typeof SIGNER_ERROR_CODES;

/** An error of the `signer/` layer. */
export class SignerError extends HardenedRngError {
  declare readonly code: SignerErrorCode;
  constructor(code: SignerErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
  }
}
