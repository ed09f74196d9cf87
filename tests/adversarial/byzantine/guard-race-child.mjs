// One signer process for the multi-process guard tests (guard-multiprocess.test.ts, and the PostgreSQL
// ones in tests/integration/postgres). Plain JavaScript over the built dist/. It signs one hrng-sign/v1
// message (chain CHAIN, height HEIGHT, round 0, step 1, body PAYLOAD) under a SigningGuard whose store
// is a directory (GUARD_DIR) or PostgreSQL (PG_URL). Every signature the key computes is appended and
// fsynced to SIGNATURE_LOG before the guard sees it: the log is every signature that exists.
// HOLD_AT/HOLD_MS pause the signing at a guard point (to hold the lock, or to be killed there).
import { PgGuardStore, SigningGuard, encodeHrngSignBytes, decodeHrngSignBytes } from '../../../dist/consensus/index.js';
import { loggingSigner } from './logging-signer.mjs';

const env = process.env;
const hrs = { height: Number(env.HEIGHT), round: 0, step: 1 };
const bytes = encodeHrngSignBytes({ chainId: 'race', hrs, body: new TextEncoder().encode(env.PAYLOAD) });
const signer = loggingSigner(env.SEED_HEX, env.SIGNATURE_LOG, (m) => ({
  ...hrs,
  payload: new TextDecoder().decode(decodeHrngSignBytes(m).body),
  pid: process.pid,
}));
const hooks = {
  async at(point) {
    if (point === env.HOLD_AT) {
      process.stderr.write(`holding at ${point}\n`);
      await new Promise((r) => setTimeout(r, Number(env.HOLD_MS ?? '0')));
    }
  },
};
const store = env.PG_URL
  ? await PgGuardStore.open({ connectionString: env.PG_URL, lockTimeoutMs: Number(env.LOCK_TIMEOUT_MS ?? '5000') })
  : undefined;
const guard = await SigningGuard.open({ ...(store ? { store } : { dir: env.GUARD_DIR }), init: true, chainId: 'race', hooks });
try {
  await guard.sign(signer, bytes);
  process.stdout.write(JSON.stringify({ ok: true }) + '\n');
} catch (err) {
  process.stdout.write(JSON.stringify({ ok: false, code: err.code ?? String(err) }) + '\n');
} finally {
  await guard.close();
}
