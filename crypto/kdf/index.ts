export { hkdf, hkdfExtract, hkdfExpand } from './hkdf.js';
