import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "@playwright/test";
import { startWebServer } from "../../electron/web/server";
import { tempCore } from "../helpers/temp";
import { TEST_TOKEN } from "../helpers/web-door";
import { type BenchRun, lowerIsBetter, median } from "./harness";

// Issue #20: the home page interactive in Chromium, beside an empty page's load from a door of the same kind in the
// same run (target ≤ 2×). Home is interactive when its cards, read from the core (`home.summary` over the demo
// register), are on screen and the page has loaded. Each load is a fresh browser context: nothing cached. Needs the
// renderer built (`npm run build`).

const root = fileURLToPath(new URL("../..", import.meta.url));
const REPEATS = 11;

async function timed(browser: Browser, url: string, ready: (page: Page) => Promise<void>): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  try {
    const page = await context.newPage();
    const started = performance.now();
    await page.goto(url, { waitUntil: "load" });
    await ready(page);
    return performance.now() - started;
  } finally {
    await context.close();
  }
}

export const run: BenchRun = async (report) => {
  const staticDir = join(root, "out/renderer");
  if (!existsSync(join(staticDir, "index.html"))) throw new Error("the renderer is not built: run `npm run build`");
  const app = await tempCore();
  const blank = await tempCore({ demo: false });
  const emptyDir = join(blank.dir, "static");
  mkdirSync(emptyDir);
  writeFileSync(join(emptyDir, "index.html"), "<!doctype html><title>empty</title>");
  const door = await startWebServer({ core: app.core, staticDir, token: TEST_TOKEN });
  const emptyDoor = await startWebServer({ core: blank.core, staticDir: emptyDir, token: TEST_TOKEN });
  let browser: Browser | null = null;
  try {
    const executablePath =
      process.env.SHIFTGATE_CHROMIUM ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);
    browser = await chromium.launch({ executablePath, args: ["--disable-gpu", "--no-first-run"] });
    const home = `http://127.0.0.1:${door.port}/#token=${TEST_TOKEN}`;
    const empty = `http://127.0.0.1:${emptyDoor.port}/`;
    const homeReady = async (page: Page) => {
      await page.locator(".home-card").first().waitFor();
    };
    // One load of each first: the door's and Chromium's own first-use costs are not the page's.
    await timed(browser, home, homeReady);
    await timed(browser, empty, async () => undefined);
    const homeTimes: number[] = [];
    const emptyTimes: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      emptyTimes.push(await timed(browser, empty, async () => undefined));
      homeTimes.push(await timed(browser, home, homeReady));
    }
    report(
      lowerIsBetter(
        `home interactive in Chromium (cards from the core on screen) vs an empty page's load (median of ${REPEATS})`,
        median(homeTimes),
        "ms",
        median(emptyTimes),
        "≤ 2x",
      ),
    );
  } finally {
    await browser?.close();
    await door.close();
    await emptyDoor.close();
    app.cleanup();
    blank.cleanup();
  }
};
