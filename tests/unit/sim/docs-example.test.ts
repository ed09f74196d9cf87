/** The complete example of docs/simulation.md, run as written (imports adjusted). */
import { expect, it } from 'vitest';
import {
  World,
  SimRandom,
  QUIET_LINK,
  Ledger,
  checkSafety,
  openSimGuard,
  generateSimKey,
  SimEntropySource,
  SimGenerator,
  encodeHrngSignBytes,
  type NodeContext,
  type SimNode,
} from '../../../consensus/index.js';

it('the docs example runs: three live nodes commit the one value', async () => {
  type Msg = { kind: 'value'; value: string } | { kind: 'ack'; value: string; from: number; sig: Uint8Array };

  const random = SimRandom.fromSeed(42);
  const ledger = new Ledger();
  const n = 4;
  const keys = Array.from({ length: n }, (_, i) =>
    generateSimKey('sim', SimGenerator.create([new SimEntropySource(`s${i}`, 'raw', random.fork(`k${i}`))], { label: `k${i}` })),
  );

  class Echo implements SimNode<Msg> {
    readonly #acks = new Map<string, Set<number>>();
    #done = false;
    constructor(
      readonly ctx: NodeContext<Msg>,
      readonly guard: Awaited<ReturnType<typeof openSimGuard>>,
    ) {}
    start(): void {
      if (this.ctx.identity === 0) this.ctx.broadcast({ kind: 'value', value: `v-${this.ctx.random.u32()}` });
      this.ctx.setTimer('give-up', 1000);
    }
    async onMessage(from: number, m: Msg): Promise<void> {
      if (m.kind === 'value') {
        const bytes = encodeHrngSignBytes({
          chainId: 'echo',
          hrs: { height: 1, round: 0, step: 1 },
          body: new TextEncoder().encode(m.value),
        });
        const out = await this.guard.sign(keys[this.ctx.identity]!.signer, bytes);
        if ('signature' in out) this.ctx.broadcast({ kind: 'ack', value: m.value, from: this.ctx.identity, sig: out.signature });
        return;
      }
      const acks = this.#acks.get(m.value) ?? new Set<number>();
      acks.add(m.from); // a real protocol verifies m.sig with keys[m.from].signer.verify(...)
      this.#acks.set(m.value, acks);
      if (!this.#done && acks.size >= 3) {
        this.#done = true;
        ledger.commit({ slot: this.ctx.slot, identity: this.ctx.identity, height: 1, block: m.value, timeMs: world.sim.now, txs: [] });
      }
    }
    onTimer(): void {}
  }

  const world: World<Msg> = new World<Msg>({
    slots: Array.from({ length: n }, (_, identity) => ({ identity })),
    validators: n,
    network: { link: QUIET_LINK, gstMs: 0, deltaMs: 20 },
    random,
    label: (m) => m.kind,
    factory: async (ctx, boot) =>
      new Echo(
        ctx,
        await openSimGuard({ disk: world.signerDisk(ctx.slot), now: () => world.sim.now, chainId: 'echo', init: !boot.restart }),
      ),
  });
  world.start();
  world.sim.at(3, () => world.crash(2)); // a fault of your own: any code on the agenda
  await world.sim.run(2000);
  expect(checkSafety(ledger.commits, () => true).violations).toEqual([]);
  expect(new Set(ledger.commits.map((c) => c.block)).size).toBe(1);
  expect(ledger.commits.length).toBe(3);
});
