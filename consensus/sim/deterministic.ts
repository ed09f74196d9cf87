/**
 * The one place the simulation imports its deterministic generator from, so that moving
 * `DeterministicRng` (to a `crypto/testing` entry) changes one line.
 */
export { DeterministicRng } from '../../crypto/testing.js';
