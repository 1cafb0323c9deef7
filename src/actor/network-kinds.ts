// The three networks (Stateright's): a multiset of envelopes, a set of envelopes that stay deliverable
// once sent, and one FIFO channel per sender–receiver pair.
export const NETWORK_KINDS_LIST = ['unordered-nonduplicating', 'unordered-duplicating', 'ordered'] as const;
export type NetworkKindName = (typeof NETWORK_KINDS_LIST)[number];
