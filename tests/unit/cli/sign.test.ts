/**
 * `hrng sign` under the double-sign guard and `hrng guard export|import`, in-process through
 * cli/main.ts run(argv, io). Keystores are written by the library with the cheapest scrypt parameters
 * the keystore floor accepts (N = 2^15, r = 8: a fraction of a second per sign run); `hrng sign` reads
 * the parameters from the file and, like every reader, refuses anything below the floor.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_FAILED, EXIT_OK, EXIT_REFUSED, EXIT_USAGE } from '../../../cli/command.js';
import { run } from '../../../cli/main.js';
import { encodeHrngSignBytes } from '../../../consensus/index.js';
import { generateKey } from '../../../crypto/keys/generate.js';
import { writeKeystore } from '../../../crypto/keys/keystore.js';
import type { SoftwareScheme } from '../../../crypto/keys/schemes.js';
import { PublicKeyVerifier } from '../../../crypto/keys/verifier.js';
import { nodeRandom } from '../keys/helpers.js';
import { makeIo } from './run-helper.js';

let dir: string;
let passFile: string;
const keys: Partial<Record<SoftwareScheme, { path: string; verifier: PublicKeyVerifier }>> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hrng-cli-sign-'));
  passFile = join(dir, 'pass');
  writeFileSync(passFile, 'pw\n');
  for (const scheme of ['ed25519', 'ml-dsa-65'] as const) {
    const key = generateKey(scheme, { rng: nodeRandom });
    mkdirSync(join(dir, 'keys'), { recursive: true });
    const path = await writeKeystore(join(dir, 'keys'), key, new TextEncoder().encode('pw'), {
      rng: nodeRandom,
      kdf: { function: 'scrypt', n: 2 ** 15, r: 8, p: 1 },
    });
    keys[scheme] = { path, verifier: new PublicKeyVerifier(scheme, key.publicKey) };
  }
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const CHAIN = 'cli-test';
/** The hrng-sign/v1 message `hrng sign --chain-id … --body` builds and signs. */
const msg = (height: number, body: string): Uint8Array =>
  encodeHrngSignBytes({ chainId: CHAIN, hrs: { height, round: 0, step: 1 }, body: Uint8Array.from(Buffer.from(body, 'hex')) });
const POS = (height: number | string): string[] => ['--chain-id', CHAIN, '--height', String(height), '--round', '0', '--step', '1'];

function sign(scheme: SoftwareScheme, guard: string, height: number, body: string, extra: string[] = ['--init-guard']) {
  const t = makeIo();
  const argv = ['sign', '--key', keys[scheme]!.path, '--passphrase-file', passFile, '--guard', guard];
  argv.push(...POS(height), '--body', body, ...extra);
  return run(argv, t.io).then((status) => ({ status, out: t.out(), err: t.err() }));
}

describe('hrng sign', () => {
  it('signs, re-signs identically, refuses a conflict and a regression with exit 3 and one line', async () => {
    const guard = join(dir, 'guard-ed');
    const first = await sign('ed25519', guard, 10, 'c0ffee');
    expect(first.status).toBe(EXIT_OK);
    const sig = first.out.trim();
    expect(sig).toMatch(/^[0-9a-f]{128}$/);
    expect(keys.ed25519!.verifier.verify(msg(10, 'c0ffee'), Buffer.from(sig, 'hex'))).toBe(true);

    expect(await sign('ed25519', guard, 10, 'c0ffee')).toMatchObject({ status: EXIT_OK, out: `${sig}\n` });

    const conflict = await sign('ed25519', guard, 10, 'deadbeef');
    expect(conflict.status).toBe(EXIT_REFUSED);
    expect(conflict.out).toBe('');
    // stderr also carries the KDF progress lines; the refusal itself is exactly one line.
    expect(conflict.err.split('\n').filter((l) => !l.startsWith('decrypting keystore:'))).toEqual([
      expect.stringMatching(
        /^hrng sign: GUARD_DOUBLE_SIGN: refused: key [0-9a-f]{32} already signed a different payload at height 10 round 0 step 1$/,
      ),
      '',
    ]);

    const regression = await sign('ed25519', guard, 9, 'c0ffee');
    expect(regression.status).toBe(EXIT_REFUSED);
    expect(regression.err).toMatch(/\nhrng sign: GUARD_REGRESSION: [^\n]*\n$/);

    // An empty body is a message still: the position is in it.
    expect((await sign('ed25519', guard, 11, '')).status).toBe(EXIT_OK);
    expect((await sign('ed25519', guard, 11, '00')).status).toBe(EXIT_REFUSED);
  });

  it('ML-DSA-65 signs with the real Rng (hedged) and the guard returns the stored signature on re-sign', async () => {
    const guard = join(dir, 'guard-ml');
    const a = await sign('ml-dsa-65', guard, 1, '0102');
    expect(a.status).toBe(EXIT_OK);
    expect(keys['ml-dsa-65']!.verifier.verify(msg(1, '0102'), Buffer.from(a.out.trim(), 'hex'))).toBe(true);
    expect((await sign('ml-dsa-65', guard, 1, '0102')).out).toBe(a.out);
    expect((await sign('ml-dsa-65', guard, 1, '0103')).status).toBe(EXIT_REFUSED);
  });

  it('wrong passphrase, bad hex and missing options fail without signing', async () => {
    const guard = join(dir, 'guard-bad');
    writeFileSync(join(dir, 'wrong'), 'not pw');
    const t = makeIo();
    const argv = [
      'sign',
      '--key',
      keys.ed25519!.path,
      '--passphrase-file',
      join(dir, 'wrong'),
      '--guard',
      guard,
      ...POS(1),
      '--body',
      '00',
      '--init-guard',
    ];
    expect(await run(argv, t.io)).toBe(EXIT_FAILED);
    expect(t.err()).toContain('KEYSTORE_WRONG_PASSPHRASE');
    expect((await sign('ed25519', guard, 1, 'xyz')).status).toBe(EXIT_USAGE);
    expect((await sign('ed25519', guard, -1, '00')).status).toBe(EXIT_USAGE);
    const t2 = makeIo();
    expect(await run(['sign', '--key', keys.ed25519!.path, '--guard', guard, ...POS(1), '--message', '00'], t2.io)).toBe(EXIT_USAGE);
    // Nothing was signed: a first signature at height 1 is still possible.
    expect((await sign('ed25519', guard, 1, '00')).status).toBe(EXIT_OK);
  });
});

