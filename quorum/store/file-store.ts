/**
 * The aggregator's state in one JSON file, replaced atomically (crypto/fs writeFileAtomic: temp file,
 * fsync, rename, fsync of the directory), so a crash leaves the old state or the new one.
 */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../../crypto/fs/index.js';
import { QuorumError } from '../errors.js';
import { parseState, type AggregatorState, type StateStore } from '../state.js';

export class FileStateStore implements StateStore {
  readonly description: string;
  constructor(private readonly path: string) {
    this.description = `file ${path}`;
  }

  async load(): Promise<AggregatorState | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new QuorumError('QUORUM_STORE_FAILED', `cannot read ${this.path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`, {
        cause: err,
      });
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw new QuorumError('QUORUM_STATE_CORRUPT', `${this.path} is not JSON`, { cause: err });
    }
    return parseState(raw);
  }

  async save(state: AggregatorState): Promise<void> {
    await writeFileAtomic(this.path, new TextEncoder().encode(`${JSON.stringify(state, null, 1)}\n`));
  }

  async close(): Promise<void> {}
}
