export { hkdf, hkdfExtract, hkdfExpand, HkdfLengthError, HkdfPrkTooShortError, HkdfInvalidArgumentError } from './hkdf.js';
