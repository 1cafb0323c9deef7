// Small text helpers shared by the screens: numbers, durations, truncation and wrapping.

/** 1234567 → "1,234,567". */
export const num = (x: number): string => Math.round(x).toLocaleString('en-US');

/** 850 → "850ms", 12_300 → "12.3s", 754_000 → "12min 34s", 4_000_000 → "1h 06min". */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}min ${String(Math.floor(s - m * 60)).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  return `${h}h ${String(m - h * 60).padStart(2, '0')}min`;
}

/** Cuts `s` to at most `width` characters, ending with "…" when cut. */
export function truncate(s: string, width: number): string {
  if (width <= 0) return '';
  if (s.length <= width) return s;
  if (width === 1) return '…';
  return s.slice(0, width - 1) + '…';
}

/** Pads or cuts `s` to exactly `width` characters. */
export function fit(s: string, width: number): string {
  return truncate(s, width).padEnd(Math.max(0, width));
}

/**
 * Splits `s` into lines of at most `width` characters, preferring to break after ", " or a space
 * (values like `{1b{a1, bal 0}, 2a{bal 0, val v1}}` stay readable). The first line may be given a
 * different width (e.g. when a label precedes it).
 */
export function wrap(s: string, width: number, firstWidth = width): string[] {
  const out: string[] = [];
  let rest = s;
  let w = Math.max(1, firstWidth);
  while (rest.length > w) {
    let cut = rest.lastIndexOf(' ', w);
    if (cut <= w / 3) cut = w; // no good break: cut hard
    else cut += 1; // keep the space on this line
    out.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut);
    w = Math.max(1, width);
  }
  out.push(rest);
  return out;
}

/** Keeps `selected` visible in a window of `size` rows over `count` rows; returns the first row shown. */
export function windowStart(count: number, size: number, selected: number, previous = 0): number {
  if (count <= size) return 0;
  let start = Math.min(Math.max(0, previous), count - size);
  if (selected < start) start = selected;
  else if (selected >= start + size) start = selected - size + 1;
  return Math.max(0, Math.min(start, count - size));
}

/** A window of `size` rows centred (as far as possible) on `selected`. */
export function centredWindow(count: number, size: number, selected: number): number {
  if (count <= size) return 0;
  return Math.max(0, Math.min(selected - Math.floor(size / 2), count - size));
}
