/**
 * Reading and planting a file guard's state the way a test needs it (consensus/guard/file-guard-store.ts,
 * slot-file.ts): the JSON payload of a key's current slot, and a state written into the next slot while
 * ignoring the key's lock — an outside writer, or a state file as an operator might restore it.
 */
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { currentSlot, readSlotFileSync, writeNextSlot } from '../../consensus/guard/slot-file.js';

/** DIR/<keyId>.state */
export const stateFile = (dir: string, keyId: string): string => join(dir, `${keyId}.state`);

/** The current slot's payload of DIR/<keyId>.state, parsed (the JSON encodeState writes). */
export function guardStateJson(dir: string, keyId: string): { version: number; keyId: string; lastSigned: Record<string, unknown> } {
  const path = stateFile(dir, keyId);
  return JSON.parse(new TextDecoder().decode(currentSlot(readFileSync(path), path).payload));
}

/** Writes `json` as the next state of DIR/<keyId>.state (sequence + 1, the other slot, synced), lock or not. */
export async function plantGuardStateJson(dir: string, keyId: string, json: unknown): Promise<void> {
  const path = stateFile(dir, keyId);
  const fd = openSync(path, 'r+');
  try {
    await writeNextSlot(fd, readSlotFileSync(fd, path), new TextEncoder().encode(`${JSON.stringify(json)}\n`));
  } finally {
    closeSync(fd);
  }
}
