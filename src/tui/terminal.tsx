// Mounting full-screen apps and following the terminal's size.
import { render, useInput, useStdout, type Key } from 'ink';
import { useEffect, useState, type ReactElement } from 'react';

export interface Size {
  readonly columns: number;
  readonly rows: number;
}

/** The terminal's size, updated on resize. Explicit values (tests) win over the terminal's. */
export function useTerminalSize(columns?: number, rows?: number): Size {
  const { stdout } = useStdout();
  const read = (): Size => ({ columns: columns ?? (stdout.columns || 100), rows: rows ?? (stdout.rows || 40) });
  const [size, setSize] = useState<Size>(read);
  useEffect(() => {
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout, columns, rows]);
  return columns !== undefined || rows !== undefined ? read() : size;
}

/** Where an interactive screen is drawn; tests pass fake streams. */
export interface ScreenOptions {
  readonly stdout?: NodeJS.WriteStream;
  readonly stdin?: NodeJS.ReadStream;
  /** Draw on the terminal's alternate screen (as less and htop do); default: when stdout is a TTY. */
  readonly altScreen?: boolean;
}

const ENTER_ALT = '\x1b[?1049h\x1b[H';
const LEAVE_ALT = '\x1b[?1049l';

/**
 * Renders an app that ends itself (by calling the `done` it is given) and resolves when it has.
 * Ctrl-C also ends it. The terminal is restored even if the process exits while the app is up.
 */
export async function runScreen(app: (done: () => void) => ReactElement, opts: ScreenOptions = {}): Promise<void> {
  const stdout = opts.stdout ?? process.stdout;
  const alt = opts.altScreen ?? Boolean(stdout.isTTY);
  const leave = () => {
    if (alt) stdout.write(LEAVE_ALT);
  };
  if (alt) {
    stdout.write(ENTER_ALT);
    process.once('exit', leave);
  }
  let instance: ReturnType<typeof render> | undefined;
  let ended = false;
  const done = () => {
    if (ended) return;
    ended = true;
    // Let the keypress that ended the app finish rendering before unmounting.
    setImmediate(() => instance?.unmount());
  };
  try {
    instance = render(app(done), { stdout, stdin: opts.stdin ?? process.stdin, exitOnCtrlC: true, patchConsole: false });
    await instance.waitUntilExit();
  } finally {
    if (alt) {
      leave();
      process.off('exit', leave);
    }
  }
}

const NO_KEY: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};

/** Splits a chunk of plain text (several keys read at once) into single keys. */
export function splitKeys(input: string, key: Key): [string, Key][] {
  if (input.length <= 1 || key.ctrl || key.meta) return [[input, key]];
  return [...input].map((ch): [string, Key] => {
    if (ch === '\r' || ch === '\n') return ['', { ...NO_KEY, return: true }];
    if (ch === '\t') return ['', { ...NO_KEY, tab: true }];
    if (ch === '\x7f') return ['', { ...NO_KEY, delete: true }];
    if (ch === '\b') return ['', { ...NO_KEY, backspace: true }];
    return [ch, { ...NO_KEY, shift: /[A-Z]/.test(ch) }];
  });
}

/** Like Ink's useInput, but keys that arrive together are handled one by one, in order. */
export function useKeys(handler: (input: string, key: Key) => void, opts: { isActive?: boolean } = {}): void {
  useInput((input, key) => {
    for (const [i, k] of splitKeys(input, key)) handler(i, k);
  }, opts);
}
