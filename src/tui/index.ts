// The terminal screens of quorum: the live dashboard of `quorum check`, the counterexample viewer
// and the interactive explorer. The CLI decides when to use them (isInteractive) and falls back to
// plain text otherwise.
export { isInteractive, startDashboard, showTraceViewer, runExplorer, type DashboardHandle } from './screens.js';
export type { DashboardMeta } from './Dashboard.js';
export type { DashboardSummary } from './dashboard-state.js';
export type { ScreenOptions } from './terminal.js';
export { Dashboard } from './Dashboard.js';
export { TraceViewer } from './TraceViewer.js';
export { Explorer } from './Explorer.js';
export { HistoryTimeline, showHistoryTimeline } from './HistoryTimeline.js';
export { startSimulateDashboard, type SimulateDashboardHandle } from './simulate-screen.js';
export { SimulateDashboard, type SimulateDashboardMeta, type SimulateDashboardSummary } from './SimulateDashboard.js';
