/**
 * Our Merlin/STROBE against curve25519-voi's vectors (the implementation CometBFT links) and, on
 * random transcripts, against @scure/sr25519's Merlin (a dev-only oracle: never imported by src).
 */
import { readFileSync } from 'node:fs';
import { __tests } from '@scure/sr25519';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MerlinTranscript } from '../../../signer/merlin.js';

const V = JSON.parse(readFileSync(new URL('../../vectors/cometbft/vectors.json', import.meta.url), 'utf8')) as {
  merlin: { vectors: { name: string; hex: string }[] };
};
const want = (name: string): string => V.merlin.vectors.find((v) => v.name === name)?.hex ?? 'missing';
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('Merlin transcript', () => {
  it('TestSimpleTranscript', () => {
    const t = new MerlinTranscript('test protocol');
    t.appendMessage('some label', enc('some data'));
    expect(hex(t.challengeBytes('challenge', 32))).toBe(want('TestSimpleTranscript'));
  });

  it('TestComplexTranscript (1024-byte messages cross the 166-byte STROBE rate many times)', () => {
    const t = new MerlinTranscript('test protocol');
    t.appendMessage('step1', enc('some data'));
    const data = new Uint8Array(1024).fill(99);
    let chl: Uint8Array = new Uint8Array(0);
    for (let i = 0; i < 32; i++) {
      chl = t.challengeBytes('challenge', 32);
      t.appendMessage('bigdata', data);
      t.appendMessage('challengedata', chl);
    }
    expect(hex(chl)).toBe(want('TestComplexTranscript'));
  });

  it('agrees with the @scure/sr25519 oracle on random transcripts (fast-check)', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('append' as const), label: fc.string({ maxLength: 40 }), data: fc.uint8Array({ maxLength: 400 }) }),
      fc.record({ kind: fc.constant('challenge' as const), label: fc.string({ maxLength: 40 }), n: fc.integer({ min: 0, max: 300 }) }),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.array(op, { maxLength: 8 }), (label, ops) => {
        const ours = new MerlinTranscript(label);
        const oracle = new __tests.Merlin(enc(label));
        for (const o of ops) {
          if (o.kind === 'append') {
            ours.appendMessage(o.label, o.data);
            oracle.appendMessage(enc(o.label), o.data);
          } else {
            expect(hex(ours.challengeBytes(o.label, o.n))).toBe(hex(oracle.challengeBytes(enc(o.label), o.n)));
          }
        }
        expect(hex(ours.challengeBytes('end', 32))).toBe(hex(oracle.challengeBytes(enc('end'), 32)));
      }),
      { numRuns: 150 },
    );
  });
});
