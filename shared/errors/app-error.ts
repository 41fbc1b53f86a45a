// The one error type of every door, in a module of its own so that shared/contract and shared/domain both
// import it without importing each other.
/** The closed set of error codes every door reports; adapters translate library errors into these. */
export const ERROR_CODES = [
  "invalid-input",
  "unknown-method",
  "unauthorised",
  "forbidden",
  "not-found",
  "conflict",
  "illegal-transition",
  "sod-violation",
  "gate-failed",
  "storage-locked",
  "storage-corrupt",
  "storage-unknown-migration",
  "storage",
  "calendar-invalid",
  "git",
  "git-remote",
  "signing",
  "cluster",
  "unavailable",
  "internal",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** A serialisable error: what every door sends back when a call fails. */
export interface AppErrorData {
  readonly code: ErrorCode;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** The one error type: a code from the closed set and a message a plant manager can act on. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, details?: Readonly<Record<string, unknown>>) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.details = details;
  }

  /** The plain-data form that crosses IPC, HTTP and the CLI. */
  toJSON(): AppErrorData {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }

  /** Rebuilds an AppError from its plain-data form (renderer side). */
  static fromData(data: AppErrorData): AppError {
    return new AppError(data.code, data.message, data.details);
  }
}

/** True when a value is an AppError (also across realms, by shape). */
export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
