/**
 * SP 800-22 Rev. 1a Appendix B for the other reference data sets: the binary expansions of pi, sqrt(2)
 * and sqrt(3) (data.pi, data.sqrt2, data.sqrt3 of the STS distribution, tests/vectors/sts/), first
 * 1,000,000 bits, STS 2.1.2 default parameters. Appendix B prints one P-value per test and data set (for
 * the template test: template 000000001; serial: the first P-value; cumulative sums: forward; random
 * excursions: x = +1; variant: x = -1). The values are those of Appendix B's table as reproduced in
 * StuartGordonReid/r4nd0m README.md (tests/vectors/README.md), whose data.e column equals the data.e
 * values asserted in ./appendix-b.test.ts digit for digit.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bitsFromAscii } from '../../../crypto/stats/bits.js';
import { runBattery } from '../../../crypto/stats/battery.js';
import type { StsTestName } from '../../../crypto/stats/result.js';

type Row = readonly [StsTestName, string | undefined];

/** The rows of Appendix B, in its order, with the P-value slot each prints. */
const ROWS: readonly Row[] = [
  ['frequency', undefined],
  ['block-frequency', undefined],
  ['cumulative-sums', 'forward'],
  ['runs', undefined],
  ['longest-run', undefined],
  ['rank', undefined],
  ['dft', undefined],
  ['non-overlapping-template', '000000001'],
  ['overlapping-template', undefined],
  ['universal', undefined],
  ['approximate-entropy', undefined],
  ['random-excursions', 'x=+1'],
  ['random-excursions-variant', 'x=-1'],
  ['serial', 'P1'],
  ['linear-complexity', undefined],
];

/** Published P-values, one per row of ROWS. */
const PUBLISHED: Readonly<Record<'pi' | 'sqrt2' | 'sqrt3', readonly string[]>> = {
  pi: [
    '0.578211',
    '0.380615',
    '0.628308',
    '0.419268',
    '0.024390',
    '0.083553',
    '0.010186',
    '0.165757',
    '0.296897',
    '0.669012',
    '0.361595',
    '0.844143',
    '0.760966',
    '0.143005',
    '0.255475',
  ],
  sqrt2: [
    '0.811881',
    '0.833222',
    '0.879009',
    '0.313427',
    '0.012117',
    '0.823810',
    '0.581909',
    '0.569461',
    '0.791982',
    '0.130805',
    '0.884740',
    '0.216235',
    '0.566118',
    '0.861925',
    '0.317127',
  ],
  sqrt3: [
    '0.610051',
    '0.473961',
    '0.917121',
    '0.261123',
    '0.446726',
    '0.314498',
    '0.776046',
    '0.532235',
    '0.082716',
    '0.165981',
    '0.180481',
    '0.783283',
    '0.155066',
    '0.157500',
    '0.346469',
  ],
};

describe.each(['pi', 'sqrt2', 'sqrt3'] as const)('Appendix B, data.%s (n = 10^6)', (name) => {
  it('reproduces every published P-value to the 6 digits printed', () => {
    const bits = bitsFromAscii(readFileSync(new URL(`../../vectors/sts/data.${name}`, import.meta.url)), 1_000_000);
    expect(bits.length).toBe(1_000_000);
    const results = new Map(runBattery(bits).map((r) => [r.test, r]));
    const computed = ROWS.map(([test, label]) => {
      const r = results.get(test);
      const v = r?.pValues[label === undefined ? 0 : r.labels.indexOf(label)];
      return `${test}${label === undefined ? '' : ` ${label}`} ${v === undefined ? 'missing' : v.toFixed(6)}`;
    });
    const published = ROWS.map(([test, label], i) => `${test}${label === undefined ? '' : ` ${label}`} ${PUBLISHED[name][i]}`);
    expect(computed).toEqual(published);
  });
});
