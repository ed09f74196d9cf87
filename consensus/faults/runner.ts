/**
 * One run: a scenario and a seed in, a verdict out. Builds the validators (keys from their own
 * generators, the real guard over simulated disks), the world, the faults and the Byzantine
 * strategies; runs the safety phase (faults on) to the stabilisation time, then the liveness phase
 * until every honest node has made progress or the stated bound has passed (VOPR's two phases);
 * then runs every check. Deterministic: the same (scenario, seed, mutations, code) gives the same
 * trace hash.
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import type { Signer } from '../../crypto/index.js';
import { ConsensusError } from '../errors.js';
import { checkAccountability } from '../checks/accountability.js';
import { checkEntropy } from '../checks/entropy.js';
import { checkGuardDurable, checkGuardMonotonic, highestSigned } from '../checks/guard.js';
import { Ledger } from '../checks/ledger.js';
import { checkLiveness, livenessBoundMs, progressAfter } from '../checks/liveness.js';
import { checkSafety } from '../checks/safety.js';
import type { Violation } from '../checks/violation.js';
import { labelOf, NONCE_BYTES, type HotStuffMessage } from '../protocol/hotstuff-messages.js';
import { HotStuffNode, type HotStuffHooks, type ValidatorSigning } from '../protocol/hotstuff.js';
import { ValidatorSet } from '../protocol/validators.js';
import { SimEntropySource, SimGenerator } from '../sim/entropy.js';
import { openSimGuard, storedPosition, unguarded, type SimGuard } from '../sim/guard-adapter.js';
import { generateSimKey, type SimKey } from '../sim/keys.js';
import { SimRandom } from '../sim/random.js';
import { World, type SlotSpec } from '../sim/world.js';
import { hooksFor } from './byzantine.js';
import { forgeChain } from './long-range.js';
import { protocolFlags, type MutationName } from './mutations.js';
import type { Scenario } from './scenario.js';

export const CHAIN_ID = 'hrng-sim';

/**
 * Each validator leads two consecutive views in turn. With one view each, n = 4 and one faulty leader
 * there are never four honest views in a row, and a three-chain needs four (three blocks and the
 * leader who certifies the third): chained HotStuff would never commit. With two, among any f faulty
 * of 3f + 1 some two honest validators follow each other, which gives four honest views.
 */
export function leaderByRotation(view: number, n: number): number {
  return Math.floor(view / 2) % n;
}
/**
 * Nonces served between two health-tested reseeds: each validator's generator fills a block of this
 * many nonces per DRBG generate call (as `Rng` batches small requests) and reseeds from its sources
 * before every block, so a source that breaks is noticed within this many signatures (the entropy
 * check's grace).
 */
const NONCES_PER_RESEED = 16;
const MAX_STEPS = 3_000_000;

export interface RunOptions {
  readonly seed: number | string;
  readonly mutations?: readonly MutationName[];
  /** Keep this many trace lines for printing. */
  readonly keepTrace?: number;
  /**
   * Signers to use instead of generated keys, by identity (its first epoch): e.g. an HSM-held Ed25519
   * key (hsm/ Pkcs11Hsm). Its signatures go through the same guard; it cannot forge retired-key chains.
   */
  readonly signers?: ReadonlyMap<number, Signer>;
}

export interface RunResult {
  readonly scenario: string;
  readonly seed: string;
  readonly mutations: readonly MutationName[];
  readonly pass: boolean;
  readonly violations: readonly Violation[];
  readonly traceHash: string;
  readonly events: number;
  readonly virtualMs: number;
  /** Highest view any honest node reached, and highest height committed. */
  readonly views: number;
  readonly height: number;
  readonly signatures: number;
  readonly refusals: number;
  readonly culprits: readonly number[];
  readonly faults: readonly string[];
  readonly tail: readonly string[];
}

interface SlotInfo {
  readonly slot: number;
  readonly identity: number;
  readonly observer: boolean;
  readonly generator: SimGenerator | undefined;
  readonly raw: SimEntropySource;
  readonly hsm: SimEntropySource;
}

