/**
 * Secret sharing: Shamir over GF(256), constant time and table-free, with authenticated shares and
 * proactive refresh. Pure mathematics, no I/O (quorum/ moves the shares around).
 */
export { gfMul, gfInv, gfDiv } from './gf256.js';
export type { RawShare } from './shamir.js';
export { splitRaw, combineRaw, drawXs, lagrangeAtZero, MAX_SHARES, MAX_SECRET_BYTES } from './shamir.js';
export type { ShareInfo, SplitOptions, CombineOptions, ShareCommitment } from './authenticated.js';
export type { SplitSecretOptions, SealOptions, ShareFormatVersion } from './authenticated.js';
export { SHARE_FORMAT_V2, commitRawShareV2, encodeShareV2 } from './authenticated.js';
export {
  SHARE_FORMAT_VERSION,
  splitSecret,
  combineShares,
  inspectShare,
  verifyShareSet,
  sealShares,
  commitRawShare,
  encodeShare,
} from './authenticated.js';
export type { RefreshPlan } from './refresh.js';
export { planRefresh, refreshSubShares, addSubShare, refreshShares, refreshEach } from './refresh.js';
export { ShareInvalidError, ShareTooFewError } from './errors.js';
