// The history checker: linearizability (and sequential consistency) of client histories against
// sequential specifications. See types.ts for the vocabulary and wgl.ts for the search.
export type {
  Operation,
  OpStatus,
  SequentialSpec,
  Consistency,
  CheckOptions,
  HistoryVerdict,
  Explanation,
  ExplainedOp,
} from './types.js';
export { checkOperations, partitionOps, searchableOps, explain } from './check.js';
export { Keyword, kw, printEdn } from './edn-value.js';
export type { JepsenInput } from './models/common.js';
export { registerSpec } from './models/register.js';
export { casRegisterSpec } from './models/cas-register.js';
export { etcdSpec } from './models/etcd.js';
export { kvSpec } from './models/kv.js';
export { multiRegisterSpec } from './models/multi-register.js';
export { mutexSpec } from './models/mutex.js';
export { counterSpec } from './models/counter.js';
export { MODELS, findModel } from './models/index.js';
