import { AppError } from "../../shared/contract/errors";
import { UsageError } from "./args";
import type { Command } from "./commands/index";
import type { CliIo, ExitCode } from "./io";

/** Runs a command's body; every failure becomes a one-line message on standard error and exit status 2. */
export async function reportFailures(name: string, io: CliIo, body: () => Promise<ExitCode>): Promise<ExitCode> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`shiftgate ${name}: ${error.message} (see shiftgate --help)\n`);
      return 2;
    }
    if (error instanceof AppError) {
      io.stderr(`shiftgate ${name}: ${oneLine(error.message)}\n`);
      return 2;
    }
    io.stderr(`shiftgate ${name}: ${oneLine(error instanceof Error ? error.message : String(error))}\n`);
    return 2;
  }
}

/** Runs a matched command with the arguments after its words (`--help` prints its usage). */
export async function runCommand(command: Command, rest: readonly string[], io: CliIo): Promise<ExitCode> {
  if (rest.includes("--help")) {
    io.stdout(`Usage: shiftgate ${command.usage}\n${command.summary}\n`);
    return 0;
  }
  return await command.run(rest, io);
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}
