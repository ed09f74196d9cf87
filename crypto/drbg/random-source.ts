/**
 * What a consumer of randomness needs: `Rng` implements it, and so does the explicitly named
 * deterministic generator used for reproducible simulations. Consumers (Secret.random, key generation,
 * the BFT harness) depend on this contract, not on a concrete generator.
 */
export interface RandomSource {
  /** `length` fresh bytes; throws rather than return fewer or weaker bytes. */
  randomBytes(length: number): Uint8Array;
  /**
   * True for a generator whose output is reproducible from a seed (simulations, tests). Key generation,
   * Secret.random, keystore encryption and hedged signing refuse such a source unless told
   * `allowDeterministic: true`.
   */
  readonly deterministic?: boolean;
}
