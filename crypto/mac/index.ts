export { hmac, hmacVerify } from './hmac.js';
