/** Where a command writes: injected so tests can run commands in-process. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Reads all of standard input (secrets piped in, e.g. `odoo connect --key-stdin`); absent: none is read. */
  readonly readStdin?: () => Promise<string>;
}

/** A command's result: its exit status (0 ok, 1 the check found problems, 2 bad input or usage). */
export type ExitCode = 0 | 1 | 2;

/** Prints a value as JSON on one document, newline-terminated. */
export function printJson(io: CliIo, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}
