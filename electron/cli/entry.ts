import { packageVersion } from "./version";

/** The process entry of the `shiftgate` binary. */
const argv = process.argv.slice(2);
// --version answers before the commands (and the core behind them) load: scripts and installers ask it often.
if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-v")) {
  process.stdout.write(`${packageVersion()}\n`);
} else {
  // `gitops verify` (CI, on every push) loads only verify; every other command the whole command table.
  const { runCli } =
    argv[0] === "gitops" && argv[1] === "verify" ? await import("./verify-cli") : await import("./main");
  const code = await runCli(argv, {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
    cwd: process.cwd(),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
      return Buffer.concat(chunks).toString("utf8");
    },
  });
  // Long-running commands (web) resolve only when they stop; the rest exit with their status.
  process.exitCode = code;
}
