// The Raft model (MODEL raft): raft.tla's semantics, see ./raft.ts.
import { makeRaft } from './raft.js';

export default makeRaft({ name: 'raft' });
