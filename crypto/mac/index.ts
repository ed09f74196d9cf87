export { hmac, hmacVerify, MacInvalidArgumentError } from './hmac.js';
