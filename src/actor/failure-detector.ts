// What an actor's environment guarantees, for timer guards (Actor.timerEnabled). By default the layer's
// timers fire at any moment (an asynchronous system). Some protocols, such as three-phase commit, are
// only safe in a synchronous system with a perfect failure detector: a timeout waiting on a peer fires
// only once that peer has really failed. A guard reads the whole state to say so. It is an assumption
// about the environment, not something the actor knows: the actor's handler still sees only its own state.
import type { ActorState, Id } from './system.js';

/** True when the partition puts a and b in different groups. */
export function separated(s: ActorState, a: Id, b: Id): boolean {
  const p = s.partition;
  if (p === null) return false;
  const ga = p.findIndex((g) => g.has(a));
  const gb = p.findIndex((g) => g.has(b));
  return ga >= 0 && gb >= 0 && ga !== gb;
}

/** A message from src to dst is in the network. */
export function inFlight(s: ActorState, src: Id, dst: Id): boolean {
  const net = s.network as unknown as { some(f: (v: unknown, k: unknown) => boolean): boolean };
  return net.some((v, k) => {
    const key = (k ?? v) as { src?: Id; dst?: Id };
    return key.src === src && key.dst === dst;
  });
}

/**
 * The perfect failure detector of a synchronous system, as seen by `me`: it suspects `peer` when the
 * peer has crashed and everything it sent to `me` has arrived (bounded delay: its last messages come
 * before the detector notices), or when a partition cuts `me` off from `peer`. A partition looks like a
 * crash to the detector, which then suspects a live node: the detector is no longer accurate.
 */
export function suspects(s: ActorState, me: Id, peer: Id): boolean {
  if (separated(s, me, peer)) return true;
  return s.crashed.get(peer) === true && !inFlight(s, peer, me);
}
