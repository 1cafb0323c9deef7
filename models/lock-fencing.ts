import { lockFencing } from './lease-lock/lease-lock.js';

/** A lease lock whose storage rejects writes with a stale fencing token. */
export default lockFencing;
