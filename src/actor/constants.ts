// The .cfg constants every actor model takes: the network and the nemesis' bounds. A model spreads
// actorConstants() into its own constants and passes actorOptions(k) to actorModel.
import { constant } from '../model/constants.js';
import { networkKind, partitionFamily, type PartitionFamily, type Split } from './nemesis.js';
import type { NetworkKindName } from './network-kinds.js';
import type { ActorSystem } from './system.js';

export function actorConstants(defaults: { network?: NetworkKindName; lossy?: boolean; partitions?: PartitionFamily } = {}) {
  return {
    /** "unordered-nonduplicating", "unordered-duplicating" or "ordered". */
    Network: networkKind(defaults.network ?? 'unordered-nonduplicating'),
    /** TRUE: every message in flight may also be dropped. */
    Lossy: constant.bool({ default: defaults.lossy ?? false }),
    /** Most actors crashed at the same time (Stateright's max_crashes). */
    MaxCrashes: constant.int({ min: 0, default: 0 }),
    /** How many partitions a behavior may start. */
    MaxPartitions: constant.int({ min: 0, default: 0 }),
    /** Which splits: "isolate-one", "majority-minority" or an explicit set of splits. */
    Partitions: partitionFamily(defaults.partitions ?? 'isolate-one'),
    /** How many pauses a behavior may start. */
    MaxPauses: constant.int({ min: 0, default: 0 }),
  };
}

export interface ActorConstantValues {
  readonly Network: NetworkKindName;
  readonly Lossy: boolean;
  readonly MaxCrashes: number;
  readonly MaxPartitions: number;
  readonly Partitions: PartitionFamily | readonly Split[];
  readonly MaxPauses: number;
}

/**
 * The network and nemesis options for actorModel, from the constants. `targets` are the actors the nemesis
 * may partition or pause; any actor may crash (Stateright's max_crashes counts every actor).
 */
export function actorOptions(k: ActorConstantValues, targets?: readonly number[]): Pick<ActorSystem, 'network' | 'nemesis'> {
  return {
    network: { kind: k.Network, lossy: k.Lossy },
    nemesis: { maxCrashes: k.MaxCrashes, maxPartitions: k.MaxPartitions, partitions: k.Partitions, maxPauses: k.MaxPauses, targets },
  };
}
