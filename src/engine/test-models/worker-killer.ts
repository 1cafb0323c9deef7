// A counter whose action kills the thread it runs on once x reaches 5: for the "worker dies" tests.
import { isMainThread } from 'node:worker_threads';
import { constant } from '../../model/constants.js';
import { defineModel } from '../../model/model.js';

export default defineModel({
  name: 'worker-killer',
  constants: { Limit: constant.int({ min: 1, default: 50 }) },
  build({ Limit }) {
    return {
      init: [0],
      actions: {
        Inc: {
          step: (x: number) => {
            if (x === 5 && !isMainThread) process.exit(7);
            return x < Limit ? x + 1 : undefined;
          },
        },
      },
    };
  },
});
