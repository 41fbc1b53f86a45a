import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { runCli } from "../../electron/cli/main";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** Runs the CLI in-process and captures what it printed. */
export async function runCliCaptured(
  argv: readonly string[],
  options: { readonly cwd?: string; readonly env?: Record<string, string | undefined> } = {},
): Promise<{ readonly code: number; readonly stdout: string; readonly stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    env: options.env ?? { ...process.env },
    cwd: options.cwd ?? process.cwd(),
  });
  return { code, stdout, stderr };
}

/**
 * Runs the real `shiftgate` binary (bin/shiftgate.mjs) in a child process: the built CLI when its build is newer
 * than every source, the TypeScript sources otherwise, so a test always runs the code as it is now.
 */
export function runShiftgate(
  argv: readonly string[],
  options: { readonly cwd?: string; readonly env?: Record<string, string | undefined>; readonly input?: string } = {},
): { readonly code: number; readonly stdout: string; readonly stderr: string } {
  const result = spawnSync(process.execPath, [`${root}/bin/shiftgate.mjs`, ...argv], {
    cwd: options.cwd ?? root,
    env: { ...process.env, ...options.env },
    input: options.input,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
