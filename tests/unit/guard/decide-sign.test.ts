/**
 * decideSign, the guard's decision without locking or I/O, as a truth table: every combination of
 * (history: none / below / at / above the request; payload: same / different / unknown; signature
 * recorded or not; floor: none / below / above the request; timestamp: the request differing only in it,
 * or not, with the last timestamp known or not) against the one expected outcome.
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
  timestamp?: Uint8Array,
): SignedState => ({
  keyId: 'k',
  height,
  round,
  step,
  payloadHash,
  signature,
  ...(timestamp !== undefined ? { timestamp } : {}),
});
const req = { hrs: { height: 10, round: 2, step: 2 }, payloadHash: H(1) };
const TS = Uint8Array.of(8, 1);
/** The request with a later timestamp: its bytes rebuilt at the last timestamp hash to H(2). */
const later = { ...req, restampedHash: H(2) };
const resign = (signature: Uint8Array | null, restamped = false): SignDecision => ({ action: 'resign', signature, restamped });

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
    ['same position, same payload, signature recorded', state(10, 2, 2, H(1), SIG), undefined, resign(SIG)],
    ['same position, same payload, intent only', state(10, 2, 2, H(1)), undefined, resign(null)],
    ['same position, different payload', state(10, 2, 2, H(2), SIG), undefined, refuse('double-sign')],
    ['same position, payload unknown (conflicting import)', state(10, 2, 2, null), undefined, refuse('double-sign')],
    ['same position, same payload, floor above', state(10, 2, 2, H(1), SIG), 11, refuse('below-floor')],
    ['lower height before, floor above the request', state(9, 0, 1, H(2)), 11, refuse('below-floor')],
    ['higher height before, floor above the request', state(12, 0, 1, H(2)), 11, refuse('below-floor')],
  ];
  it.each(rows)('%s', (_name, last, minHeight, expected) => {
    expect(decideSign(last, req, minHeight === undefined ? {} : { minHeight })).toEqual(expected);
  });

  // FilePV's timestamp-only rule: `later` is the request whose bytes, at the last timestamp, are the last bytes.
  const stamped: [string, SignedState | undefined, typeof req & { restampedHash?: Uint8Array }, number | undefined, SignDecision][] = [
    ['only the timestamp differs, signature recorded', state(10, 2, 2, H(2), SIG, TS), later, undefined, resign(SIG, true)],
    ['only the timestamp differs, intent only', state(10, 2, 2, H(2), null, TS), later, undefined, resign(null, true)],
    [
      'only the timestamp differs, last timestamp unknown (an older state)',
      state(10, 2, 2, H(2), SIG),
      later,
      undefined,
      refuse('double-sign'),
    ],
    ['differs beyond the timestamp', state(10, 2, 2, H(3), SIG, TS), later, undefined, refuse('double-sign')],
    ['a format without timestamps (no restamped hash)', state(10, 2, 2, H(2), SIG, TS), req, undefined, refuse('double-sign')],
    ['payload unknown, restamped hash given', state(10, 2, 2, null, null, TS), later, undefined, refuse('double-sign')],
    ['identical bytes win over the timestamp rule', state(10, 2, 2, H(1), SIG, TS), later, undefined, resign(SIG)],
    ['only the timestamp differs, but a higher position before', state(10, 2, 3, H(2), SIG, TS), later, undefined, refuse('regression')],
    ['only the timestamp differs, but a lower position before', state(10, 2, 1, H(2), SIG, TS), later, undefined, sign],
    ['only the timestamp differs, floor above', state(10, 2, 2, H(2), SIG, TS), later, 11, refuse('below-floor')],
  ];
  it.each(stamped)('%s', (_name, last, request, minHeight, expected) => {
    expect(decideSign(last, request, minHeight === undefined ? {} : { minHeight })).toEqual(expected);
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
                  ? resign(SIG)
                  : refuse('double-sign');
        expect(got).toEqual(want);
      }),
      { numRuns: 300 },
    );
  });
});