describe('hrng sign: the position is in the message', () => {
  const base = (guard: string): string[] => ['sign', '--key', keys.ed25519!.path, '--passphrase-file', passFile, '--guard', guard];
  const runIt = async (argv: string[], stdin?: string) => {
    const t = makeIo(stdin === undefined ? {} : { stdin });
    const status = await run(argv, t.io);
    return { status, out: t.out(), err: t.err() };
  };

  it('--in signs ready sign bytes; flags cannot move them to another position (hole 1)', async () => {
    const guard = join(dir, 'guard-in');
    const file = join(dir, 'vote-5000.bin');
    writeFileSync(file, msg(5000, 'aa'));
    const first = await runIt([...base(guard), '--in', file, '--init-guard']);
    expect(first.status).toBe(EXIT_OK);
    expect(keys.ed25519!.verifier.verify(msg(5000, 'aa'), Buffer.from(first.out.trim(), 'hex'))).toBe(true);
    writeFileSync(file, msg(5000, 'bb'));
    // The old exploit: claim another height for a conflicting vote. The claim is no longer accepted at all.
    expect((await runIt([...base(guard), '--in', file, '--height', '5001'])).status).toBe(EXIT_USAGE);
    const conflict = await runIt([...base(guard), '--in', file]);
    expect(conflict.status).toBe(EXIT_REFUSED);
    expect(conflict.err).toMatch(/GUARD_DOUBLE_SIGN/);
    writeFileSync(file, 'prevote h=5000 for block bb');
    expect((await runIt([...base(guard), '--in', file])).err).toMatch(/^hrng sign: GUARD_SIGN_BYTES_UNDECODABLE: /m);
    const viaStdin = await runIt(
      [...base(guard), '--in', '-', '--chain-id', 'another-chain'],
      Buffer.from(msg(5120, '41')).toString('latin1'),
    );
    expect([viaStdin.status, /GUARD_CHAIN_MISMATCH/.test(viaStdin.err)]).toEqual([EXIT_REFUSED, true]);
  });

  it('a guard directory with no history refuses without --init-guard; --min-height is a floor (hole 3)', async () => {
    const guard = join(dir, 'guard-fresh');
    const noInit = await runIt([...base(guard), ...POS(5), '--body', '00']);
    expect(noInit.status).toBe(EXIT_REFUSED);
    expect(noInit.err).toMatch(/^hrng sign: GUARD_STATE_MISSING: .*--init-guard/m);
    const floor = await runIt([...base(guard), ...POS(5), '--body', '00', '--init-guard', '--min-height', '1001']);
    expect([floor.status, /GUARD_BELOW_FLOOR/.test(floor.err)]).toEqual([EXIT_REFUSED, true]);
    expect(readdirSync(guard).filter((n) => n.endsWith('.json') || n.endsWith('.state'))).toEqual([]);
    expect((await runIt([...base(guard), ...POS(1001), '--body', '00', '--init-guard', '--min-height', '1001'])).status).toBe(EXIT_OK);
  });
});

