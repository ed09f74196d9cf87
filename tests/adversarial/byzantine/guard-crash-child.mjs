// A validator signer process for the guard crash test (guard-crash.test.ts). Plain JavaScript over the
// built dist/ so it runs under plain node. It signs one payload at one height/round/step under the
// SigningGuard and SIGKILLs itself at the crash point named by CRASH_AT. Every signature the signer
// computes is appended (and fsynced) to SIGNATURE_LOG before the guard sees it: that log is the set of
// signatures that exist, released or not.
import { SigningGuard, decodeHrngSignBytes, encodeHrngSignBytes } from '../../../dist/consensus/index.js';
import { loggingSigner } from './logging-signer.mjs';

const env = process.env;
const hrs = { height: Number(env.HEIGHT), round: Number(env.ROUND), step: Number(env.STEP) };
// The position is inside the signed bytes (hrng-sign/v1); the payload is the body.
const signBytes = encodeHrngSignBytes({ chainId: 'crash-test', hrs, body: new TextEncoder().encode(env.PAYLOAD) });
const signer = loggingSigner(env.SEED_HEX, env.SIGNATURE_LOG, (m, sig) => ({
  ...hrs,
  payload: new TextDecoder().decode(decodeHrngSignBytes(m).body),
  signature: Buffer.from(sig).toString('hex'),
}));

const hooks = {
  at(point) {
    if (point === env.CRASH_AT) process.kill(process.pid, 'SIGKILL');
  },
};

const guard = await SigningGuard.open({ dir: env.GUARD_DIR, init: true, chainId: 'crash-test', hooks });
try {
  const signature = await guard.sign(signer, signBytes);
  if (env.CRASH_AT === 'before-release') process.kill(process.pid, 'SIGKILL');
  process.stdout.write(JSON.stringify({ ok: true, signature: Buffer.from(signature).toString('hex') }) + '\n');
} catch (err) {
  process.stdout.write(JSON.stringify({ ok: false, code: err.code ?? String(err) }) + '\n');
}
