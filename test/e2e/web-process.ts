import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** A `shiftgate web` process on a given data folder, which it leaves in place when stopped. */
export interface Server {
  readonly origin: string;
  readonly url: string;
  readonly token: string;
  stop(): Promise<void>;
}

/**
 * Starts the browser door on `dataDir` with extra environment (SHIFTGATE_CLOCK). The approvals e2e moves time by
 * stopping one server and starting another with a later clock on the same folder: no test-only method in the
 * contract, and the register, keys and identity carry over exactly as they would across a restart.
 */
export async function serveOn(dataDir: string, env: Record<string, string>): Promise<Server> {
  const token = randomBytes(16).toString("hex");
  const child: ChildProcess = spawn(
    process.execPath,
    [join(root, "bin/shiftgate.mjs"), "web", "--port", "0", "--data-dir", dataDir, "--token", token],
    { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  const origin = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`shiftgate web did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /running at (http:\/\/127\.0\.0\.1:\d+)\//.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`shiftgate web exited with ${code}:\n${output}`));
    });
  });
  return {
    origin,
    url: `${origin}/#token=${token}`,
    token,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    },
  };
}
