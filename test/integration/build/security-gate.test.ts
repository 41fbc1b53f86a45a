import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tempDir } from "../../helpers/temp";

// The real scanner through the real gate script, over small crafted shells.
const GOOD_WINDOW = `import { BrowserWindow, shell } from "electron";
export function open(preloadPath: string, allowed: (u: string) => boolean) {
  const win = new BrowserWindow({
    webPreferences: {
      preload: preloadPath, // eng-disable PRELOAD_JS_CHECK
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      enableRemoteModule: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      disableBlinkFeatures: "Auxclick",
    },
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (allowed(url)) void shell.openExternal(url); // eng-disable OPEN_EXTERNAL_JS_CHECK
    return { action: "deny" };
  });
  win.webContents.on("will-navigate", (e, url) => { if (!allowed(url)) e.preventDefault(); });
  return win;
}
`;
const MAIN = `import { session } from "electron";
export function harden() {
  session.defaultSession.setPermissionRequestHandler((_wc, _p, callback) => callback(false));
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, "Content-Security-Policy": ["default-src 'none'; script-src 'self'"] } });
  });
}
`;
const REVIEWS = [
  {
    check: "PRELOAD_JS_CHECK",
    file: "window.ts",
    sample: "preload: preloadPath, // eng-disable PRELOAD_JS_CHECK",
    reason: "the preload exposes two functions through contextBridge, nothing else",
  },
  {
    check: "OPEN_EXTERNAL_JS_CHECK",
    file: "window.ts",
    sample: "if (allowed(url)) void shell.openExternal(url); // eng-disable OPEN_EXTERNAL_JS_CHECK",
    reason: "only allowlisted https links reach openExternal; unit-tested",
  },
];

describe("security gate script", () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir("shiftgate-gate-"));
    mkdirSync(join(dir, "app"));
  });
  afterEach(() => cleanup());

  function gate(files: Record<string, string>, reviews: unknown = REVIEWS) {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, "app", name), text);
    writeFileSync(join(dir, "reviews.json"), JSON.stringify(reviews));
    const r = spawnSync(
      process.execPath,
      ["build/scripts/security-gate.mjs", join(dir, "app"), join(dir, "reviews.json")],
      {
        encoding: "utf8",
      },
    );
    return { status: r.status, out: `${r.stdout}${r.stderr}` };
  }

  it("passes a hardened shell whose manual-review lines are reviewed", () => {
    const r = gate({ "window.ts": GOOD_WINDOW, "main.ts": MAIN });
    expect(r.out).toContain("security gate: passed");
    expect(r.status).toBe(0);
  });

  it("fails when the sandbox is turned off, and says where", () => {
    const r = gate({ "window.ts": GOOD_WINDOW.replace("sandbox: true", "sandbox: false"), "main.ts": MAIN });
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/BLOCKING\s+MEDIUM SANDBOX_JS_CHECK window\.ts:7/);
  });

  it("fails when no CSP is set anywhere", () => {
    const r = gate({ "window.ts": GOOD_WINDOW, "main.ts": "export const nothing = 1;\n" });
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/BLOCKING\s+MEDIUM CSP_GLOBAL_CHECK/);
  });

  it("fails on an eng-disable line nobody reviewed, and on a review whose line is gone", () => {
    const unreviewed = gate({ "window.ts": GOOD_WINDOW, "main.ts": MAIN }, REVIEWS.slice(0, 1));
    expect(unreviewed.status).toBe(1);
    expect(unreviewed.out).toMatch(/OPEN_EXTERNAL_JS_CHECK window\.ts:20 is disabled on this line without a review/);
    const stale = gate(
      { "window.ts": GOOD_WINDOW.replace(" // eng-disable OPEN_EXTERNAL_JS_CHECK", ""), "main.ts": MAIN },
      REVIEWS,
    );
    expect(stale.status).toBe(1);
    expect(stale.out).toMatch(/BLOCKING\s+MEDIUM OPEN_EXTERNAL_JS_CHECK/);
    expect(stale.out).toMatch(/review of OPEN_EXTERNAL_JS_CHECK window\.ts names a line no longer there/);
  });

  it("fails when a file cannot be parsed, rather than passing it unscanned", () => {
    const r = gate({ "window.ts": GOOD_WINDOW, "main.ts": MAIN, "broken.ts": "export const = ;\n" });
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/could not read 1 file\(s\), so they went unscanned: broken\.ts/);
  });

  it("fails with a clear message on a malformed review file", () => {
    const r = gate({ "window.ts": GOOD_WINDOW, "main.ts": MAIN }, [{ check: "PRELOAD_JS_CHECK" }]);
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/entry 1 lacks file, sample, reason/);
  });
});
