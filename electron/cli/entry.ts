import { runCli } from "./main";

/** The process entry of the `shiftgate` binary. */
const code = await runCli(process.argv.slice(2), {
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
