// The explorer's state and key handling, apart from drawing: the path walked so far, the states
// visited, the selection, the search prompt and a running search. Keys mutate it synchronously, so
// several keys arriving in one chunk (fast typing, pastes, tmux send-keys) act in order.
import type { CompiledModel } from '../engine/compiled-model.js';
import { fingerprint } from '../engine/fingerprint.js';
import { diffStates, type Change } from '../trace/diff.js';
import { DEFAULT_SEARCH_BUDGET, enabledSteps, goalText, parseSearch, searchTargets, ViolationSearch, type SearchStats, type Successor } from './explorer-core.js';
import type { Args } from '../model/model.js';
import { buildTraceFile, type TraceFile } from '../trace/trace-file.js';
import { num } from './format.js';

export interface Entry<S = unknown> {
  readonly state: S;
  /** The action that led here; null for an initial state. */
  readonly label: string | null;
  readonly fp: bigint;
  readonly changes: Change[];
  /** The action's name and arguments (for a saved trace); absent for an initial state. */
  readonly action?: string;
  readonly args?: Args;
}

export type ExplorerMode = 'main' | 'prompt' | 'search';
export interface Message {
  readonly text: string;
  readonly color: 'red' | 'green' | 'yellow' | 'cyan';
}

/** The parts of Ink's Key the explorer reads. */
export interface KeyInfo {
  readonly upArrow?: boolean;
  readonly downArrow?: boolean;
  readonly leftArrow?: boolean;
  readonly rightArrow?: boolean;
  readonly pageUp?: boolean;
  readonly pageDown?: boolean;
  readonly return?: boolean;
  readonly escape?: boolean;
  readonly backspace?: boolean;
  readonly delete?: boolean;
  readonly tab?: boolean;
  readonly ctrl?: boolean;
  readonly meta?: boolean;
}

export type KeyResult = 'quit' | 'search' | undefined;

export class ExplorerSession<S = unknown> {
  history: Entry<S>[] = [];
  readonly visited = new Set<bigint>();
  cursor = 0;
  mode: ExplorerMode = 'main';
  prompt = '';
  message: Message | null = null;
  showInvariants = false;
  search: ViolationSearch<S> | null = null;
  searchStats: SearchStats | null = null;
  readonly targets: string[];
  private cache: { entry: Entry<S>; succs: Successor<S>[]; error?: string } | undefined;

  constructor(
    readonly model: CompiledModel<S>,
    private readonly opts: {
      random?: () => number;
      searchBudget?: number;
      /** Writes a saved path (`w`) and says where: a file `quorum trace` opens. */
      save?: (trace: TraceFile) => string;
      spec?: string;
      constants?: Record<string, unknown>;
    } = {},
  ) {
    this.targets = searchTargets(model as CompiledModel<unknown>);
    if (model.init.length === 1) this.pickInit(0);
  }

  get current(): Entry<S> | undefined {
    return this.history.at(-1);
  }

  /** No state chosen yet: the model has several initial states (or none). */
  get picking(): boolean {
    return this.history.length === 0;
  }

  /** The successors of the current state, computed once per state. */
  enabled(): { succs: Successor<S>[]; error?: string } {
    const entry = this.current;
    if (!entry) return { succs: [] };
    if (this.cache?.entry !== entry) {
      try {
        this.cache = { entry, succs: enabledSteps(this.model, entry.state) };
      } catch (e) {
        this.cache = { entry, succs: [], error: e instanceof Error ? e.message : String(e) };
      }
    }
    return this.cache;
  }

  private push(entries: Entry<S>[]): void {
    for (const e of entries) this.visited.add(e.fp);
    this.history.push(...entries);
    this.cursor = 0;
  }

  pickInit(i: number): void {
    const s = this.model.init[i];
    if (s === undefined) return;
    this.push([{ state: s, label: null, fp: fingerprint(s), changes: [] }]);
    this.message = null;
  }

