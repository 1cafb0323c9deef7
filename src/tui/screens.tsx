// The entry points of the terminal screens (see index.ts).
import { render } from 'ink';
import type { CompiledModel } from '../engine/compiled-model.js';
import type { Progress } from '../engine/explore.js';
import type { TraceFile } from '../trace/trace-file.js';
import { Dashboard, type DashboardMeta } from './Dashboard.js';
import { advance, initialDashboardState, type DashboardState, type DashboardSummary } from './dashboard-state.js';
import { Explorer } from './Explorer.js';
import { runScreen, useTerminalSize, type ScreenOptions } from './terminal.js';
import { TraceViewer } from './TraceViewer.js';

/** True when both ends are a terminal and not on CI: the screens are usable. */
export function isInteractive(): boolean {
  const ci = process.env.CI;
  return Boolean(process.stdout.isTTY && process.stdin.isTTY) && (ci === undefined || ci === '0' || ci === 'false');
}

function LiveDashboard(props: { meta: DashboardMeta; state: DashboardState; summary?: DashboardSummary }) {
  const { columns, rows } = useTerminalSize();
  return <Dashboard meta={props.meta} state={props.state} summary={props.summary} columns={columns} rows={rows} />;
}

export interface DashboardHandle {
  update(p: Progress): void;
  /** Shows the final numbers, then stops drawing (the last frame stays on screen). */
  finish(summary: DashboardSummary): Promise<void>;
}

/** Starts the live `quorum check` screen. It reads no keys: Ctrl-C stays with the CLI. */
export function startDashboard(meta: DashboardMeta, opts: { stdout?: NodeJS.WriteStream } = {}): DashboardHandle {
  let state = initialDashboardState;
  let finished = false;
  const instance = render(<LiveDashboard meta={meta} state={state} />, {
    stdout: opts.stdout ?? process.stdout,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  return {
    update(p) {
      if (finished) return;
      state = advance(state, p);
      instance.rerender(<LiveDashboard meta={meta} state={state} />);
    },
    async finish(summary) {
      if (finished) return;
      finished = true;
      instance.rerender(<LiveDashboard meta={meta} state={state} summary={summary} />);
      instance.unmount();
      await instance.waitUntilExit();
    },
  };
}

/** Shows a counterexample until the user presses q. */
export function showTraceViewer(trace: TraceFile, opts: { exitCode?: number } & ScreenOptions = {}): Promise<void> {
  return runScreen((done) => <TraceViewer trace={trace} exitCode={opts.exitCode} onQuit={done} />, opts);
}

/** Lets the user walk the model's state space until they press q. */
export function runExplorer(
  params: { model: CompiledModel<unknown>; specName: string; save?: (trace: TraceFile) => string; constants?: Record<string, unknown> } & ScreenOptions,
): Promise<void> {
  return runScreen((done) => <Explorer model={params.model} specName={params.specName} save={params.save} constants={params.constants} onQuit={done} />, params);
}
