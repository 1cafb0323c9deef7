// A state (or what a step changed) as styled lines of a given width: used by the trace viewer and
// the explorer.
import type { Change } from '../trace/diff.js';
import { READ_MARK } from '../trace/render-text.js';
import { seg, type Line, type Seg } from './segments.js';
import { truncate, wrap } from './format.js';

const PATH = { color: 'cyan', bold: true } as const;
const BEFORE = { color: 'red' } as const;
const AFTER = { color: 'green' } as const;

function pathOf(c: Change): string {
  return c.path.length ? c.path.join('.') : '(state)';
}

/** `label` then `value` wrapped to the width; continuation lines are indented. */
function labelled(label: Seg[], value: string, valueStyle: Omit<Seg, 'text'>, width: number, indent = 4): Line[] {
  const used = label.reduce((n, s) => n + s.text.length, 0);
  const parts = wrap(value, Math.max(8, width - indent), Math.max(8, width - used));
  return parts.map((p, i) => (i === 0 ? [...label, seg(p, valueStyle)] : [seg(' '.repeat(indent)), seg(p, valueStyle)]));
}

/** The lines of one change: `path: before → after` on one line when it fits, else spread out. */
export function changeLines(c: Change, width: number, indent = ''): Line[] {
  const path = pathOf(c);
  const head = [seg(indent), seg(path, PATH), seg(': ')];
  if (c.added || c.removed) {
    const items: [string, string, Omit<Seg, 'text'>][] = [
      ...(c.added ?? []).map((x) => ['+ ', x, AFTER] as [string, string, Omit<Seg, 'text'>]),
      ...(c.removed ?? []).map((x) => ['- ', x, BEFORE] as [string, string, Omit<Seg, 'text'>]),
    ];
    if (items.length === 0) return [[...head, seg('(nothing)', { dim: true })]];
    const one = items[0]!;
    if (items.length === 1 && indent.length + path.length + 2 + one[0].length + one[1].length <= width) {
      return [[...head, seg(one[0] + one[1], one[2])]];
    }
    const out: Line[] = [[seg(indent), seg(path, PATH), seg(':')]];
    for (const [sign, x, style] of items) out.push(...labelled([seg(indent + '  '), seg(sign, style)], x, style, width, indent.length + 4));
    return out;
  }
  const before = c.before === undefined ? '(absent)' : c.before;
  const after = c.after === undefined ? '(removed)' : c.after;
  if (indent.length + path.length + 2 + before.length + 3 + after.length <= width) {
    return [[...head, seg(before, c.before === undefined ? { dim: true } : BEFORE), seg(' → '), seg(after, c.after === undefined ? { dim: true } : AFTER)]];
  }
  return [
    [seg(indent), seg(path, PATH), seg(':')],
    ...labelled([seg(indent + '  '), seg('was ', { dim: true })], before, BEFORE, width, indent.length + 6),
    ...labelled([seg(indent + '  '), seg('now ', { dim: true })], after, AFTER, width, indent.length + 6),
  ];
}

/** Every variable, wrapped; variables the step changed are marked and followed by what changed. */
export function fullStateLines(
  vars: Readonly<Record<string, string>>,
  changes: readonly Change[],
  width: number,
  opts: { showChanges?: boolean; reads?: ReadonlySet<string> } = {},
): Line[] {
  const changedVars = new Set(changes.map((c) => c.path[0] ?? ''));
  const out: Line[] = [];
  for (const [name, value] of Object.entries(vars)) {
    const changed = changedVars.has(name) || changedVars.has('');
    // A variable the violated property reads is marked (magenta) whether or not the step changed it.
    const read = opts.reads?.has(name) ? [seg(`${READ_MARK} `, { color: 'magenta', bold: true })] : opts.reads ? [seg('  ')] : [];
    const label = changed
      ? [seg('● ', { color: 'yellow' }), ...read, seg(name, { color: 'yellow', bold: true }), seg(' = ')]
      : [seg('  '), ...read, seg(name, { bold: true, ...(opts.reads?.has(name) ? { color: 'magenta' } : {}) }), seg(' = ')];
    out.push(...labelled(label, value, changed ? { color: 'yellow' } : {}, width));
    if (changed && opts.showChanges !== false) {
      for (const c of changes.filter((x) => (x.path[0] ?? '') === name || x.path.length === 0)) {
        for (const l of changeLines(c, width, '    ↳ ')) out.push(l.map((s, i) => (i === 0 ? { ...s, dim: true } : s)));
      }
    }
  }
  return out;
}

export function diffLines(changes: readonly Change[], width: number): Line[] {
  if (changes.length === 0) return [[seg('(nothing changed: a stuttering step)', { dim: true })]];
  return changes.flatMap((c) => changeLines(c, width));
}

/**
 * The `height` lines from `offset` on (clamped), with a first line saying how many are above and a last
 * one saying how many are below, when some are.
 */
export function clip(lines: readonly Line[], height: number, offset = 0): Line[] {
  if (height <= 0) return [];
  if (lines.length <= height) return lines.slice();
  const start = Math.max(0, Math.min(offset, maxScroll(lines.length, height)));
  const out: Line[] = [];
  let room = height;
  if (start > 0) {
    out.push([seg(`… ${start} line${start === 1 ? '' : 's'} above ([ scrolls up)`, { dim: true })]);
    room--;
  }
  const rest = lines.length - start;
  if (rest <= room) return out.concat(lines.slice(start));
  out.push(...lines.slice(start, start + room - 1));
  out.push([seg(`… ${rest - (room - 1)} more lines (] scrolls down)`, { dim: true })]);
  return out;
}

/** The largest useful offset for clip: the window that shows the last line. */
export function maxScroll(length: number, height: number): number {
  return length <= height ? 0 : length - (height - 1);
}

/** Lines a pane scrolls per key press. */
export const SCROLL_STEP = 5;

/** The offset after scrolling by `delta` lines from `offset`, within [0, limit] (limit: maxScroll). */
export function scrollBy(offset: number, limit: number, delta: number): number {
  return Math.max(0, Math.min(Math.min(offset, limit) + delta, limit));
}

/** One line: `a: 1 → 2; msgs: + x`, cut to the width. */
export function oneLineChanges(changes: readonly Change[], show: (c: Change) => string, width: number): string {
  return truncate(changes.map(show).join('; '), width);
}
