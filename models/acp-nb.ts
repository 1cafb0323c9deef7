import { makeAcp } from './acp/acp.js';

/** ACP_NB: a participant forwards the coordinator's decision to every other one before it decides. */
export default makeAcp({
  name: 'acp-nb',
  variant: 'nb',
  description: "Non-blocking atomic commitment (Merz's ACP_NB): forward the decision to all, then decide",
});
