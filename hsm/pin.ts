/**
 * Where a token PIN comes from: an environment variable or a file — never a command-line argument
 * (visible to every user through /proc/<pid>/cmdline and shell history), never a log line.
 *
 * PKCS#11 v3.0 §5.6 (C_Login) takes the PIN as a byte string; UTF-8 is what every token here expects.
 * The PIN is read when it is needed (login, re-login after a session reset) and not kept by this package.
 */
import { readFileSync } from 'node:fs';
import { fileAccess } from '../crypto/fs/index.js';
import { HsmError } from './errors.js';

export type PinSource = { readonly env: string } | { readonly file: string };

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Parses `env:NAME` or `file:PATH` (the form pkcs11-tool and p11-kit use), for configuration strings. */
export function parsePinSource(spec: string): PinSource {
  const colon = spec.indexOf(':');
  const kind = colon < 0 ? '' : spec.slice(0, colon);
  const rest = colon < 0 ? '' : spec.slice(colon + 1);
  if (kind === 'env') {
    if (!ENV_NAME.test(rest)) throw new HsmError('HSM_PIN_SOURCE', `PIN source 'env:' needs a variable name, e.g. env:HRNG_PKCS11_PIN`);
    return { env: rest };
  }
  if (kind === 'file') {
    if (rest === '') throw new HsmError('HSM_PIN_SOURCE', `PIN source 'file:' needs a path, e.g. file:/run/secrets/hsm-pin`);
    return { file: rest };
  }
  // Deliberately not echoing `spec`: a user who typed the PIN itself here must not see it in a log.
  throw new HsmError('HSM_PIN_SOURCE', `PIN source must be 'env:NAME' or 'file:PATH' (the PIN itself is never accepted here)`);
}

/** Describes a source for logs and errors: the variable name or the path, never the value. */
export function describePinSource(source: PinSource): string {
  return 'env' in source ? `environment variable ${source.env}` : `file ${source.file}`;
}

/**
 * Strips one trailing line ending: `echo PIN > file` and Kubernetes secrets written by editors add it,
 * and no token PIN ends in a newline.
 */
export function stripLineEnding(text: string): string {
  if (text.endsWith('\r\n')) return text.slice(0, -2);
  if (text.endsWith('\n')) return text.slice(0, -1);
  return text;
}

export function readPin(source: PinSource, env: Readonly<Record<string, string | undefined>> = process.env): string {
  let pin: string;
  if ('env' in source) {
    const value = env[source.env];
    if (value === undefined) throw new HsmError('HSM_PIN_SOURCE', `the PIN's ${describePinSource(source)} is not set`);
    pin = value;
  } else {
    try {
      pin = stripLineEnding(readFileSync(source.file, 'utf8'));
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      throw new HsmError('HSM_PIN_SOURCE', `cannot read the PIN ${describePinSource(source)}: ${typeof code === 'string' ? code : 'read failed'}`);
    }
  }
  if (pin === '') throw new HsmError('HSM_PIN_SOURCE', `the PIN's ${describePinSource(source)} is empty`);
  return pin;
}

/** True when a PIN file can be read by group or others: worth a warning, as for an SSH key. */
export function pinFileIsExposed(path: string): boolean {
  return fileAccess(path)?.exposed === true;
}
