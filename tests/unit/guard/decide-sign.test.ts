/**
 * decideSign, the guard's decision without locking or I/O, as a truth table: every combination of
 * (history: none / below / at / above the request; payload: same / different / unknown; signature
 * recorded or not; floor: none / below / above the request) against the one expected outcome.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideSign, type SignDecision, type SignedState } from '../../../consensus/index.js';

const H = (n: number): Uint8Array => new Uint8Array(32).fill(n);
const SIG = new Uint8Array(64).fill(7);
const state = (
  height: number,
  round: number,
  step: number,
  payloadHash: Uint8Array | null,
  signature: Uint8Array | null = null,
): SignedState => ({
  keyId: 'k',
  height,
  round,
  step,
  payloadHash,
  signature,
});
const req = { hrs: { height: 10, round: 2, step: 2 }, payloadHash: H(1) };

const sign: SignDecision = { action: 'sign' };
const refuse = (reason: 'double-sign' | 'regression' | 'below-floor'): SignDecision => ({ action: 'refuse', reason });

describe('decideSign truth table', () => {
  const rows: [string, SignedState | undefined, number | undefined, SignDecision][] = [
    ['no history', undefined, undefined, sign],
    ['no history, floor below', undefined, 9, sign],
    ['no history, floor at the height', undefined, 10, sign],
    ['no history, floor above', undefined, 11, refuse('below-floor')],
    ['higher height before', state(11, 0, 1, H(1), SIG), undefined, refuse('regression')],
    ['same height, higher round before', state(10, 3, 1, H(1)), undefined, refuse('regression')],
    ['same height and round, higher step before', state(10, 2, 3, H(1)), undefined, refuse('regression')],
    ['lower height before', state(9, 9, 9, H(2), SIG), undefined, sign],
    ['same height, lower round before', state(10, 1, 9, H(2)), undefined, sign],
    ['same height and round, lower step before', state(10, 2, 1, H(2)), undefined, sign],
    ['same position, same payload, signature recorded', state(10, 2, 2, H(1), SIG), undefined, { action: 'resign', signature: SIG }],
    ['same position, same payload, intent only', state(10, 2, 2, H(1)), undefined, { action: 'resign', signature: null }],
    ['same position, different payload', state(10, 2, 2, H(2), SIG), undefined, refuse('double-sign')],
    ['same position, payload unknown (conflicting import)', state(10, 2, 2, null), undefined, refuse('double-sign')],
    ['same position, same payload, floor above', state(10, 2, 2, H(1), SIG), 11, refuse('below-floor')],
    ['lower height before, floor above the request', state(9, 0, 1, H(2)), 11, refuse('below-floor')],
    ['higher height before, floor above the request', state(12, 0, 1, H(2)), 11, refuse('below-floor')],
  ];
  it.each(rows)('%s', (_name, last, minHeight, expected) => {
    expect(decideSign(last, req, minHeight === undefined ? {} : { minHeight })).toEqual(expected);
  });

  it('agrees with the lexicographic model on random positions (fast-check)', () => {
    const pos = fc.record({ height: fc.nat(4), round: fc.nat(2), step: fc.integer({ min: 1, max: 3 }) });
    fc.assert(
      fc.property(pos, pos, fc.boolean(), fc.option(fc.nat(5), { nil: undefined }), (a, b, same, floor) => {
        const last = state(a.height, a.round, a.step, H(1), SIG);
        const got = decideSign(last, { hrs: b, payloadHash: same ? H(1) : H(2) }, floor === undefined ? {} : { minHeight: floor });
        const cmp = b.height - a.height || b.round - a.round || b.step - a.step;
        const want: SignDecision =
          floor !== undefined && b.height < floor
            ? refuse('below-floor')
            : cmp > 0
              ? sign
              : cmp < 0
                ? refuse('regression')
                : same
                  ? { action: 'resign', signature: SIG }
                  : refuse('double-sign');
        expect(got).toEqual(want);
      }),
      { numRuns: 300 },
    );
  });
});
