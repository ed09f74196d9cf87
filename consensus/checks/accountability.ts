/**
 * Accountability: every double signature — two different sign bytes at one position (height, round,
 * step of `hrng-sign/v1`) under one key — becomes evidence that verifies on its own: the two messages,
 * their signatures, and the key. Slashing takes the culprit's stake. When safety was broken on purpose
 * (f ≥ n/3), the forensic rule of Sheng et al. (CCS 2021, "BFT Protocol Forensics": HotStuff supports
 * t + 1 culprits) is checked: the evidence alone names at least f + 1 validators.
 *
 * Evidence is what a third party can verify — `verifyEvidence` uses nothing but the evidence and the
 * validator set's public keys; equivocations without two valid signatures (forgeries) are not evidence.
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import { decodeHrngSignBytes } from '../guard/index.js';
import type { ValidatorSet } from '../protocol/validators.js';
import type { SignatureRecord } from './ledger.js';
import type { Violation } from './violation.js';

export interface Evidence {
  readonly keyId: string;
  readonly a: { readonly signBytes: Uint8Array; readonly signature: Uint8Array };
  readonly b: { readonly signBytes: Uint8Array; readonly signature: Uint8Array };
}

/** True when `e` proves a double signature by `keyId`, using only the evidence and the validator set. */
export function verifyEvidence(e: Evidence, validators: ValidatorSet): boolean {
  const holder = validators.verifierOf(e.keyId);
  if (holder === undefined) return false;
  const da = decodeHrngSignBytes(e.a.signBytes);
  const db = decodeHrngSignBytes(e.b.signBytes);
  if (da === undefined || db === undefined || da.chainId !== db.chainId) return false;
  if (da.hrs.height !== db.hrs.height || da.hrs.round !== db.hrs.round || da.hrs.step !== db.hrs.step) return false;
  if (bytesToHex(e.a.signBytes) === bytesToHex(e.b.signBytes)) return false;
  return holder.verifier.verify(e.a.signBytes, e.a.signature) && holder.verifier.verify(e.b.signBytes, e.b.signature);
}

/** All evidence in a run's signatures: one pair per key and position. */
export function collectEvidence(signatures: readonly SignatureRecord[]): Evidence[] {
  const first = new Map<string, SignatureRecord>();
  const out: Evidence[] = [];
  const reported = new Set<string>();
  for (const s of signatures) {
    const d = decodeHrngSignBytes(s.signBytes);
    if (d === undefined) continue;
    const pos = `${s.keyId}/${d.hrs.height}/${d.hrs.round}/${d.hrs.step}`;
    const prev = first.get(pos);
    if (prev === undefined) {
      first.set(pos, s);
      continue;
    }
    if (reported.has(pos) || bytesToHex(prev.signBytes) === bytesToHex(s.signBytes)) continue;
    reported.add(pos);
    out.push({
      keyId: s.keyId,
      a: { signBytes: prev.signBytes, signature: prev.signature },
      b: { signBytes: s.signBytes, signature: s.signature },
    });
  }
  return out;
}

export interface AccountabilityResult {
  readonly evidence: readonly Evidence[];
  /** Identities with verified evidence against them. */
  readonly culprits: readonly number[];
  /** Stake after slashing, by identity. */
  readonly stake: readonly number[];
  readonly violations: readonly Violation[];
}

export interface AccountabilityInput {
  readonly signatures: readonly SignatureRecord[];
  readonly validators: ValidatorSet;
  readonly initialStake: number;
  /** Whether safety was broken in this run (then the forensic bound applies). */
  readonly safetyBroken: boolean;
  /** The scenario's faulty identities (more than f means safety may be broken on purpose). */
  readonly faulty: readonly number[];
}

export function checkAccountability(input: AccountabilityInput): AccountabilityResult {
  const evidence = collectEvidence(input.signatures);
  const stake = Array.from({ length: input.validators.n }, () => input.initialStake);
  const culprits = new Set<number>();
  const violations: Violation[] = [];
  for (const e of evidence) {
    if (!verifyEvidence(e, input.validators)) continue;
    const holder = input.validators.verifierOf(e.keyId);
    if (holder === undefined) continue;
    if (!culprits.has(holder.identity)) stake[holder.identity] = 0;
    culprits.add(holder.identity);
  }
  for (const c of culprits) {
    if ((stake[c] ?? 0) !== 0) violations.push({ check: 'accountability', message: `culprit ${c} was not slashed` });
  }
  const f = input.validators.f;
  if (input.safetyBroken && input.faulty.length > f && culprits.size < f + 1) {
    violations.push({
      check: 'accountability',
      message: `safety broken with ${input.faulty.length} faulty, but evidence names only ${culprits.size} < f + 1 = ${f + 1} culprits`,
    });
  }
  return { evidence, culprits: [...culprits].sort((a, b) => a - b), stake, violations };
}
