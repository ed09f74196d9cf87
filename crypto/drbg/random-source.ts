/**
 * What a consumer of randomness needs: `Rng` implements it, and so does the explicitly named
 * deterministic generator used for reproducible simulations. Consumers (Secret.random, key generation,
 * the BFT harness) depend on this contract, not on a concrete generator.
 */
export interface RandomSource {
  /** `length` fresh bytes; throws rather than return fewer or weaker bytes. */
  randomBytes(length: number): Uint8Array;
  /**
   * `true` for a generator whose output is a function of a seed (`DeterministicRng`). Consumers that make
   * long-term secrets (key generation, `Secret.random`, keystore encryption, hedged signing) refuse such a
   * generator unless told `allowDeterministic: true`. Absent or `false` for a real generator.
   */
  readonly deterministic?: boolean;
}
