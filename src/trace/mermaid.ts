// A trace as a Mermaid sequence diagram, from the model's message view: one participant per node, an
// arrow for each message sent (at the step that sent it), and a note per step naming its action.
import type { TraceFile } from './trace-file.js';

/** Mermaid reads `;` and `#` in a message as markup: they are written as its entity codes. */
function text(s: string): string {
  return s.replace(/[#;]/g, (c) => `#${c.charCodeAt(0)};`).replace(/[\r\n]+/g, ' ');
}

export function renderMermaid(t: TraceFile): string {
  const names: string[] = [...(t.nodes ?? [])];
  const add = (n: string | undefined) => {
    if (n !== undefined && !names.includes(n)) names.push(n);
  };
  for (const s of t.trace) for (const m of [...(s.sent ?? []), ...(s.received ?? [])]) {
    add(m.from);
    add(m.to);
  }
  const id = (n: string) => `p${names.indexOf(n)}`;
  const lines = ['sequenceDiagram'];
  for (const n of names) lines.push(`  participant ${id(n)} as ${text(n)}`);
  const span = names.length === 0 ? undefined : names.length === 1 ? id(names[0]!) : `${id(names[0]!)},${id(names[names.length - 1]!)}`;
  for (const s of t.trace) {
    const flag = s.discarded ? ' (discarded by the ACTION_CONSTRAINT)' : '';
    if (span) lines.push(`  Note over ${span}: ${s.index}. ${text(s.action)}${flag}`);
    for (const m of s.received ?? []) if (m.to !== undefined) lines.push(`  Note right of ${id(m.to)}: receives ${text(m.label)}`);
    for (const m of s.sent ?? []) {
      if (m.to !== undefined) lines.push(`  ${id(m.from)}->>${id(m.to)}: ${text(m.label)}`);
      else lines.push(`  Note over ${id(m.from)}: broadcasts ${text(m.label)}`);
    }
  }
  const v = t.violation;
  if (span) lines.push(`  Note over ${span}: ${text(`${v.kind} ${v.name} violated`)}`);
  return lines.join('\n');
}
