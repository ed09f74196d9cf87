/**
 * Whether every byte is zero, without an early exit and without a branch on the answer: OR all bytes
 * together, take the sign bit of `acc − 1` as a number (1 iff acc = 0), and turn that bit into a boolean
 * by indexing a two-element table. Used e.g. to reject an all-zero derived key or shared secret. The
 * length is public.
 *
 * Why the table: the obvious `((acc - 1) >>> 31) === 1` is compiled by V8's TurboFan (Node 20, V8 11.3),
 * whenever `isZero` is not inlined into its caller, to `cmp; jz` into an out-of-line block that loads
 * `true` and jumps back — a branch on the answer that made an all-zero input about 0.6 ns slower per call
 * and failed the dudect gate at |t| ≈ 50–117 (docs/constant-time.md, "Root cause of the isZero
 * failures"). A load `TABLE[bit]` compiles to a bounds check that both indices pass and one `movq`
 * from `[elements + bit·8]` within one cache line: no branch on the secret.
 */
// Not frozen on purpose: V8 compiles a load from a frozen array to a generic KeyedLoadIC call, from this
// plain module-private (never exported, never written) array to the single `movq` described above.
const BOOLEAN_OF_BIT: readonly [false, true] = [false, true];

export function isZero(a: Uint8Array): boolean {
  let acc = 0;
  for (let i = 0; i < a.length; i++) acc |= a[i] as number;
  // acc ∈ [0, 255]: acc − 1 is negative only for acc = 0, so its sign bit is the answer (0 or 1).
  return BOOLEAN_OF_BIT[(acc - 1) >>> 31] as boolean;
}
