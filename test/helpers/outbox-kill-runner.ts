import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const child = join(root, "test/helpers/outbox-kill-child.ts");

/** A running outbox-kill-child.ts: its output lines (with stderr on a failure) and how it ended. */
export interface KillChild {
  readonly proc: ChildProcess;
  readonly lines: string[];
  readonly done: Promise<{ readonly code: number | null; readonly signal: string | null }>;
}

/** Starts outbox-kill-child.ts with these arguments and extra environment, as the kill tests drive it. */
export function runKillChild(args: readonly string[], env: Record<string, string> = {}): KillChild {
  const proc = spawn(process.execPath, ["--import", "tsx", child, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  let err = "";
  proc.stdout?.on("data", (b: Buffer) => lines.push(...b.toString().split("\n").filter(Boolean)));
  proc.stderr?.on("data", (b: Buffer) => {
    err += b.toString();
  });
  const done = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    proc.once("exit", (code, signal) => {
      if (code !== null && code !== 0) lines.push(`stderr: ${err}`);
      resolve({ code, signal });
    }),
  );
  return { proc, lines, done };
}
