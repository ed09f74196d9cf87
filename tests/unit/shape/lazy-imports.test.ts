/**
 * Importing the package root for `Rng` loads no code it does not need (issue 10 §4): no post-quantum
 * schemes, no SP 800-22 special functions or FFT, no PKCS#11, logger, metrics or database client. Each
 * case is a fresh process whose ES module loads are recorded by tests/helpers/record-loads.mjs; a
 * control import shows the recorder sees the packages it is asked about. The built package is what is
 * imported (dist/, as a consumer gets it: `npm test` builds before the unit stage). Nothing is timed
 * here — the cold-start figures are in `npm run bench -- startup`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { schemeImpl } from '../../../crypto/index.js';
import { ml_dsa65 } from '@noble/post-quantum/ml-dsa.js';
import { slh_dsa_sha2_128s } from '@noble/post-quantum/slh-dsa.js';

const RECORD = fileURLToPath(new URL('../../helpers/record-loads.mjs', import.meta.url));
const ROOT_FILE = fileURLToPath(new URL('../../../dist/crypto/index.js', import.meta.url));
const ROOT_ENTRY = pathToFileURL(ROOT_FILE).href;
const dir = mkdtempSync(join(tmpdir(), 'hrng-loads-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let runs = 0;
/** The module URLs a fresh process loads while it runs `script` (an ES module body). */
function loadsOf(script: string): string[] {
  const out = join(dir, `loads-${runs++}.txt`);
  const r = spawnSync(process.execPath, ['--import', RECORD, '--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '', RECORD_LOADS: out },
    timeout: 60_000,
  });
  expect(r.status, r.stderr).toBe(0);
  return readFileSync(out, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
}

const HEAVY = ['@noble/post-quantum', '@stdlib/', 'fft.js', 'graphene-pk11', 'pino', 'prom-client', '/pg/'];
const heavyIn = (urls: string[]): string[] => urls.filter((u) => HEAVY.some((h) => u.includes(`node_modules/${h}`)));

describe('lazy imports', () => {
  it('the package root loads none of the heavy packages', () => {
    expect(existsSync(ROOT_FILE), 'dist/ is missing: run `npm run build` first').toBe(true);
    const urls = loadsOf(`const m = await import(${JSON.stringify(ROOT_ENTRY)}); if (typeof m.Rng.create !== 'function') process.exit(3);`);
    expect(urls.some((u) => u.endsWith('/dist/crypto/drbg/rng.js'))).toBe(true);
    expect(heavyIn(urls)).toEqual([]);
  });

  it('control: the recorder sees a post-quantum import when one is made', () => {
    const urls = loadsOf(`await import('@noble/post-quantum/ml-dsa.js');`);
    expect(heavyIn(urls).some((u) => u.includes('@noble/post-quantum/ml-dsa.js'))).toBe(true);
  });

  it("the schemes' written-down sizes are noble's (FIPS 204 ML-DSA-65, FIPS 205 SLH-DSA-SHA2-128s)", () => {
    const ml = schemeImpl('ml-dsa-65');
    const slh = schemeImpl('slh-dsa-sha2-128s');
    expect([ml.seedLength, ml.publicKeyLength, ml.signatureLength, ml.signRandLength]).toEqual([
      ml_dsa65.lengths.seed,
      ml_dsa65.lengths.publicKey,
      ml_dsa65.lengths.signature,
      ml_dsa65.lengths.signRand,
    ]);
    expect([slh.seedLength, slh.publicKeyLength, slh.signatureLength, slh.signRandLength]).toEqual([
      slh_dsa_sha2_128s.lengths.seed,
      slh_dsa_sha2_128s.lengths.publicKey,
      slh_dsa_sha2_128s.lengths.signature,
      slh_dsa_sha2_128s.lengths.signRand,
    ]);
  });

  it('a lazily loaded scheme still works: ML-DSA-65 keygen → sign → verify through schemeImpl', () => {
    const impl = schemeImpl('ml-dsa-65');
    const { publicKey, secretKey } = impl.keygen(new Uint8Array(32).fill(7));
    const msg = new Uint8Array([1, 2, 3]);
    const sig = impl.sign(secretKey, msg, new Uint8Array(32).fill(9));
    expect(sig.length).toBe(3309);
    expect(impl.verify(publicKey, msg, sig)).toBe(true);
    expect(impl.verify(publicKey, new Uint8Array([1, 2, 4]), sig)).toBe(false);
  });
});
