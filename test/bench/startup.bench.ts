import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { tempDir } from "../helpers/temp";
import { type BenchRun, lowerIsBetter, medianMs } from "./harness";

const root = fileURLToPath(new URL("../..", import.meta.url));
const bin = join(root, "bin/shiftgate.mjs");

// Initial renderer JavaScript (gzip) on main before #20 item 8: one unminified 1.94 MB bundle with the calendar,
// ical.js and 13 date-fns locales, measured with this bench's gzipSync on the same build (electron-vite build).
const OLD_INITIAL_RENDERER_GZIP = 423_250;

function node(args: readonly string[], env: Record<string, string> = {}): number | null {
  const r = spawnSync(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: "ignore" });
  return r.status;
}

/** The scripts index.html loads before the first render: its module script and the chunks it preloads. */
function initialScripts(outDir: string): string[] {
  const html = readFileSync(join(outDir, "index.html"), "utf8");
  return [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\.\/([^"]+\.js)"/g)].map(
    (m) => join(outDir, m[1] ?? ""),
  );
}

/**
 * CLI start and the first page's weight, built as `npm run build` builds them: `shiftgate --version` and
 * `gitops verify` on the demo repository through bin/shiftgate.mjs, each beside `node -e ''` in the same run;
 * the initial renderer JavaScript beside the figure before the build was lean.
 */
export const run: BenchRun = async (report) => {
  if (node([join(root, "node_modules/electron-vite/bin/electron-vite.js"), "build", "--logLevel", "error"]) !== 0)
    throw new Error("the app did not build");
  const baseline = await medianMs(() => node(["-e", ""]), 15, 2);
  const version = await medianMs(() => node([bin, "--version"]), 15, 2);
  report(lowerIsBetter("shiftgate --version, built CLI vs node -e '' (median)", version, "ms", baseline, "≤ 200 ms"));
  const help = await medianMs(() => node([bin, "--help"]), 15, 2);
  report(lowerIsBetter("shiftgate --help (loads every command) vs node -e ''", help, "ms", baseline));
  const sources = await medianMs(() => node([bin, "--version"], { SHIFTGATE_CLI: "sources" }), 5, 1);
  report(lowerIsBetter("shiftgate --version through tsx (the old start) vs node -e ''", sources, "ms", baseline));

  const { dir, cleanup } = tempDir("shiftgate-bench-");
  try {
    if (node([bin, "gitops", "demo", "--data-dir", dir]) !== 0) throw new Error("the demo repository was not built");
    const repo = join(dir, "gitops/work");
    const verify = await medianMs(() => node([bin, "gitops", "verify", "--repo", repo]), 9, 1);
    report(
      lowerIsBetter("shiftgate gitops verify on the demo repository vs node -e ''", verify, "ms", baseline, "≤ 600 ms"),
    );
    const verifySources = await medianMs(
      () => node([bin, "gitops", "verify", "--repo", repo], { SHIFTGATE_CLI: "sources" }),
      3,
      1,
    );
    report(lowerIsBetter("the same verify through tsx (the old start) vs node -e ''", verifySources, "ms", baseline));
  } finally {
    cleanup();
  }

  const initial = initialScripts(join(root, "out/renderer")).reduce(
    (sum, file) => sum + gzipSync(readFileSync(file)).length,
    0,
  );
  report(
    lowerIsBetter(
      "initial renderer JavaScript, gzip, vs before the lean build",
      initial / 1024,
      "KB",
      OLD_INITIAL_RENDERER_GZIP / 1024,
      "≤ 250 KB",
    ),
  );
};
