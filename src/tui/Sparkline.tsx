// A one-line chart of recent values: ▁▂▃▄▅▆▇█, scaled to the largest value shown.
import { Text } from 'ink';

const BARS = '▁▂▃▄▅▆▇█';

/** The sparkline of the last `width` values as text (exported for tests and plain captures). */
export function sparkline(values: readonly number[], width: number): string {
  const shown = values.slice(-Math.max(0, width));
  const max = Math.max(0, ...shown);
  return shown
    .map((v) => {
      if (max <= 0 || v <= 0) return BARS[0];
      const i = Math.min(BARS.length - 1, Math.max(0, Math.round((v / max) * (BARS.length - 1))));
      return BARS[i];
    })
    .join('');
}

export function Sparkline(props: { values: readonly number[]; width: number; color?: string }) {
  return <Text color={props.color ?? 'cyan'}>{sparkline(props.values, props.width)}</Text>;
}
