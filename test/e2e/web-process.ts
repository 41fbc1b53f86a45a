import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** A `shiftgate web` process on a given data folder, which it leaves in place when stopped. */
export interface Server {
  readonly origin: string;
  readonly url: string;
  readonly token: string;
  /** The process id, to read what the process list shows of it. */
  readonly pid: number;
  stop(): Promise<void>;
}

/** How to start the door beyond the defaults: extra arguments, and the token in a file instead of the environment. */
export interface ServeOptions {
  readonly args?: readonly string[];
  readonly tokenFile?: string;
  /** The script to run instead of bin/shiftgate.mjs (a built CLI bundle under test). */
  readonly entry?: string;
}

/**
 * Starts the browser door on `dataDir` with extra environment (SHIFTGATE_CLOCK). The approvals e2e moves time by
 * stopping one server and starting another with a later clock on the same folder: no test-only method in the
 * contract, and the register, keys and identity carry over exactly as they would across a restart. The token goes
 * in through SHIFTGATE_WEB_TOKEN (or --token-file), never the command line, where the process list shows it.
 */
export async function serveOn(
  dataDir: string,
  env: Record<string, string>,
  options: ServeOptions = {},
): Promise<Server> {
  const token = randomBytes(16).toString("hex");
  if (options.tokenFile !== undefined) writeFileSync(options.tokenFile, `${token}\n`, { mode: 0o600 });
  const tokenArgs = options.tokenFile === undefined ? [] : ["--token-file", options.tokenFile];
  // Empty when the token is in a file: the door refuses a token given two ways.
  const tokenEnv = { SHIFTGATE_WEB_TOKEN: options.tokenFile === undefined ? token : "" };
  const child: ChildProcess = spawn(
    process.execPath,
    [
      options.entry ?? join(root, "bin/shiftgate.mjs"),
      "web",
      "--port",
      "0",
      "--data-dir",
      dataDir,
      ...tokenArgs,
      ...(options.args ?? []),
    ],
    { cwd: root, env: { ...process.env, ...env, ...tokenEnv }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  const origin = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      // Not left running behind a failed test: a door that never said it was up is stopped.
      child.kill("SIGKILL");
      reject(new Error(`shiftgate web did not start:\n${output}`));
    }, 90_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /running at (http:\/\/(?:127\.0\.0\.1|\[::1\]|localhost):\d+)\//.exec(output);
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
    pid: child.pid ?? -1,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    },
  };
}
