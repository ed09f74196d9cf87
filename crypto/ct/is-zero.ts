/**
 * Whether every byte is zero, without an early exit: OR all bytes together, then turn "accumulator is
 * zero" into a bit with arithmetic rather than a comparison inside the loop. Used e.g. to reject an
 * all-zero derived key or shared secret. The length is public.
 */
export function isZero(a: Uint8Array): boolean {
  let acc = 0;
  for (let i = 0; i < a.length; i++) acc |= a[i] as number;
  // acc ∈ [0, 255]: acc − 1 is negative only for acc = 0, so its sign bit is the answer.
  return ((acc - 1) >>> 31) === 1;
}
