import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test as base } from "@playwright/test";
import { serveOn } from "./web-process";

/** A running browser door (`shiftgate web`) on a fresh data folder. */
export interface WebApp {
  readonly origin: string;
  readonly url: string;
  readonly token: string;
  readonly dataDir: string;
}

/** Starts `shiftgate web` as a real process on a fresh data folder, removed when it stops. */
export async function startWebApp(env: Record<string, string> = {}): Promise<WebApp & { stop(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), "shiftgate-e2e-"));
  const server = await serveOn(dataDir, env);
  return {
    origin: server.origin,
    url: server.url,
    token: server.token,
    dataDir,
    stop: async () => {
      await server.stop();
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
