import { UsageError } from "./args";
import { commands } from "./commands/index";
import type { CliIo, ExitCode } from "./io";
import { reportFailures, runCommand } from "./run-command";
import { packageVersion } from "./version";

function helpText(): string {
  // Usage lines are long (calendar check has ten flags): usage on one line, its summary indented below.
  const lines = commands.flatMap((c) => [`  shiftgate ${c.usage}`, `      ${c.summary}`]);
  return [
    "shiftgate: change advisory board for Odoo on Kubernetes with GitOps",
    "",
    "Usage:",
    ...lines,
    "  shiftgate --help | --version",
    "",
    "Exit status: 0 success, 1 the check found problems, 2 bad input or usage.",
    "",
  ].join("\n");
}

/** Runs one command line and returns its exit status; every failure becomes a one-line message. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const [first] = argv;
  if (first === undefined || first === "--help" || first === "-h" || first === "help") {
    io.stdout(helpText());
    return first === undefined ? 2 : 0;
  }
  if (first === "--version" || first === "-v") {
    io.stdout(`${packageVersion()}\n`);
    return 0;
  }
  // The longest matching command words win ("calendar check" before "calendar").
  const matches = commands
    .filter((c) => c.words.every((w, i) => argv[i] === w))
    .sort((a, b) => b.words.length - a.words.length);
  const command = matches[0];
  const name = command ? command.words.join(" ") : first;
  return await reportFailures(name, io, async () => {
    if (!command)
      throw new UsageError(
        `unknown command '${argv
          .filter((a) => !a.startsWith("-"))
          .slice(0, 2)
          .join(" ")}'`,
      );
    return await runCommand(command, argv.slice(command.words.length), io);
  });
}
