/**
 * The node's side of `npm run bench -- signer` in a process of its own, as a validator node is: listens on
 * loopback, prints its port, accepts the signer's SecretConnection, sends SignVote requests one after
 * another (each at a new height; with PACE_MS, that long apart, as a node's votes are at least a network round
 * apart) and prints one JSON line with each round trip's span on the wall clock (epoch ms) and this process's
 * GC pauses (gc-pauses.ts). Spawned
 * by signer.bench.ts; not a `*.bench.ts` file, so tests/bench/main.ts does not run it as a benchmark.
 */
import { NodeListener } from '../integration/signer/node-side.js';
import { watchGc, type Span } from './gc-pauses.js';
import { benchVote } from './signer-vote.js';

const [chain, count, paceMs] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4] ?? 0)];
if (chain === undefined || !Number.isInteger(count) || count < 1 || !(paceMs >= 0))
  throw new Error('usage: signer-node-child.js CHAIN COUNT [PACE_MS]');

const node = await NodeListener.listen();
process.stdout.write(`${JSON.stringify({ port: node.port })}\n`);
const link = await node.next();
const spans: Span[] = [];
const gc = watchGc();
for (let h = 1; h <= count; h++) {
  if (paceMs > 0) await new Promise((r) => setTimeout(r, paceMs));
  const t0 = performance.timeOrigin + performance.now();
  const r = await link.request({ kind: 'signVoteRequest', vote: benchVote(h), chainId: chain, skipExtensionSigning: false });
  spans.push([t0, performance.timeOrigin + performance.now()]);
  if (r.kind !== 'signedVoteResponse' || r.error !== undefined) {
    process.stdout.write(`${JSON.stringify({ error: `vote ${h}: ${r.kind === 'signedVoteResponse' ? r.error?.description : r.kind}` })}\n`);
    process.exit(1);
  }
}
process.stdout.write(`${JSON.stringify({ spans, gc: await gc.stop() })}\n`);
link.close();
node.close();
