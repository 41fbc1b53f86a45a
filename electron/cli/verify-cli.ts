import { gitopsVerifyEntry } from "./commands/gitops-verify";
import type { CliIo, ExitCode } from "./io";
import { reportFailures, runCommand } from "./run-command";

/**
 * Runs `shiftgate gitops verify ...` (argv starts with those words) exactly as the full command table would, but
 * loads only verify: CI pays the start on every push, and the register, cluster client and door are not needed.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const rest = argv.slice(gitopsVerifyEntry.words.length);
  return await reportFailures("gitops verify", io, () => runCommand(gitopsVerifyEntry, rest, io));
}
