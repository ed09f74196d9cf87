/**
 * Where a token PIN comes from: a file (preferred) or an environment variable — never a command-line
 * argument (visible to every user through /proc/<pid>/cmdline and shell history), never a log line.
 *
 * A file is preferred because the environment leaks: every child process inherits it, /proc/<pid>/environ
 * shows it to the same user and root for the process's whole life, and crash reporters and `ps e` print
 * it. A file with mode 0600 is read when needed (login, re-login after a session reset) and not kept.
 *
 * A PIN from the environment is taken once: copied into memory this package owns (a zeroizing Secret,
 * off the JS heap) and removed from process.env (and from the environment object passed in), so child
 * processes started afterwards get no PIN and a later dump of the environment shows none. Later logins
 * in the process use the owned copy. What cannot be helped: pkcs11js's C_Login takes a JS string, so each
 * login makes a short-lived string copy on the heap, and the environment block the kernel set up at exec
 * (/proc/<pid>/environ) keeps the original bytes — deleting from process.env does not overwrite it.
 *
 * PKCS#11 v3.0 §5.6 (C_Login) takes the PIN as a byte string; UTF-8 is what every token here expects.
 */
import { readFileSync } from 'node:fs';
import { fileAccess } from '../crypto/fs/index.js';
import { Secret } from '../crypto/index.js';
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

/** PINs taken from the environment, by variable name: the process's only copies. */
const takenEnvPins = new Map<string, Secret>();

/** Whether the PIN in variable `name` was already taken into owned memory (and removed from the environment). */
export function envPinTaken(name: string): boolean {
  return takenEnvPins.has(name);
}

/**
 * The PIN in environment variable `name`, taken once: copied into an owned Secret and deleted from
 * `env` and from process.env. Later calls return the same Secret. An empty PIN is refused (and still
 * removed). The variable's name, never its value, appears in errors.
 */
export function takeEnvPin(name: string, env: Readonly<Record<string, string | undefined>> = process.env): Secret {
  const taken = takenEnvPins.get(name);
  if (taken !== undefined) return taken;
  const value = env[name];
  if (value === undefined) throw new HsmError('HSM_PIN_SOURCE', `the PIN's environment variable ${name} is not set`);
  // Deleting from the object passed in is the point: it is the environment (process.env in production).
  delete (env as Record<string, string | undefined>)[name];
  delete process.env[name];
  if (value === '') throw new HsmError('HSM_PIN_SOURCE', `the PIN's environment variable ${name} is empty`);
  const secret = Secret.from(new TextEncoder().encode(value));
  takenEnvPins.set(name, secret);
  return secret;
}

/** The PIN as C_Login needs it (a string: pkcs11js's interface), from its source. */
export function readPin(source: PinSource, env: Readonly<Record<string, string | undefined>> = process.env): string {
  let pin: string;
  if ('env' in source) {
    pin = takeEnvPin(source.env, env).use((bytes) => new TextDecoder().decode(bytes));
  } else {
    try {
      pin = stripLineEnding(readFileSync(source.file, 'utf8'));
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      throw new HsmError(
        'HSM_PIN_SOURCE',
        `cannot read the PIN ${describePinSource(source)}: ${typeof code === 'string' ? code : 'read failed'}`,
      );
    }
  }
  if (pin === '') throw new HsmError('HSM_PIN_SOURCE', `the PIN's ${describePinSource(source)} is empty`);
  return pin;
}

/** True when a PIN file can be read by group or others: worth a warning, as for an SSH key. */
export function pinFileIsExposed(path: string): boolean {
  return fileAccess(path)?.exposed === true;
}
