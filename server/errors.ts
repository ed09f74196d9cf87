/**
 * The error codes of the `server/` layer (the entropy server, its reports and the ceremony helper).
 * HTTP handlers never let these reach a client as more than a code and a one-line message; the message
 * names the parameter or limit, never token or secret bytes.
 */
import { HardenedRngError, type ErrorCodeTable } from '../crypto/errors.js';
import { assertionsFor } from '../crypto/assert.js';

export const SERVER_ERROR_CODES = {
  SERVER_INVALID_ARGUMENT: 'an argument has the wrong type, length or range; the message names it',
  SERVER_BAD_QUERY: 'an HTTP query parameter is missing, repeated or out of range; the message names it',
  SERVER_TOKEN_FILE: 'the API token file cannot be read or has a malformed line',
  SERVER_TLS_CONFIG: 'the HTTPS certificate or key cannot be read',
  SERVER_LISTEN_FAILED: 'the server could not listen on the requested host and port',
  SERVER_UNAUTHORIZED: 'HTTP 401: a byte endpoint was asked without a valid API token',
  SERVER_RATE_LIMITED: "HTTP 429: the token's (or the anonymous) request rate was exceeded",
  SERVER_METHOD: 'HTTP 405: a method other than GET (HEAD for /health)',
  SERVER_BODY: 'HTTP 413: a request with a body (none of the endpoints takes one)',
  SERVER_NOT_FOUND: 'HTTP 404: no such endpoint',
  SERVER_METRICS: 'HTTP 500: the metrics registry could not be rendered',
  CEREMONY_REUSED: 'a ceremony contribution whose hash is already in the commitment log (never handed out twice)',
  CEREMONY_LOG_MALFORMED: 'the ceremony commitment log has a line that is not a contribution record',
  DEVICE_NOT_FIFO: 'the device path exists and is not a named pipe',
} as const satisfies ErrorCodeTable;

export type ServerErrorCode = keyof typeof SERVER_ERROR_CODES;

/** An error of the `server/` layer. */
export class ServerError extends HardenedRngError {
  declare readonly code: ServerErrorCode;
  constructor(code: ServerErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
  }
}

export const check = assertionsFor((m) => new ServerError('SERVER_INVALID_ARGUMENT', m));
