// The steps of a trace, one per line, the selected one highlighted; lassos and stuttering marked.
import type { TraceFile } from '../trace/trace-file.js';
import { centredWindow, truncate } from './format.js';
import { Lines, seg, type Line } from './segments.js';

export function stepListLines(trace: TraceFile, selected: number, width: number, height: number): Line[] {
  const steps = trace.trace;
  const v = trace.violation;
  const tail: Line[] = [];
  if (v.stuttering) tail.push([seg(`⟳ stuttering at state ${steps.length}`, { color: 'yellow', bold: true })]);
  else if (v.loopStart !== undefined) tail.push([seg(`↩ back to state ${v.loopStart + 1}`, { color: 'yellow', bold: true })]);
  const room = Math.max(1, height - tail.length);
  const start = centredWindow(steps.length, room, selected);
  const out: Line[] = [];
  for (let i = start; i < Math.min(steps.length, start + room); i++) {
    const s = steps[i]!;
    const isSel = i === selected;
    const last = i === steps.length - 1;
    const loop = v.loopStart === i ? '↺' : ' ';
    const mark = last && !v.stuttering && v.loopStart === undefined ? '✘' : ' ';
    const text = truncate(`${isSel ? '▸' : ' '}${String(s.index).padStart(3)}${loop}${s.action}`, width - 2).padEnd(width - 2);
    out.push([seg(text, isSel ? { inverse: true, bold: true } : {}), seg(' '), seg(mark, { color: 'red', bold: true })]);
  }
  // Say when steps are hidden above or below.
  const shownEnd = Math.min(steps.length, start + room);
  if (start > 0 && out.length > 2 && selected !== start) out[0] = [seg(truncate(`   ↑ ${start + 1} more`, width), { dim: true })];
  if (shownEnd < steps.length && out.length > 2 && selected !== shownEnd - 1) {
    out[out.length - 1] = [seg(truncate(`   ↓ ${steps.length - shownEnd + 1} more`, width), { dim: true })];
  }
  return [...out, ...tail];
}

export function StepList(props: { trace: TraceFile; selected: number; width: number; height: number }) {
  return <Lines lines={stepListLines(props.trace, props.selected, props.width, props.height)} />;
}
