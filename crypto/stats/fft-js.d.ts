// Types for fft.js 4 (it ships none): a radix-4 complex FFT of a power-of-two size, interleaved re/im.
declare module 'fft.js' {
  type ComplexArray = { [index: number]: number; readonly length: number };
  export default class FFT {
    constructor(size: number);
    readonly size: number;
    createComplexArray(): number[];
    /** out[2k], out[2k+1] = Σ data[j]·e^(−2πijk/size). */
    transform(out: ComplexArray, data: ComplexArray): void;
    /** The inverse, scaled by 1/size. */
    inverseTransform(out: ComplexArray, data: ComplexArray): void;
  }
}
