// The nemesis' partition families, and the .cfg constants that configure the network and the nemesis.
import type { List, Set as ISet } from 'immutable';
import { showCfgValue, type CfgValue, type ConstantType } from '../model/constants.js';
import { NETWORK_KINDS_LIST, type NetworkKindName } from './network-kinds.js';

/** A split: the groups of actor names that can talk among themselves, e.g. [['n1'], ['n2', 'n3']]. */
export type Split = readonly (readonly string[])[];
export const PARTITION_FAMILIES = ['isolate-one', 'majority-minority'] as const;
export type PartitionFamily = (typeof PARTITION_FAMILIES)[number];

/** Each node alone against the rest. */
export function isolateOne(nodes: readonly number[]): (readonly number[])[][] {
  if (nodes.length < 2) return [];
  return nodes.map((a) => [[a], nodes.filter((b) => b !== a)]);
}

/** Every split of the nodes into a majority and a (non-empty) minority. */
export function majorityMinority(nodes: readonly number[]): (readonly number[])[][] {
  const out: (readonly number[])[][] = [];
  const k = nodes.length;
  for (let mask = 1; mask < 1 << k; mask++) {
    const minority = nodes.filter((_, i) => mask & (1 << i));
    if (2 * minority.length >= k) continue;
    out.push([minority, nodes.filter((_, i) => !(mask & (1 << i)))]);
  }
  return out.sort((a, b) => a[0]!.length - b[0]!.length);
}

/** `{n1} | {n2, n3}`. */
export function showSplit(split: List<ISet<number>>, names: readonly string[]): string {
  return split
    .map((g) => `{${g.toArray().sort((a, b) => a - b).map((i) => names[i] ?? `#${i}`).join(', ')}}`)
    .join(' | ');
}

/** The Network constant: "unordered-nonduplicating", "unordered-duplicating" or "ordered". */
export function networkKind(fallback: NetworkKindName): ConstantType<NetworkKindName> {
  return {
    describe: `one of ${NETWORK_KINDS_LIST.map((k) => `"${k}"`).join(', ')}`,
    optional: true,
    convert(v) {
      // Written as a string: the constants resolver reads any other string result as an error message.
      if (v.kind !== 'string' || !(NETWORK_KINDS_LIST as readonly string[]).includes(v.value)) {
        return `unknown network kind ${showCfgValue(v)}; expected one of ${NETWORK_KINDS_LIST.map((k) => `"${k}"`).join(', ')}`;
      }
      return v.value as NetworkKindName;
    },
    fallback: () => fallback,
  };
}

/** The Partitions constant: a family name ("isolate-one", "majority-minority") or a set of splits {{{n1}, {n2, n3}}, ...}. */
export function partitionFamily(fallback: PartitionFamily = 'isolate-one'): ConstantType<PartitionFamily | readonly Split[]> {
  const expected = `"isolate-one", "majority-minority" or a set of splits like {{{n1}, {n2, n3}}}`;
  return {
    describe: expected,
    optional: true,
    convert(v) {
      if (v.kind === 'string' || v.kind === 'modelValue') {
        const name = v.kind === 'string' ? v.value : v.name;
        if (v.kind === 'string' && (PARTITION_FAMILIES as readonly string[]).includes(name)) return name as PartitionFamily;
        return `unknown partition family ${showCfgValue(v)}; expected ${expected}`;
      }
      if (v.kind !== 'set') return `expected ${expected}, got ${showCfgValue(v)}`;
      const splits: Split[] = [];
      for (const split of v.items) {
        if (split.kind !== 'set' || split.items.length < 2) return `a split must be a set of at least two groups, got ${showCfgValue(split)}`;
        const groups: string[][] = [];
        const seen = new Set<string>();
        for (const g of split.items) {
          if (g.kind !== 'set' || g.items.length === 0) return `a group must be a non-empty set of actor names, got ${showCfgValue(g)}`;
          const names: string[] = [];
          for (const x of g.items) {
            if (x.kind !== 'modelValue') return `a group must hold actor names, got ${showCfgValue(x as CfgValue)}`;
            if (seen.has(x.name)) return `${x.name} is in two groups of ${showCfgValue(split)}`;
            seen.add(x.name);
            names.push(x.name);
          }
          groups.push(names);
        }
        splits.push(groups);
      }
      return splits;
    },
    fallback: () => fallback,
  };
}
