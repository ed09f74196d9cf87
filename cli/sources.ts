/**
 * Which entropy sources a command uses, from its repeatable `--source ID` option:
 *
 * - none given: every built-in source (`defaultSources()`);
 * - built-in ids (os, rdseed, rdrand, jitter, auxiliary): exactly those built-ins;
 * - other ids (opened per command from `OPENABLE_SOURCES`, closed afterwards) are added to the built-ins
 *   chosen above — all of them when no built-in id was named.
 */
import { defaultSources, type EntropySource } from '../crypto/entropy/index.js';
import { CliUsageError } from './errors.js';
import type { CliIo } from './io.js';
import { pkcs11SourceFromEnv } from './pkcs11-options.js';

export interface OpenedSource {
  readonly source: EntropySource;
  close(): Promise<void>;
}

/**
 * Sources that need opening (a session, a device) and are not built in, by the id `--source` takes.
 * The HSM/TPM token RNG registers here as `pkcs11`.
 */
export const OPENABLE_SOURCES: Readonly<Record<string, (io: CliIo) => Promise<OpenedSource>>> = {
  pkcs11: (io) => pkcs11SourceFromEnv(io.env),
};

/** The opener for `id`: own properties only, so 'toString' or '__proto__' are unknown ids, not openers. */
function openable(id: string): ((io: CliIo) => Promise<OpenedSource>) | undefined {
  return Object.hasOwn(OPENABLE_SOURCES, id) ? OPENABLE_SOURCES[id] : undefined;
}

export interface SelectedSources {
  readonly sources: EntropySource[];
  close(): Promise<void>;
}

export async function selectSources(ids: readonly string[] | undefined, io: CliIo): Promise<SelectedSources> {
  const builtins = defaultSources();
  const known = builtins.map((s) => s.id);
  const wanted = [...new Set(ids ?? [])];
  for (const id of wanted) {
    if (!known.includes(id) && openable(id) === undefined) {
      throw new CliUsageError(`unknown source '${id}' (known: ${[...known, ...Object.keys(OPENABLE_SOURCES)].join(', ')})`);
    }
  }
  const namedBuiltins = wanted.filter((id) => known.includes(id));
  const sources = namedBuiltins.length === 0 ? builtins : builtins.filter((s) => namedBuiltins.includes(s.id));
  const opened: OpenedSource[] = [];
  const close = async (): Promise<void> => {
    for (const o of opened.splice(0)) await o.close();
  };
  try {
    for (const id of wanted) {
      const open = openable(id);
      if (open) opened.push(await open(io));
    }
  } catch (err) {
    await close();
    throw err;
  }
  return { sources: [...sources, ...opened.map((o) => o.source)], close };
}

/** The one built-in or openable source named `id` (for `hrng probe`). */
export async function selectOneSource(id: string, io: CliIo): Promise<SelectedSources> {
  const builtin = defaultSources().find((s) => s.id === id);
  if (builtin) return { sources: [builtin], close: async () => {} };
  const open = openable(id);
  if (!open)
    throw new CliUsageError(
      `unknown source '${id}' (known: ${[...defaultSources().map((s) => s.id), ...Object.keys(OPENABLE_SOURCES)].join(', ')})`,
    );
  const o = await open(io);
  return { sources: [o.source], close: () => o.close() };
}
