// Styled text runs: the screens build their rows as lists of segments, so that the layout (which
// is plain data, testable without a terminal) stays apart from the drawing.
import { Box, Text } from 'ink';

export interface Seg {
  readonly text: string;
  readonly color?: string;
  readonly bold?: boolean;
  readonly dim?: boolean;
  readonly inverse?: boolean;
}

export type Line = readonly Seg[];

export const seg = (text: string, style: Omit<Seg, 'text'> = {}): Seg => ({ text, ...style });

export function lineText(line: Line): string {
  return line.map((s) => s.text).join('');
}

/** One row per line, cut at the box's width (never wrapped, so heights stay exact). */
export function Lines(props: { lines: readonly Line[]; dimAll?: boolean }) {
  return (
    <Box flexDirection="column">
      {props.lines.map((line, i) => (
        <Text key={i} wrap="truncate-end">
          {line.length === 0 ? ' ' : null}
          {line.map((s, j) => (
            <Text key={j} color={s.color} bold={s.bold} dimColor={s.dim || props.dimAll} inverse={s.inverse}>
              {s.text}
            </Text>
          ))}
        </Text>
      ))}
    </Box>
  );
}

/** A grid of characters with a style per cell, turned into segments row by row. */
export class Canvas {
  private readonly chars: string[];
  private readonly styles: (Omit<Seg, 'text'> | undefined)[];

  constructor(readonly width: number) {
    this.chars = new Array<string>(width).fill(' ');
    this.styles = new Array<Omit<Seg, 'text'> | undefined>(width).fill(undefined);
  }

  put(x: number, text: string, style?: Omit<Seg, 'text'>): void {
    for (let i = 0; i < text.length; i++) {
      const at = x + i;
      if (at < 0 || at >= this.width) continue;
      this.chars[at] = text[i]!;
      this.styles[at] = style;
    }
  }

  fill(from: number, to: number, ch: string, style?: Omit<Seg, 'text'>): void {
    for (let x = Math.max(0, from); x <= Math.min(this.width - 1, to); x++) {
      this.chars[x] = ch;
      this.styles[x] = style;
    }
  }

  toLine(): Seg[] {
    const out: Seg[] = [];
    let end = this.width;
    while (end > 0 && this.chars[end - 1] === ' ' && this.styles[end - 1] === undefined) end--;
    let start = 0;
    for (let x = 1; x <= end; x++) {
      if (x === end || this.styles[x] !== this.styles[start]) {
        out.push({ text: this.chars.slice(start, x).join(''), ...(this.styles[start] ?? {}) });
        start = x;
      }
    }
    return out;
  }
}

/** The key footer: `key what` pairs, keys in bold cyan. */
export function Keys(props: { keys: [string, string][] }) {
  return (
    <Text wrap="truncate-end">
      {props.keys.map(([k, what]) => (
        <Text key={k}>
          <Text bold color="cyan">
            {k}
          </Text>
          <Text dimColor>{` ${what}   `}</Text>
        </Text>
      ))}
    </Text>
  );
}
