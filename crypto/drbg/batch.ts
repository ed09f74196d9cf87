/**
 * The block small requests are served from (Linux's batched entropy does the same): one DRBG generate
 * call fills `size` bytes; each slice is copied out and zeroed in the block as it leaves, so no byte is
 * served twice and a memory dump shows only what has not been handed out yet. `wipe()` zeroes the rest;
 * the Rng calls it on every reseed, suspected clone, failure and destroy.
 */
export class Batch {
  readonly #block: Uint8Array;
  #position: number;

  constructor(size: number) {
    this.#block = new Uint8Array(size);
    this.#position = size;
  }

  /** Bytes left to serve. */
  get remaining(): number {
    return this.#block.length - this.#position;
  }

  /** `length` bytes from the block; `refill(size)` is called first when too few are left. */
  take(length: number, refill: (size: number) => Uint8Array): Uint8Array {
    if (this.#position + length > this.#block.length) {
      this.wipe();
      const fresh = refill(this.#block.length);
      this.#block.set(fresh);
      fresh.fill(0);
      this.#position = 0;
    }
    const end = this.#position + length;
    const out = this.#block.slice(this.#position, end);
    this.#block.fill(0, this.#position, end);
    this.#position = end;
    return out;
  }

  wipe(): void {
    this.#block.fill(0);
    this.#position = this.#block.length;
  }

  /** Test-only view of the live block and read position (reached through `hardened-rng/testing`). */
  inspectForTesting(): { readonly batch: Uint8Array; readonly position: number } {
    return { batch: this.#block, position: this.#position };
  }
}
