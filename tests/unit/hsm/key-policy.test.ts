/**
 * Protection attributes (CKA_MODIFIABLE, CKA_COPYABLE, CKA_DESTROYABLE): what templates state, how a
 * read-back is judged (truth table), and the bounded retry that reports a token refusing an attribute.
 */
import { describe, expect, it } from 'vitest';
import { CKA_COPYABLE, CKA_DESTROYABLE, CKA_MODIFIABLE } from '../../../hsm/constants.js';
import { HsmError } from '../../../hsm/errors.js';
import {
  generateWithProtections,
  protectionAttributes,
  protectionReport,
  requestedProtections,
  type Protection,
} from '../../../hsm/key-policy.js';

const values = (o: Partial<Record<number, boolean>>): Map<number, Uint8Array> =>
  new Map(Object.entries(o).map(([k, v]) => [Number(k), Uint8Array.of(v ? 1 : 0)]));

describe('protection attributes', () => {
  it('asks for not-modifiable and not-copyable always, not-destroyable only on request', () => {
    expect(requestedProtections()).toEqual(['modifiable', 'copyable']);
    expect(requestedProtections({ indestructible: true })).toEqual(['modifiable', 'copyable', 'destroyable']);
    expect(protectionAttributes(['modifiable', 'copyable', 'destroyable'])).toEqual([
      { type: CKA_MODIFIABLE, value: false },
      { type: CKA_COPYABLE, value: false },
      { type: CKA_DESTROYABLE, value: false },
    ]);
  });

  const all: Protection[] = ['modifiable', 'copyable', 'destroyable'];
  it.each([
    // requested, applied, read back → report (or the error)
    [
      ['modifiable', 'copyable'],
      ['modifiable', 'copyable'],
      { [CKA_MODIFIABLE]: false, [CKA_COPYABLE]: false },
      { modifiable: 'enforced', copyable: 'enforced', destroyable: 'not-requested', refused: [] },
    ],
    [
      all,
      all,
      { [CKA_MODIFIABLE]: false, [CKA_COPYABLE]: false, [CKA_DESTROYABLE]: false },
      { modifiable: 'enforced', copyable: 'enforced', destroyable: 'enforced', refused: [] },
    ],
    [
      all,
      ['modifiable'],
      { [CKA_MODIFIABLE]: false },
      { modifiable: 'enforced', copyable: 'refused', destroyable: 'refused', refused: ['copyable', 'destroyable'] },
    ],
    [
      ['modifiable', 'copyable'],
      [],
      {},
      { modifiable: 'refused', copyable: 'refused', destroyable: 'not-requested', refused: ['modifiable', 'copyable'] },
    ],
    [
      ['modifiable', 'copyable'],
      ['modifiable', 'copyable'],
      { [CKA_MODIFIABLE]: false, [CKA_COPYABLE]: true },
      'CKA_COPYABLE reads back true',
    ],
    [
      ['modifiable', 'copyable'],
      ['modifiable', 'copyable'],
      { [CKA_MODIFIABLE]: true, [CKA_COPYABLE]: false },
      'CKA_MODIFIABLE reads back true',
    ],
    [['modifiable', 'copyable'], ['modifiable', 'copyable'], { [CKA_MODIFIABLE]: false }, 'did not return attribute'],
  ] as const)('requested %j, applied %j, read %j → %j', (requested, applied, read, expected) => {
    const run = () => protectionReport(values(read), { requested, applied });
    if (typeof expected === 'string') {
      expect(run).toThrow(expect.objectContaining({ code: 'HSM_KEY_INVALID' }));
      expect(run).toThrow(expected);
    } else {
      expect(run()).toEqual(expected);
    }
  });
});

describe('generateWithProtections', () => {
  const refusal = (ckr: string) =>
    new HsmError('HSM_INVALID_ARGUMENT', `C_GenerateKeyPair failed: ${ckr}`, { ckr, call: 'C_GenerateKeyPair' });

  it('uses every requested protection when the token takes them', () => {
    const seen: (readonly Protection[])[] = [];
    expect(generateWithProtections(['modifiable', 'copyable'], (a) => (seen.push(a), 'key'))).toEqual({
      result: 'key',
      applied: ['modifiable', 'copyable'],
    });
    expect(seen).toEqual([['modifiable', 'copyable']]);
  });

  it('retries without the attributes a token refuses, at most three times, and says what was applied', () => {
    const seen: (readonly Protection[])[] = [];
    const result = generateWithProtections(['modifiable', 'copyable', 'destroyable'], (a) => {
      seen.push(a);
      if (a.length > 1) throw refusal('CKR_ATTRIBUTE_TYPE_INVALID');
      return 'key';
    });
    expect(result).toEqual({ result: 'key', applied: ['modifiable'] });
    expect(seen).toEqual([['modifiable', 'copyable', 'destroyable'], ['modifiable']]);
    let calls = 0;
    expect(() =>
      generateWithProtections(['modifiable', 'copyable'], () => {
        calls++;
        throw refusal('CKR_TEMPLATE_INCONSISTENT');
      }),
    ).toThrow(expect.objectContaining({ ckr: 'CKR_TEMPLATE_INCONSISTENT' }));
    expect(calls).toBe(3);
  });

  it('passes any other failure straight through, without retrying', () => {
    let calls = 0;
    const gone = new HsmError('HSM_TOKEN_ABSENT', 'removed', { ckr: 'CKR_DEVICE_REMOVED' });
    expect(() =>
      generateWithProtections(['modifiable'], () => {
        calls++;
        throw gone;
      }),
    ).toThrow(gone);
    expect(calls).toBe(1);
  });
});
