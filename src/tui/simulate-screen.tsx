// The live `quorum simulate` screen (as startDashboard is check's): it reads no keys, Ctrl-C stays with the CLI.
import { render } from 'ink';
import type { SimulateProgress } from '../simulate/index.js';
import { SimulateDashboard, type SimulateDashboardMeta, type SimulateDashboardSummary } from './SimulateDashboard.js';
import { advanceSimulate, initialSimulateDashboardState, stopping, type SimulateDashboardState } from './simulate-dashboard-state.js';
import { useTerminalSize } from './terminal.js';

function LiveSimulateDashboard(props: { meta: SimulateDashboardMeta; state: SimulateDashboardState; summary?: SimulateDashboardSummary }) {
  const { columns, rows } = useTerminalSize();
  return <SimulateDashboard meta={props.meta} state={props.state} summary={props.summary} columns={columns} rows={rows} />;
}

export interface SimulateDashboardHandle {
  update(p: SimulateProgress): void;
  /** Ctrl-C was pressed: say the run is stopping. */
  interrupt(): void;
  /** Shows the final numbers, then stops drawing (the last frame stays on screen). */
  finish(summary: SimulateDashboardSummary): Promise<void>;
}

export function startSimulateDashboard(meta: SimulateDashboardMeta, opts: { stdout?: NodeJS.WriteStream } = {}): SimulateDashboardHandle {
  let state = initialSimulateDashboardState;
  let finished = false;
  const instance = render(<LiveSimulateDashboard meta={meta} state={state} />, {
    stdout: opts.stdout ?? process.stdout,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  const draw = () => instance.rerender(<LiveSimulateDashboard meta={meta} state={state} />);
  return {
    update(p) {
      if (finished) return;
      state = advanceSimulate(state, p);
      draw();
    },
    interrupt() {
      if (finished) return;
      state = stopping(state);
      draw();
    },
    async finish(summary) {
      if (finished) return;
      finished = true;
      instance.rerender(<LiveSimulateDashboard meta={meta} state={state} summary={summary} />);
      instance.unmount();
      await instance.waitUntilExit();
    },
  };
}
