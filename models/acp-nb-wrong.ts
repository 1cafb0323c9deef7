import { makeAcp } from './acp/acp.js';

/** ACP_NB_WRONG: a participant decides on receipt and forwards afterwards; atomicity (AC1) fails. */
export default makeAcp({
  name: 'acp-nb-wrong',
  variant: 'nb-wrong',
  description: "ACP_NB_WRONG_TLC: decide on receipt, then forward (violates AC1)",
});
