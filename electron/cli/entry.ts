import { packageVersion } from "./version";

/** The process entry of the `shiftgate` binary. */
const argv = process.argv.slice(2);
// --version answers before the commands (and the core behind them) load: scripts and installers ask it often.
if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-v")) {
  process.stdout.write(`${packageVersion()}\n`);
} else {
  const { runCli } = await import("./main");
  const code = await runCli(argv, {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
    cwd: process.cwd(),
  });
  // Long-running commands (web) resolve only when they stop; the rest exit with their status.
  process.exitCode = code;
}
