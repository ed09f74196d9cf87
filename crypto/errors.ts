/**
 * The root of every error hardened-rng throws.
 *
 * `code` is stable and machine-readable (callers switch on it, never on the message); the message names
 * the problem and the limit involved but never carries secret bytes — errors end up in logs.
 */
export class HardenedRngError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}
