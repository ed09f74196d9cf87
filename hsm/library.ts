/**
 * The process-wide registry of loaded PKCS#11 libraries (PKCS#11 v3.0 §5.4, C_Initialize / C_Finalize).
 *
 * A PKCS#11 library has one state per process: C_Finalize in one place ends every session everywhere,
 * and the login state is shared by all sessions of a slot (§5.6, "application" = process). So each library
 * path is loaded and initialized once, counted by its users, and finalized when the last one lets go;
 * logins are counted per slot so that one user's close does not log out another's sessions.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { realpathSync } from 'node:fs';
import * as graphene from 'graphene-pk11';
import { CKF_OS_LOCKING_OK } from './constants.js';
import { HsmError, hsmErrorFrom } from './errors.js';
import { printableTokenString } from './label.js';

/** pkcs11js's PKCS11 object, as graphene exposes it: the raw C_* functions. */
export type Pkcs11Lib = graphene.Module['lib'];
/** PKCS#11 handles (slots, sessions, objects) are opaque byte strings in pkcs11js. */
export type Pkcs11Handle = Buffer;
export type Pkcs11Template = Parameters<Pkcs11Lib['C_FindObjectsInit']>[1];
export type Pkcs11Mechanism = Parameters<Pkcs11Lib['C_SignInit']>[1];

export interface LoadedLibrary {
  /** The resolved path (symlinks followed), the registry's key. */
  readonly path: string;
  readonly lib: Pkcs11Lib;
  readonly description: string;
  readonly manufacturer: string;
}

interface Login {
  count: number;
  /** HMAC of the PIN that logged the slot in, under a per-process random key (see `addLogin`). */
  readonly pinTag: Buffer;
}

interface Entry extends LoadedLibrary {
  readonly module: graphene.Module;
  users: number;
  readonly logins: Map<string, Login>;
}

// Keys the PIN tags. Random per process: the tags are only ever compared with each other, here.
const pinTagKey = randomBytes(32);

function pinTag(pin: string): Buffer {
  return createHmac('sha256', pinTagKey).update(pin, 'utf8').digest();
}

const registry = new Map<string, Entry>();

function resolve(path: string): string {
  try {
    return realpathSync(path);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    throw new HsmError('HSM_LIBRARY_LOAD_FAILED', `PKCS#11 library ${path} not found (${typeof code === 'string' ? code : 'unreadable'})`);
  }
}

/** Loads and initializes the library at `path`, or shares the instance already loaded. */
export function acquireLibrary(path: string): LoadedLibrary {
  const key = resolve(path);
  const existing = registry.get(key);
  if (existing) {
    existing.users++;
    return existing;
  }
  let module: graphene.Module;
  try {
    module = graphene.Module.load(key);
  } catch (err) {
    throw new HsmError('HSM_LIBRARY_LOAD_FAILED', `cannot load PKCS#11 library ${key} (not a loadable PKCS#11 module?)`, {
      call: 'C_GetFunctionList',
      cause: err,
    });
  }
  let entry: Entry;
  try {
    // pkcs11js runs *Async calls on worker threads, so the library must do its own locking.
    module.initialize({ flags: CKF_OS_LOCKING_OK });
  } catch (err) {
    throw hsmErrorFrom(err, 'C_Initialize');
  }
  try {
    entry = {
      path: key,
      module,
      lib: module.lib,
      description: printableTokenString(module.libraryDescription),
      manufacturer: printableTokenString(module.manufacturerID),
      users: 1,
      logins: new Map(),
    };
  } catch (err) {
    // C_GetInfo failed after C_Initialize succeeded: finalize, or the library stays initialized unowned.
    try {
      module.finalize();
    } catch {
      // Nothing more to release.
    }
    throw hsmErrorFrom(err, 'C_GetInfo');
  }
  registry.set(key, entry);
  return entry;
}

/** Drops one use; the last one finalizes the library. Returns whether it was finalized. */
export function releaseLibrary(loaded: LoadedLibrary): boolean {
  const entry = registry.get(loaded.path);
  if (!entry || entry !== loaded) return false;
  entry.users--;
  if (entry.users > 0) return false;
  registry.delete(entry.path);
  try {
    entry.module.finalize();
  } catch {
    // Finalizing a library whose token vanished can fail; there is nothing left to release either way.
  }
  return true;
}

export type LoginCheck = 'first' | 'same-pin' | 'different-pin';

/**
 * Counts a login on a slot. 'first': the caller must C_Login (and `forgetLogin` if that fails).
 * Later users cannot have their PIN checked by the token — C_Login on a logged-in slot answers
 * CKR_USER_ALREADY_LOGGED_IN without looking at it — so their PIN is compared with the first one's
 * (as HMAC tags, in constant time); 'different-pin' is not counted and must be refused by the caller.
 */
export function addLogin(loaded: LoadedLibrary, slotKey: string, pin: string): LoginCheck {
  const entry = registry.get(loaded.path);
  if (!entry) throw new HsmError('HSM_CLOSED', `PKCS#11 library ${loaded.path} is not loaded`);
  const tag = pinTag(pin);
  const login = entry.logins.get(slotKey);
  if (login === undefined) {
    entry.logins.set(slotKey, { count: 1, pinTag: tag });
    return 'first';
  }
  if (!timingSafeEqual(login.pinTag, tag)) return 'different-pin';
  login.count++;
  return 'same-pin';
}

/** Undoes a 'first' addLogin whose C_Login failed. */
export function forgetLogin(loaded: LoadedLibrary, slotKey: string): void {
  registry.get(loaded.path)?.logins.delete(slotKey);
}

/** Drops a login on a slot; true when it was the last (the caller should C_Logout). */
export function dropLogin(loaded: LoadedLibrary, slotKey: string): boolean {
  const entry = registry.get(loaded.path);
  const login = entry?.logins.get(slotKey);
  if (!entry || !login) return false;
  login.count--;
  if (login.count > 0) return false;
  entry.logins.delete(slotKey);
  return true;
}

/** How many users share each loaded library: for tests and `hrng hsm info`. */
export function loadedLibraries(): ReadonlyMap<string, number> {
  return new Map([...registry].map(([k, v]) => [k, v.users]));
}
