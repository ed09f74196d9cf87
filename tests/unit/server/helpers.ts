/**
 * Test fixtures for the server: an Rng over scripted sources that a test can make stuck (to drive the
 * generator into `failed`), and an in-process server on 127.0.0.1:0 that the test stops.
 */
import { Rng } from '../../../crypto/index.js';
import { createEntropyServer, type EntropyServer, type EntropyServerOptions } from '../../../server/index.js';
import { ScriptedSource, UniformStream } from '../../adversarial/entropy/fakes.js';

export type Switchable = ScriptedSource & { stuck: boolean };

export function switchable(id: string): Switchable {
  const stream = new UniformStream(`server/${id}`);
  const s = new ScriptedSource((n) => (s.stuck ? new Uint8Array(n).fill(1) : stream.next(n)), {
    id,
    kind: 'conditioned',
    credit: 8,
  }) as Switchable;
  s.stuck = false;
  return s;
}

export interface Running {
  readonly rng: Rng;
  readonly sources: readonly Switchable[];
  readonly server: EntropyServer;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  stop(): Promise<void>;
}

export async function start(options: Partial<EntropyServerOptions> = {}): Promise<Running> {
  const sources = [switchable('a'), switchable('b')];
  const rng = await Rng.create({ sources, policy: { readmitAfterMs: 3_600_000 } });
  const server = await createEntropyServer({ rng, ...options });
  return {
    rng,
    sources,
    server,
    get: (path, headers = {}) => fetch(new URL(path, server.url), { headers }),
    stop: async () => {
      await server.close();
      rng.destroy();
    },
  };
}
