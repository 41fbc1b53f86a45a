import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startWebServer } from "../../electron/web/server";
import { tempCore } from "../helpers/temp";
import { TEST_TOKEN } from "../helpers/web-door";
import { type BenchRun, lowerIsBetter, medianMs } from "./harness";

/** The browser door's round trip for app.status against a direct dispatch of the same call. */
export const run: BenchRun = async (report) => {
  const { core, dir, cleanup } = await tempCore();
  const staticDir = join(dir, "static");
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, "index.html"), "<!doctype html>");
  const server = await startWebServer({ core, staticDir, token: TEST_TOKEN });
  try {
    const direct = await medianMs(() => core.call("app.status", {}), 201, 20);
    const url = `http://127.0.0.1:${server.port}/api/call`;
    const body = JSON.stringify({ method: "app.status", input: {} });
    const web = await medianMs(
      async () => {
        const res = await fetch(url, {
          method: "POST",
          headers: { "Content-Type": "application/json", Authorization: `Bearer ${TEST_TOKEN}` },
          body,
        });
        await res.json();
      },
      201,
      20,
    );
    report(lowerIsBetter("app.status round trip, browser door vs direct dispatch (median)", web, "ms", direct));
  } finally {
    await server.close();
    cleanup();
  }
};
