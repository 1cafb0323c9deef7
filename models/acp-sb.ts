import { makeAcp } from './acp/acp.js';

/** ACP_SB: atomic commitment with a simple broadcast (2PC whose coordinator can crash); it blocks. */
export default makeAcp({
  name: 'acp-sb',
  variant: 'sb',
  description: "Atomic commitment with simple broadcast (Merz's ACP_SB): 2PC whose coordinator can crash",
});
