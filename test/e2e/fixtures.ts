import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test as base, expect, type Page } from "@playwright/test";
import { type KubeServer, startKubeServer } from "../helpers/kube-server";
import { serveOn } from "./web-process";

/** A running browser door (`shiftgate web`) on a fresh data folder. */
export interface WebApp {
  readonly origin: string;
  readonly url: string;
  readonly token: string;
  readonly dataDir: string;
  /**
   * Stops the server and starts another on the same data folder with this environment: how a test moves time
   * (a later SHIFTGATE_CLOCK) with the register, keys and identity carried over as across a real restart.
   * origin, url and token then name the new server.
   */
  restart(env: Record<string, string>): Promise<void>;
}

/** The core through the browser door, called as the page calls it: for setup, and to check what the UI saved. */
export interface CoreApi {
  /** Calls a contract method; throws with the method and the error message when the core refuses. */
  call<T = unknown>(method: string, input: unknown): Promise<T>;
}

/** Starts `shiftgate web` as a real process on a fresh data folder, removed when it stops. */
export async function startWebApp(env: Record<string, string> = {}): Promise<WebApp & { stop(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), "shiftgate-e2e-"));
  let server = await serveOn(dataDir, env);
  return {
    get origin() {
      return server.origin;
    },
    get url() {
      return server.url;
    },
    get token() {
      return server.token;
    },
    dataDir,
    restart: async (next) => {
      await server.stop();
      server = await serveOn(dataDir, next);
    },
    stop: async () => {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Playwright test with a fresh `webApp` per test (started with `webAppEnv`, e.g. a pinned SHIFTGATE_CLOCK via
 * `test.use`), `core` to call it, and `kube`, the test Kubernetes API server, for the specs that want a cluster.
 */
export const test = base.extend<{
  webAppEnv: Record<string, string>;
  webApp: WebApp;
  core: CoreApi;
  kube: KubeServer;
  pageHealth: undefined;
}>({
  webAppEnv: [{}, { option: true }],
  // Every test fails if a page threw an uncaught error or the browser refused something under the CSP: a style
  // or script the policy blocks breaks the screen silently, which no assertion on text would notice.
  pageHealth: [
    async ({ context }, use) => {
      const problems: string[] = [];
      const watch = (page: Page) => {
        page.on("pageerror", (e) => problems.push(`uncaught in ${page.url()}: ${e.message}`));
        page.on("console", (m) => {
          if (m.type() === "error" && /Content Security Policy/i.test(m.text())) problems.push(`CSP: ${m.text()}`);
        });
      };
      for (const page of context.pages()) watch(page);
      context.on("page", watch);
      await use(undefined);
      expect(problems, "pages raised uncaught errors or CSP refusals").toEqual([]);
    },
    { auto: true },
  ],
  webApp: async ({ webAppEnv }, use) => {
    const app = await startWebApp(webAppEnv);
    await use(app);
    await app.stop();
  },
  core: async ({ request, webApp }, use) => {
    await use({
      call: async <T>(method: string, input: unknown): Promise<T> => {
        const res = await request.post(`${webApp.origin}/api/call`, {
          data: { method, input },
          headers: { Authorization: `Bearer ${webApp.token}`, Origin: webApp.origin },
        });
        const body = (await res.json()) as { ok: boolean; value?: T; error?: { message: string } };
        if (!body.ok) throw new Error(`${method}: ${body.error?.message}`);
        return body.value as T;
      },
    });
  },
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads the fixture's dependencies from this pattern.
  kube: async ({}, use) => {
    const kube = await startKubeServer();
    await use(kube);
    await kube.close();
  },
});

export { expect };

/** Waits until a page's shortcut listener is attached (renderer/components/page-keys.ts), before pressing keys. */
export async function keysReady(page: Page, scope: string): Promise<void> {
  await expect(page.locator("html")).toHaveAttribute("data-keys", new RegExp(`(^| )${scope}( |$)`));
}
