import { lockNoFencing } from './lease-lock/lease-lock.js';

/** The same lease lock without fencing tokens: a client whose lease expired still writes. */
export default lockNoFencing;