  take(succ: Successor<S>): void {
    this.push([{ state: succ.state, label: succ.label, fp: succ.fp, changes: succ.changes, action: succ.action, args: succ.args }]);
    this.message = succ.violates
      ? { text: `This state violates ${succ.violates}.`, color: 'red' }
      : !succ.inConstraint
        ? { text: 'This state is outside the constraint: the checker would not explore past it.', color: 'yellow' }
        : !succ.allowed
          ? { text: 'An action constraint discards this step: the checker would not take it.', color: 'yellow' }
          : null;
  }

  back(): void {
    if (this.history.length > 1 || (this.history.length === 1 && this.model.init.length > 1)) {
      this.history.pop();
      this.cursor = 0;
      this.message = null;
    }
  }

  randomStep(): void {
    const { succs } = this.enabled();
    if (succs.length === 0) {
      this.message = { text: 'No enabled actions: nowhere to go.', color: 'yellow' };
      return;
    }
    const r = (this.opts.random ?? Math.random)();
    this.take(succs[Math.min(succs.length - 1, Math.floor(r * succs.length))]!);
  }

  /** The budget of the last search (adjustable in the prompt: `/ Agreement 500000`). */
  budget(): number {
    return this.lastBudget ?? this.opts.searchBudget ?? DEFAULT_SEARCH_BUDGET;
  }
  private lastBudget: number | undefined;

  /** The path walked so far as a trace file; a violated selected invariant at its end is named. */
  pathTrace(): TraceFile | undefined {
    const cur = this.current;
    if (!cur) return undefined;
    const steps = this.history.map((e) => ({ action: e.label ?? 'Init', actionName: e.action ?? 'Init', args: e.args ?? {}, state: e.state }));
    const bad = this.model.violatedInvariant(cur.state);
    const violation = bad !== undefined ? { kind: 'invariant', name: bad } : { kind: 'path', name: 'explored' };
    return buildTraceFile(this.model as never, violation, steps, { spec: this.opts.spec, constants: this.opts.constants });
  }

  /** `w`: saves the path walked so far where `quorum trace` opens it. */
  savePath(): void {
    const t = this.pathTrace();
    if (!t) return;
    if (!this.opts.save) {
      this.message = { text: 'Saving is not available here.', color: 'yellow' };
      return;
    }
    try {
      const file = this.opts.save(t);
      this.message = { text: `Saved the path (${t.trace.length} state${t.trace.length === 1 ? '' : 's'}) to ${file}: quorum trace ${file} opens it.`, color: 'green' };
    } catch (e) {
      this.message = { text: `Could not save the path: ${e instanceof Error ? e.message : String(e)}`, color: 'red' };
    }
  }

  startSearch(name: string, budget?: number): boolean {
    const cur = this.current;
    if (!cur) return false;
    if (budget !== undefined) this.lastBudget = budget;
    try {
      this.search = new ViolationSearch(this.model, cur.state, name, this.budget());
    } catch (e) {
      this.message = { text: e instanceof Error ? e.message : String(e), color: 'red' };
      this.mode = 'main';
      return false;
    }
    this.searchStats = this.search.stats;
    this.mode = 'search';
    this.message = null;
    if (this.search.status !== 'running') this.endSearch();
    return this.mode === 'search';
  }

  cancelSearch(): void {
    this.search = null;
    this.searchStats = null;
    this.mode = 'main';
    this.message = { text: 'Search cancelled.', color: 'yellow' };
  }

  /** Runs the search for about `sliceMs`; false once it has ended (or there is none). */
  tickSearch(sliceMs = 25): boolean {
    const search = this.search;
    if (!search || this.mode !== 'search') return false;
    search.run(sliceMs);
    this.searchStats = search.stats;
    if (search.status === 'running') return true;
    this.endSearch();
    return false;
  }

  /** Runs a search to its end (tests and scripted use). */
  finishSearch(): void {
    while (this.tickSearch(1000));
  }

