/**
 * server/: the entropy server (`hrng serve`), its reports (`hrng report`) and the ceremony helper
 * (`hrng ceremony`). Built on crypto/'s Rng; imports crypto/ only.
 */
export { ServerError, SERVER_ERROR_CODES } from './errors.js';
export type { ServerErrorCode } from './errors.js';
export { createEntropyServer } from './server.js';
export type { EntropyServer, EntropyServerOptions } from './server.js';
export { readTokenFile, parseTokenFile, matchToken, allow, RateLimiter } from './tokens.js';
export type { TokenEntry, Bucket } from './tokens.js';
export { healthDecision, mayServe } from './health.js';
export { parseLegacyAnu, parseCurrentAnu, parseRandom, parseStream, anuByteCount } from './query.js';
export type { AnuRequest, RandomRequest, StreamRequest, Parsed, BadQuery } from './query.js';
export { anuBody, anuData } from './anu.js';
export { renderMarkdown, renderHtml, summarize } from './report/index.js';
export type { ReportData, TestSummary, EntropyEstimate } from './report/index.js';
export {
  drawContribution,
  contributionHash,
  kzgSecrets,
  formatContribution,
  CommitmentLog,
  transcript,
  CEREMONY_FORMATS,
  BLS12_381_R,
} from './ceremony.js';
export type { CeremonyFormat, CommitmentRecord, Transcript } from './ceremony.js';
