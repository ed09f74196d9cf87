export type { RandomSource } from './random-source.js';
