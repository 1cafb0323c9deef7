// The message-sequence view: lanes per node, arrows per message, the selected step highlighted
// and the steps after it dimmed.
import { Box } from 'ink';
import type { TraceFile } from '../trace/trace-file.js';
import { buildSequenceChart, chartWindowStart } from './sequence-chart.js';
import { Lines, seg, type Line } from './segments.js';

export function messageChartLines(trace: TraceFile, selected: number, width: number, height: number): Line[] {
  const chart = buildSequenceChart(trace, width);
  if (!chart.hasMessages) {
    return [[seg('This model declares no message view (messageView), so there is no sequence chart.', { dim: true })]];
  }
  const room = Math.max(1, height - 1);
  const start = chartWindowStart(chart, selected, room);
  const rows = chart.rows.slice(start, start + room).map((r): Line => {
    if (r.step === selected && r.kind === 'step') {
      const [first, ...rest] = r.line;
      return [seg('▸', { color: 'cyan', bold: true }), { ...first!, text: first!.text.slice(1), inverse: true }, ...rest.map((s) => ({ ...s, inverse: true, dim: false }))];
    }
    if (r.step > selected) return r.line.map((s) => ({ ...s, dim: true }));
    return r.line;
  });
  return [chart.header, ...rows];
}

export function MessageChart(props: { trace: TraceFile; selected: number; width: number; height: number }) {
  return (
    <Box flexDirection="column">
      <Lines lines={messageChartLines(props.trace, props.selected, props.width, props.height)} />
    </Box>
  );
}
