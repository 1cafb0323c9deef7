// Errors as values with stable codes (as Quint does): the CLI maps a code to an exit code and a one-line message.

export type ErrorCode =
  | 'FILE_NOT_FOUND'
  | 'CFG_SYNTAX'
  | 'CFG_INVALID'
  | 'UNKNOWN_MODEL'
  | 'MODEL_LOAD'
  | 'CONSTANT_MISSING'
  | 'CONSTANT_TYPE'
  | 'UNKNOWN_NAME'
  | 'MODEL_THREW'
  | 'STATE_NOT_IMMUTABLE'
  | 'TYPE_ERROR'
  | 'STEP_RESULT'
  | 'BAD_PARAMS'
  | 'TRACE_WRITE'
  | 'USAGE'
  | 'HISTORY_SYNTAX'
  | 'HISTORY_INVALID'
  | 'WORKER_DIED'
  | 'INTERNAL'
  /** The run needed more memory than there is (the liveness graph): it stops with what it counted. */
  | 'OUT_OF_MEMORY'
  /** The run stopped before going over its memory budget (--memory), leaving a resume point. */
  | 'MEMORY_BUDGET'
  /** A checkpoint or spill file is damaged or not a checkpoint. */
  | 'CHECKPOINT_INVALID'
  /** A resume whose model, constants or properties are not the checkpoint's. */
  | 'RESUME_MISMATCH'
  /** The run folder cannot be created or written. */
  | 'RUN_DIR';

/** Which exit-code class an error belongs to. */
export function isBadInput(code: ErrorCode): boolean {
  return code !== 'WORKER_DIED' && code !== 'INTERNAL' && code !== 'OUT_OF_MEMORY' && code !== 'MEMORY_BUDGET' && code !== 'RUN_DIR';
}

export class QuorumError extends Error {
  readonly code: ErrorCode;
  /** Where: "file:line:col", "file", or an action name; shown before the message. */
  readonly where?: string;
  readonly details?: Record<string, unknown>;
  constructor(code: ErrorCode, message: string, where?: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'QuorumError';
    this.code = code;
    this.where = where;
    this.details = details;
  }
  /** The one line users see. */
  oneLine(): string {
    return `${this.where ? `${this.where}: ` : ''}error[${this.code}]: ${this.message}`;
  }
}
