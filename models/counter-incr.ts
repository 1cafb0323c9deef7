import { makeCounter } from './counter-get-set.js';

/** The same clients with INCR: the server increments atomically, so no update is lost. */
export default makeCounter('counter-incr', true, 'Clients increment a counter with INCR, then read it');
