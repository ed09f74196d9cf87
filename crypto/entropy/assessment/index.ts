/**
 * SP 800-90B §6.3 non-IID min-entropy estimators, and the §3.1.3 combination of them.
 */
export { assessNonIid } from './assess.js';
export type { AssessOptions, NonIidAssessment } from './assess.js';
export { Z_ALPHA, entropyOf, upperBound } from './bound.js';
export type { Estimate } from './bound.js';
export { collisionEstimate } from './collision.js';
export { compressionEstimate, compressionG } from './compression.js';
export { lagEstimate } from './lag.js';
export { lz78yEstimate } from './lz78y.js';
export { markovEstimate } from './markov.js';
export { mostCommonValueEstimate } from './most-common-value.js';
export { multiMcwEstimate } from './multi-mcw.js';
export { multiMmcEstimate } from './multi-mmc.js';
export { predictorEstimate, runProbabilityLog } from './prediction.js';
export type { PredictorCounts } from './prediction.js';
export { prepareSamples } from './samples.js';
export type { PreparedSamples } from './samples.js';
export { lcpArray, suffixArray, tupleCounts } from './suffix-array.js';
export type { TupleCounts } from './suffix-array.js';
export { tupleEstimates } from './tuple.js';
export type { TupleEstimates } from './tuple.js';
export { restartAlpha, restartColumns, restartCutoff, restartSanityCheck } from './restart.js';
export type { RestartSanityResult } from './restart.js';