  private endSearch(): void {
    const search = this.search!;
    const st = search.stats;
    this.search = null;
    this.searchStats = null;
    this.mode = 'main';
    switch (search.status) {
      case 'found': {
        const path = search.path();
        if (path.length === 0) {
          this.message = { text: `The current state is ${goalText(search.goal)}.`, color: 'red' };
          return;
        }
        const show = (v: unknown) => this.model.showValue(v);
        let prev = this.current!.state;
        const entries = path.map((p) => {
          const e: Entry<S> = { state: p.state, label: p.label, fp: fingerprint(p.state), changes: diffStates(prev, p.state, show), action: p.action, args: p.args };
          prev = p.state;
          return e;
        });
        this.push(entries);
        this.message = {
          text: `Found ${goalText(search.goal)}, ${path.length} step${path.length === 1 ? '' : 's'} away (searched ${num(st.distinct)} states).`,
          color: search.goal.kind === 'reachability' ? 'green' : 'red',
        };
        return;
      }
      case 'exhausted':
        this.message = { text: `Nothing reachable from here is ${goalText(search.goal)} (all ${num(st.distinct)} states searched).`, color: search.goal.kind === 'reachability' ? 'red' : 'green' };
        return;
      case 'budget':
        this.message = {
          text: `No ${goalText(search.goal).replace(/^an? /, '')} within ${num(search.budget)} states (depth ${st.depth}); a larger budget: / ${search.name} ${search.budget * 4}`,
          color: 'yellow',
        };
        return;
      default:
        this.message = { text: `The search stopped: ${search.error}`, color: 'red' };
    }
  }

  /** Handles one key; says when the explorer should quit or a search has started. */
  key(input: string, key: KeyInfo): KeyResult {
    if (this.mode === 'search') {
      if (key.escape) this.cancelSearch();
      return undefined;
    }
    if (this.mode === 'prompt') return this.promptKey(input, key);
    if (input === 'q') return 'quit';
    if (this.picking) {
      if (key.upArrow || input === 'k') this.cursor = Math.max(0, this.cursor - 1);
      else if (key.downArrow || input === 'j') this.cursor = Math.min(Math.max(0, this.model.init.length - 1), this.cursor + 1);
      else if (key.return) this.pickInit(this.cursor);
      return undefined;
    }
    const { succs } = this.enabled();
    const last = Math.max(0, succs.length - 1);
    if (key.upArrow || input === 'k') this.cursor = Math.max(0, this.cursor - 1);
    else if (key.downArrow || input === 'j') this.cursor = Math.min(last, this.cursor + 1);
    else if (key.pageUp) this.cursor = Math.max(0, this.cursor - 10);
    else if (key.pageDown) this.cursor = Math.min(last, this.cursor + 10);
    else if (input === 'g') this.cursor = 0;
    else if (input === 'G') this.cursor = last;
    else if (key.return || key.rightArrow || input === 'l') {
      const s = succs[this.cursor];
      if (s) this.take(s);
    } else if (key.backspace || key.delete || key.leftArrow || input === 'h') this.back();
    else if (input === 'r') this.randomStep();
    else if (input === 'i') this.showInvariants = !this.showInvariants;
    else if (input === 'w') this.savePath();
    else if (key.escape) {
      this.showInvariants = false;
      this.message = null;
    } else if (input === '/') {
      this.mode = 'prompt';
      this.prompt = '';
    }
    return undefined;
  }

  private promptKey(input: string, key: KeyInfo): KeyResult {
    if (key.escape) {
      this.mode = 'main';
      this.prompt = '';
    } else if (key.return) {
      const parsed = parseSearch(this.prompt);
      this.prompt = '';
      this.mode = 'main';
      if ('error' in parsed) {
        this.message = { text: parsed.error, color: 'red' };
        return undefined;
      }
      const name = parsed.name || this.targets[0];
      if (!name) this.message = { text: 'The model defines nothing to search for.', color: 'yellow' };
      else if (!this.targets.includes(name)) this.message = { text: `No invariant or property named ${name}; a search can look for ${this.targets.join(', ')}.`, color: 'red' };
      else if (this.startSearch(name, parsed.budget)) return 'search';
    } else if (key.backspace || key.delete) this.prompt = this.prompt.slice(0, -1);
    else if (key.tab) {
      const match = this.targets.find((t) => t.toLowerCase().startsWith(this.prompt.toLowerCase()));
      if (match) this.prompt = match;
    } else if (input && !key.ctrl && !key.meta) this.prompt += input;
    return undefined;
  }
}