describe('hrng sign --hsm-key (argument handling; signing against a real token: tests/integration/hsm/sign-guard-cli.test.ts)', () => {
  const base = (guard: string): string[] => ['sign', '--guard', guard, ...POS(1), '--body', '00', '--init-guard'];

  it('is exclusive with --key and --passphrase-file, and needs one of --key / --hsm-key', async () => {
    const guard = join(dir, 'guard-hsm-args');
    for (const extra of [
      ['--hsm-key', 'v1', '--key', keys.ed25519!.path],
      ['--hsm-key', 'v1', '--passphrase-file', passFile],
      ['--hsm-key', ''],
      [],
    ]) {
      const t = makeIo();
      expect([extra, await run([...base(guard), ...extra], t.io)]).toEqual([extra, EXIT_USAGE]);
      expect(t.out()).toBe('');
    }
    const noBody = makeIo();
    expect(await run(['sign', '--hsm-key', 'v1', '--guard', guard, ...POS(1)], noBody.io)).toBe(EXIT_USAGE);
    expect(noBody.err()).toContain('--body HEX or --body-file FILE is required');
  });

  it('without the token environment fails with HSM_CONFIG and records nothing in the guard', async () => {
    const guard = join(dir, 'guard-hsm-env');
    const t = makeIo();
    expect(await run([...base(guard), '--hsm-key', 'v1'], t.io)).toBe(EXIT_FAILED);
    expect(t.err()).toContain('HSM_CONFIG');
    expect(t.err()).toContain('HRNG_PKCS11_LIBRARY');
    expect(readdirSync(guard)).toEqual([]);
  });
});

describe('hrng guard export|import', () => {
  it('moves the history to another directory, where conflicts stay refused', async () => {
    const from = join(dir, 'guard-from');
    const to = join(dir, 'guard-to');
    expect((await sign('ed25519', from, 50, 'aa')).status).toBe(EXIT_OK);
    const file = join(dir, 'history.json');
    const ex = makeIo();
    expect(await run(['guard', 'export', '--guard', from, file], ex.io)).toBe(EXIT_OK);
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { metadata: { interchange_format: string }; data: unknown[] };
    expect(doc.metadata.interchange_format).toBe('hrng-signing-guard');
    expect(doc.data).toHaveLength(1);

    const im = makeIo();
    expect(await run(['guard', 'import', '--guard', to, file], im.io)).toBe(EXIT_OK);
    expect(im.out()).toBe('imported: 1 key(s) raised, 0 unchanged\n');
    // The imported history is a watermark: no --init-guard needed in the new directory.
    expect((await sign('ed25519', to, 50, 'bb', [])).status).toBe(EXIT_REFUSED);
    expect((await sign('ed25519', to, 49, 'aa', [])).status).toBe(EXIT_REFUSED);
    expect((await sign('ed25519', to, 51, 'bb', [])).status).toBe(EXIT_OK);

    const viaStdout = makeIo();
    expect(await run(['guard', 'export', '--guard', to, '-'], viaStdout.io)).toBe(EXIT_OK);
    const viaStdin = makeIo({ stdin: viaStdout.out() });
    expect(await run(['guard', 'import', '--guard', join(dir, 'guard-third'), '-'], viaStdin.io)).toBe(EXIT_OK);
    expect((await sign('ed25519', join(dir, 'guard-third'), 51, 'cc')).status).toBe(EXIT_REFUSED);

    writeFileSync(join(dir, 'bad.json'), '{"metadata": {}, "data": []}');
    const bad = makeIo();
    expect(await run(['guard', 'import', '--guard', to, join(dir, 'bad.json')], bad.io)).toBe(EXIT_FAILED);
    expect(bad.err()).toContain('GUARD_INTERCHANGE_MALFORMED');
    expect(await run(['guard', 'merge', '--guard', to, file], makeIo().io)).toBe(EXIT_USAGE);
  });

  it('--json: sign, export and import report as one JSON object each', async () => {
    const guard = join(dir, 'guard-json');
    const signed = await sign('ed25519', guard, 7, 'c0ffee', ['--json', '--init-guard']);
    expect(signed.status).toBe(EXIT_OK);
    const out = JSON.parse(signed.out) as {
      keyId: string;
      scheme: string;
      height: number;
      round: number;
      step: number;
      signBytes: string;
      signature: string;
    };
    expect(out).toMatchObject({
      keyId: keys.ed25519!.verifier.keyId,
      scheme: 'ed25519',
      chainId: CHAIN,
      height: 7,
      round: 0,
      step: 1,
      signBytes: Buffer.from(msg(7, 'c0ffee')).toString('hex'),
    });
    expect(keys.ed25519!.verifier.verify(msg(7, 'c0ffee'), Buffer.from(out.signature, 'hex'))).toBe(true);

    const file = join(dir, 'history-json.json');
    const ex = makeIo();
    expect(await run(['guard', 'export', '--guard', guard, '--json', file], ex.io)).toBe(EXIT_OK);
    expect(JSON.parse(ex.out())).toEqual({ path: file, keys: 1 });
    const im = makeIo();
    expect(await run(['guard', 'import', '--guard', join(dir, 'guard-json-2'), '--json', file], im.io)).toBe(EXIT_OK);
    expect(JSON.parse(im.out())).toEqual({ raised: [keys.ed25519!.verifier.keyId], unchanged: [] });
  });
});