export async function runScenario(scenario: Scenario, opts: RunOptions): Promise<RunResult> {
  const seed = String(opts.seed);
  const mutations = new Set(opts.mutations ?? []);
  const random = SimRandom.fromSeed(seed);
  const n = scenario.n;
  const ledger = new Ledger();
  const faults = new Set<string>();
  const byzantine = new Map<number, HotStuffHooks>();
  for (const b of scenario.byzantine ?? []) {
    byzantine.set(b.identity, hooksFor(b));
    faults.add(`byzantine:${b.kind}`);
  }
  const twins = new Map((scenario.twins ?? []).map((t) => [t.identity, t.sharedGuard]));
  if (twins.size > 0) faults.add(`twins:${[...twins.values()].map((s) => (s ? 'shared' : 'split')).join(',')}`);
  const faulty = new Set([...byzantine.keys(), ...twins.keys()]);
  const honest = (identity: number): boolean => !faulty.has(identity);

  // Slots: one per validator, then twins, then the syncing observer.
  const specs: SlotSpec[] = [];
  for (let i = 0; i < n; i++) specs.push({ identity: i, ...(twins.get(i) === true ? { signerDiskGroup: `id-${i}` } : {}) });
  for (const [identity, shared] of twins) specs.push({ identity, ...(shared ? { signerDiskGroup: `id-${identity}` } : {}) });
  const lr = scenario.longRange;
  if (lr !== undefined) specs.push({ identity: n, startAtMs: lr.observerStartMs });

  // Generators: each slot's own sources; vmClone identities restored from one snapshot.
  const slots: SlotInfo[] = specs.map((spec, slot) => {
    const raw = new SimEntropySource(`noise-${slot}`, 'raw', random.fork(`noise-${slot}`));
    const hsm = new SimEntropySource(`hsm-${slot}`, 'conditioned', random.fork(`hsm-${slot}`));
    return { slot, identity: spec.identity, observer: spec.identity >= n, generator: undefined, raw, hsm };
  });
  const genOpts = (slot: number) => ({
    label: `slot-${slot}`,
    reseedEvery: 1,
    batchBytes: NONCES_PER_RESEED * NONCE_BYTES,
    skipHealthTests: mutations.has('skip-health-tests'),
  });
  const clone = new Set(scenario.vmClone ?? []);
  let image: ReturnType<SimGenerator['snapshot']> | undefined;
  const generators = slots.map((s) => {
    if (s.observer) return undefined;
    if (clone.has(s.identity) && s.slot < n) {
      faults.add('vm-clone');
      if (image === undefined) image = SimGenerator.create([s.raw, s.hsm], genOpts(-1)).snapshot();
      return SimGenerator.restore(image, [s.raw, s.hsm], { ...genOpts(s.slot), reseed: !mutations.has('restore-no-reseed') });
    }
    return SimGenerator.create([s.raw, s.hsm], genOpts(s.slot));
  });

  // Keys: per identity and epoch, from the identity's first slot's generator (twins share the key).
  const epochs = lr === undefined ? 1 : 2;
  const keys: SimKey[][] = [];
  for (let i = 0; i < n; i++) {
    const g = generators[i];
    const mine: SimKey[] = [];
    for (let e = 0; e < epochs; e++) {
      const external = e === 0 ? opts.signers?.get(i) : undefined;
      const k: SimKey =
        external !== undefined
          ? {
              kind: 'ed25519',
              signer: external,
              publicKey: external.publicKey,
              keyId: external.keyId,
              signSync: () => {
                throw new ConsensusError('SIM_INTERNAL', 'an external signer cannot sign outside the event loop');
              },
            }
          : generateSimKey(scenario.keys, g ?? SimGenerator.create([], genOpts(i)));
      mine.push(k);
      ledger.key(i, i, bytesToHex(k.publicKey));
    }
    keys.push(mine);
  }
  const validators = new ValidatorSet(
    keys.map((ks) => ks.map((k) => k.signer)),
    lr === undefined ? [0] : [0, lr.epochView],
    { memoise: scenario.keys === 'ed25519' },
  );
  // Honest validators share verdicts (they apply one rule set); Byzantine ones and observers keep their own.
  const honestVerified = { qcs: new WeakSet<object>(), messages: new WeakSet<object>() };
  const f = validators.f;
  const leaderOf = (view: number): number => scenario.leaders?.[view - 1] ?? leaderByRotation(view, n);

  const world: World<HotStuffMessage> = new World<HotStuffMessage>({
    slots: specs,
    validators: n,
    identities: n + 1,
    network: scenario.network,
    random,
    label: labelOf,
    keepTrace: opts.keepTrace ?? 0,
    factory: async (ctx, boot) => {
      const info = slots[ctx.slot] as SlotInfo;
      const now = (): number => world.sim.now;
      const observer = {
        commit: (height: number, block: string, txs: readonly string[]) =>
          ledger.commit({ slot: ctx.slot, identity: ctx.identity, height, block, timeMs: now(), txs }),
        nonce: (hex: string) => ledger.nonce(ctx.slot, hex),
        rngFailed: () => ledger.rngFailed(ctx.slot, now()),
        proposed: (view: number, txs: readonly string[]) => ledger.proposed(ctx.slot, view, now(), txs),
      };
      const hooks = byzantine.get(ctx.identity);
      const common = { chainId: CHAIN_ID, validators, leaderOf, timeoutMs: scenario.timeoutMs, observer };
      if (info.observer) return new HotStuffNode(ctx, { ...common, flags: protocolFlags(mutations) });
      const isByzantine = hooks !== undefined;
      const torn = scenario.tornWrites;
      const guard: SimGuard =
        isByzantine || mutations.has('sign-without-guard')
          ? unguarded
          : await openSimGuard({
              disk: world.signerDisk(ctx.slot),
              now,
              chainId: CHAIN_ID,
              init: !boot.restart || mutations.has('amnesia-init'),
              faults: {
                skipFsync: mutations.has('guard-no-fsync'),
                writebackMs: scenario.writebackMs ?? Number.POSITIVE_INFINITY,
                ...(torn !== undefined && torn.slots.includes(ctx.slot) && world.sim.now < scenario.durationMs
                  ? {
                      tearWrite: (length: number) =>
                        world.sim.now < scenario.durationMs && ctx.random.chance(torn.probability)
                          ? ctx.random.int(1, length - 1)
                          : undefined,
                      crash: () => {
                        faults.add('torn-write');
                        crashSlot(ctx.slot, { restartAfterMs: torn.restartAfterMs });
                      },
                    }
                  : {}),
              },
            });
      const signing: ValidatorSigning = {
        async sign(signBytes: Uint8Array, view: number): Promise<Uint8Array | undefined> {
          const key = keys[ctx.identity]?.[validators.epochOf(view)] as SimKey;
          const out = await guard.sign(key.signer, signBytes);
          if ('refused' in out) {
            ledger.refused(ctx.slot, out.refused, now());
            ctx.trace(`refused ${out.refused}`);
            return undefined;
          }
          ledger.signed({ slot: ctx.slot, identity: ctx.identity, keyId: key.keyId, signBytes, signature: out.signature, timeMs: now() });
          return out.signature;
        },
      };
      return new HotStuffNode(ctx, {
        ...common,
        signing,
        ...(generators[ctx.slot] !== undefined ? { rng: generators[ctx.slot] as SimGenerator } : {}),
        flags: isByzantine ? { skipLock: true } : protocolFlags(mutations),
        ...(isByzantine ? {} : { verified: honestVerified }),
        ...(hooks !== undefined ? { hooks } : {}),
      });
    },
  });

  const violations: Violation[] = [];
  let lastRestart = 0;
  const crashSlot = (
    slot: number,
    c: {
      restartAfterMs?: number;
      wipeNode?: boolean;
      wipeSigner?: boolean;
      backup?: ReadonlyMap<string, Uint8Array | undefined> | undefined;
    },
  ): void => {
    if (!world.isUp(slot)) return;
    const at = world.sim.now;
    world.crash(slot, {
      writebackMs: scenario.writebackMs ?? Number.POSITIVE_INFINITY,
      wipeNodeDisk: c.wipeNode === true,
      wipeSignerDisk: c.wipeSigner === true,
    });
    if (c.backup !== undefined) world.nodeDisk(slot).restore(c.backup);
    if (c.restartAfterMs === undefined) return;
    const restartAt = at + c.restartAfterMs;
    lastRestart = Math.max(lastRestart, restartAt);
    world.sim.at(restartAt, async () => {
      const identity = world.identityOf(slot);
      if (honest(identity) && c.wipeSigner !== true && !mutations.has('sign-without-guard')) {
        for (const key of keys[identity] ?? []) {
          const before = highestSigned(
            ledger.signatures.filter((s) => s.slot === slot || twins.get(identity) === true),
            key.keyId,
            at,
          );
          violations.push(...checkGuardDurable(key.keyId, before, await storedPosition(world.signerDisk(slot), key.keyId), at));
        }
      }
      world.restart(slot);
    });
  };

  // The fault schedule.
  const sim = world.sim;
  for (const c of scenario.crashes ?? []) {
    faults.add(
      c.wipeSigner === true
        ? 'crash:amnesia'
        : c.wipeNode === true
          ? 'crash:node-disk-lost'
          : c.nodeBackupAtMs !== undefined
            ? 'crash:stale-backup'
            : 'crash',
    );
    let backup: ReadonlyMap<string, Uint8Array | undefined> | undefined;
    if (c.nodeBackupAtMs !== undefined) sim.at(c.nodeBackupAtMs, () => void (backup = world.nodeDisk(c.slot).backup()));
    sim.at(c.atMs, () =>
      crashSlot(c.slot, {
        ...(c.restartAfterMs !== undefined ? { restartAfterMs: c.restartAfterMs } : {}),
        wipeNode: c.wipeNode === true,
        wipeSigner: c.wipeSigner === true,
        ...(backup !== undefined ? { backup } : {}),
      }),
    );
  }
  for (const p of scenario.pauses ?? []) {
    faults.add('pause');
    sim.at(p.atMs, () => world.pause(p.slot, p.ms));
  }
  for (const s of scenario.skews ?? []) {
    faults.add('clock-skew');
    world.skew(s.slot, { offsetMs: s.offsetMs, drift: s.drift });
  }
  const brokenSources = new Map<number, number>();
  for (const e of scenario.entropy ?? []) {
    faults.add(`entropy:${e.source}:${e.fault}`);
    sim.at(e.atMs, () => {
      const info = slots[e.slot];
      (e.source === 'raw' ? info?.raw : info?.hsm)?.breakWith(e.fault);
      brokenSources.set(e.slot, e.atMs);
    });
  }
  for (const t of scenario.txs ?? []) {
    sim.at(t.atMs, () => {
      for (let s = 0; s < world.slotCount; s++) world.inject(s, -1, { kind: 'tx', tx: t.tx });
    });
  }
  if (lr !== undefined) {
    faults.add('long-range');
    sim.at(lr.attackAtMs, () => {
      const forged = forgeChain({
        chainId: CHAIN_ID,
        retired: keys.map((k) => k[0] as SimKey),
        firstView: lr.epochView + 100,
        views: lr.forkViews,
        leaderOf,
        random: random.fork('attacker'),
      });
      for (const m of forged) world.inject(specs.length - 1, -2, m);
    });
  }
  if ((scenario.network.partitions ?? []).length > 0) faults.add('partition');
  if (scenario.network.link.loss > 0) faults.add('loss');
  if (scenario.network.link.duplicate > 0) faults.add('duplication');
  if (scenario.network.link.reorder > 0) faults.add('reorder');
  if (scenario.tornWrites !== undefined) faults.add('storage:torn-writes');

  // Safety phase, then liveness phase.
  world.start();
  const stableMs = Math.max(scenario.durationMs, scenario.network.gstMs, world.network.lastHeal(), lastRestart);
  await sim.run(stableMs, MAX_STEPS);
  const bound = livenessBoundMs(f, scenario.timeoutMs, scenario.network.deltaMs);
  const expect = scenario.expect ?? {};
  const wantLiveness = expect.liveness ?? expect.safety !== 'break';
  const mustProgress = (): number[] => specs.map((_, s) => s).filter((s) => honest(world.identityOf(s)) && world.isUp(s));
  const txsDone = (): boolean =>
    (expect.txCommitted ?? []).every((tx) => mustProgress().every((s) => ledger.commits.some((c) => c.slot === s && c.txs.includes(tx))));
  if (wantLiveness || (expect.txCommitted ?? []).length > 0) {
    const deadline = stableMs + bound;
    while (sim.now < deadline && sim.steps < MAX_STEPS) {
      const done = progressAfter(ledger.commits, stableMs);
      if (mustProgress().every((s) => done.has(s)) && txsDone()) break;
      await sim.run(Math.min(deadline, sim.now + 100), MAX_STEPS);
    }
  }
  if (sim.steps >= MAX_STEPS) violations.push({ check: 'liveness', message: `stopped after ${MAX_STEPS} events (a message storm?)` });

  // Checks.
  const safety = checkSafety(ledger.commits, honest);
  const safetyBroken = safety.conflictingHeights.length > 0;
  if (expect.safety === 'break') {
    if (!safetyBroken) violations.push({ check: 'expectation', message: 'safety was expected to break (f ≥ n/3) and did not' });
  } else {
    violations.push(...safety.violations);
  }
  if (wantLiveness) violations.push(...checkLiveness({ commits: ledger.commits, slots: mustProgress(), stableMs, boundMs: bound }));
  const acc = checkAccountability({ signatures: ledger.signatures, validators, initialStake: 100, safetyBroken, faulty: [...faulty] });
  violations.push(...acc.violations);
  for (const c of acc.culprits) {
    if (honest(c)) violations.push({ check: 'accountability', message: `evidence against honest validator ${c}` });
  }
  for (const c of expect.evidenceAgainst ?? []) {
    if (!acc.culprits.includes(c)) violations.push({ check: 'expectation', message: `no evidence against validator ${c}` });
  }
  for (const c of expect.noEvidenceAgainst ?? []) {
    if (acc.culprits.includes(c))
      violations.push({ check: 'expectation', message: `evidence against validator ${c}, whose guard should have refused` });
  }
  const guardedKey = new Set<string>();
  for (let i = 0; i < n; i++) {
    if (byzantine.has(i) || twins.get(i) === false) continue;
    for (const k of keys[i] ?? []) guardedKey.add(k.keyId);
  }
  violations.push(...checkGuardMonotonic(ledger.signatures, (k) => guardedKey.has(k)));
  violations.push(...checkEntropy({ ledger, brokenSources, grace: NONCES_PER_RESEED }));
  for (const tx of expect.txCommitted ?? []) {
    const missing = mustProgress().filter((s) => !ledger.commits.some((c) => c.slot === s && c.txs.includes(tx)));
    if (missing.length > 0)
      violations.push({ check: 'censorship', message: `transaction ${tx} not committed by slots ${missing.join(',')}` });
  }
  for (const r of expect.refusals ?? []) {
    if (!ledger.refusals.some((x) => x.slot === r.slot && x.code === r.code))
      violations.push({ check: 'expectation', message: `slot ${r.slot} had no ${r.code} refusal` });
  }
  for (const s of expect.rngFailed ?? []) {
    if (!ledger.rngFailures.has(s)) violations.push({ check: 'expectation', message: `slot ${s}'s generator did not fail closed` });
  }
  for (const q of expect.silentAfter ?? []) {
    const count = ledger.signatures.filter((x) => x.slot === q.slot && x.timeMs > q.ms).length;
    if (count > 0) violations.push({ check: 'expectation', message: `slot ${q.slot} signed ${count} messages after ${q.ms} ms` });
  }

  let views = 0;
  let height = 0;
  for (let s = 0; s < world.slotCount; s++) {
    const node = world.node(s) as HotStuffNode | undefined;
    if (node !== undefined && honest(world.identityOf(s))) views = Math.max(views, node.view);
  }
  for (const c of ledger.commits) height = Math.max(height, c.height);
  sim.trace.add(`end ${sim.now} ${views} ${height}`);
  return {
    scenario: scenario.name,
    seed,
    mutations: [...mutations],
    pass: violations.length === 0,
    violations,
    traceHash: sim.trace.hash(),
    events: sim.steps,
    virtualMs: sim.now,
    views,
    height,
    signatures: ledger.signatures.length,
    refusals: ledger.refusals.length,
    culprits: acc.culprits,
    faults: [...faults].sort(),
    tail: sim.trace.tail(),
  };
}
