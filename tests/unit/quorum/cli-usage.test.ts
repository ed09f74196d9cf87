/**
 * `hrng agent` and `hrng aggregator` argument checks (exit 2 with the reason), in process.
 */
import { describe, expect, it } from 'vitest';
import { hrng } from '../cli/run-helper.js';

describe('hrng agent / aggregator usage', () => {
  it('agent: required options', async () => {
    const r = await hrng(['agent', '--id', 'a']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("hrng agent: --region is required (see 'hrng help agent')\n");
  });

  it('agent: --connect must be HOST:PORT', async () => {
    const r = await hrng(['agent', '--id', 'a', '--region', 'eu', '--connect', 'nowhere', '--cert', 'c', '--key', 'k', '--ca', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("hrng agent: --connect must be HOST:PORT (see 'hrng help agent')\n");
  });

  it('aggregator: exactly one of --state and --store; --store must be postgres://', async () => {
    const base = ['aggregator', '--cert', 'c', '--key', 'k', '--ca', 'x', '--wrapping-keystore', 'w'];
    const none = await hrng(base);
    expect([none.code, none.stderr]).toEqual([
      2,
      "hrng aggregator: give exactly one of --state FILE and --store postgres://… (see 'hrng help aggregator')\n",
    ]);
    const both = await hrng([...base, '--state', 's', '--store', 'postgres://x']);
    expect(both.code).toBe(2);
    const bad = await hrng([...base, '--store', 'mysql://x']);
    expect([bad.code, bad.stderr]).toEqual([2, "hrng aggregator: --store must be a postgres:// URL (see 'hrng help aggregator')\n"]);
  });

  it('init-wrapping-key: exactly one of --dir, --sealed and --hsm-wrap-key', async () => {
    const msg =
      "hrng aggregator: give exactly one of --dir (keystore), --sealed FILE (HSM-sealed) and --hsm-wrap-key LABEL (on the token) (see 'hrng help aggregator')\n";
    for (const args of [[], ['--dir', 'd', '--hsm-wrap-key', 'L'], ['--sealed', 's', '--hsm-wrap-key', 'L']]) {
      const r = await hrng(['aggregator', 'init-wrapping-key', ...args]);
      expect([r.code, r.stderr]).toEqual([2, msg]);
    }
  });

  it('help lists both commands', async () => {
    const r = await hrng(['help']);
    expect(r.stdout.toString()).toMatch(/\n {2}agent {7}an entropy agent of the quorum/);
    expect(r.stdout.toString()).toMatch(/\n {2}aggregator {2}the quorum aggregation service/);
  });
});
