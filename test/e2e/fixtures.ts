import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { test as base } from "@playwright/test";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** A running browser door (`shiftgate web`) on a fresh data folder. */
export interface WebApp {
  readonly origin: string;
  readonly url: string;
  readonly token: string;
  readonly dataDir: string;
}

/** Starts `shiftgate web` as a real process and waits for the URL it prints. */
export async function startWebApp(env: Record<string, string> = {}): Promise<WebApp & { stop(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), "shiftgate-e2e-"));
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
    dataDir,
    stop: async () => {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Playwright test with a fresh `webApp` per test. */
export const test = base.extend<{ webApp: WebApp }>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads the fixture's dependencies from this pattern.
  webApp: async ({}, use) => {
    const app = await startWebApp();
    await use(app);
    await app.stop();
  },
});

export { expect } from "@playwright/test";
