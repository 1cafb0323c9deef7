// The last-writer-wins map with the delete bug fixed (crdt_fixed.tla): a set or delete carries the
// timestamps it supersedes. Everything else is models/lww-map.
import { makeLwwMap } from './lww-map.js';

export default makeLwwMap({ name: 'lww-map-fixed', description: 'The last-writer-wins replicated map, fixed (crdt_fixed.tla)', fixed: true });
