/**
 * Finding objects (PKCS#11 v3.0 §5.7: C_FindObjectsInit / C_FindObjects / C_FindObjectsFinal) and the
 * ways callers name a key: by CKA_LABEL or by CKA_ID in hex.
 */
import { asBuffer } from './bytes.js';
import { CKA_ID, CKA_LABEL } from './constants.js';
import { HsmError } from './errors.js';
import type { Pkcs11Handle, Pkcs11Lib, Pkcs11Template } from './library.js';
import { objectIdFromHex } from './object-id.js';
import type { Pkcs11Hsm } from './pkcs11-hsm.js';

/** All objects matching `template`. The search is always finalized, even when C_FindObjects fails. */
export function findObjects(lib: Pkcs11Lib, session: Pkcs11Handle, template: Pkcs11Template): Pkcs11Handle[] {
  lib.C_FindObjectsInit(session, template);
  const found: Pkcs11Handle[] = [];
  try {
    for (;;) {
      const batch = lib.C_FindObjects(session, 64);
      if (batch.length === 0) break;
      found.push(...batch);
    }
  } finally {
    lib.C_FindObjectsFinal(session);
  }
  return found;
}

/** Whether any object on the token (ours or not) carries this label. */
export function labelInUse(hsm: Pkcs11Hsm, label: string): boolean {
  return hsm.run('C_FindObjects', ({ lib, session }) => findObjects(lib, session, [{ type: CKA_LABEL, value: label }]).length > 0);
}

/** Refuses a label any object on the token already has (HSM_KEY_EXISTS): labels we create stay unique. */
export function ensureLabelFree(hsm: Pkcs11Hsm, label: string): void {
  if (labelInUse(hsm, label)) {
    throw new HsmError('HSM_KEY_EXISTS', `token '${hsm.tokenLabel}' already has an object labelled '${label}'`);
  }
}

/** How callers name a key: its CKA_LABEL, or its CKA_ID in hex. */
export type KeySelector = { readonly label: string } | { readonly id: string };

export function selectorTemplate(selector: KeySelector): Pkcs11Template {
  return 'label' in selector
    ? [{ type: CKA_LABEL, value: selector.label }]
    : [{ type: CKA_ID, value: asBuffer(objectIdFromHex(selector.id)) }];
}

export function describeSelector(selector: KeySelector): string {
  return 'label' in selector ? `label '${selector.label}'` : `id ${selector.id}`;
}

export interface FindExactlyOneOptions {
  readonly template: Pkcs11Template;
  /** For the message. */
  readonly tokenLabel: string;
  /** Names the object for the message ("private key with label 'x'"). */
  readonly what: string;
}

/**
 * The one object matching the template: HSM_KEY_NOT_FOUND when there is none, HSM_KEY_AMBIGUOUS when
 * there are several (never a guess between them).
 */
export function findExactlyOne(lib: Pkcs11Lib, session: Pkcs11Handle, o: FindExactlyOneOptions): Pkcs11Handle {
  const found = findObjects(lib, session, o.template);
  const [only, extra] = found;
  if (only === undefined) throw new HsmError('HSM_KEY_NOT_FOUND', `token '${o.tokenLabel}' has no ${o.what}`);
  if (extra !== undefined)
    throw new HsmError('HSM_KEY_AMBIGUOUS', `token '${o.tokenLabel}' has ${found.length} matches for ${o.what}; need exactly one`);
  return only;
}
