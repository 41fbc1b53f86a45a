import { existsSync } from "node:fs";
import { defineConfig } from "@playwright/test";

// Debian's Chromium on these machines (Playwright cannot download its own here); elsewhere Playwright's own.
const executablePath =
  process.env.SHIFTGATE_CHROMIUM ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);

export default defineConfig({
  testDir: "test/e2e",
  testMatch: "**/*.spec.ts",
  // Bounds, not speed checks: a run beside other work (CI's neighbours, two CPU burners) is slow, not wrong.
  timeout: 120_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 2,
  retries: 0,
  reporter: process.env.CI ? [["list"]] : [["list"]],
  outputDir: "test-results",
  use: {
    headless: true,
    viewport: { width: 1440, height: 900 },
    launchOptions: {
      executablePath,
      args: [
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
    trace: "off",
    // A failure keeps what the page showed (an error box the assertions did not look for, say).
    screenshot: "only-on-failure",
  },
});
