import { makeZab } from './zab.js';

export default makeZab({
  name: 'zab',
  description: "ZooKeeper's atomic broadcast (Zab), as in the ZooKeeper project's protocol specification Zab.tla",
});
