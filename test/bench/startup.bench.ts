import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { tempDir } from "../helpers/temp";
import { type BenchRun, lowerIsBetter, median } from "./harness";

const root = fileURLToPath(new URL("../..", import.meta.url));
const bin = join(root, "bin/shiftgate.mjs");

// Initial renderer JavaScript (gzip) on main before #20 item 8: one unminified 1.94 MB bundle with the calendar,
// ical.js and 13 date-fns locales, measured with this bench's gzipSync on the same build (electron-vite build).
const OLD_INITIAL_RENDERER_GZIP = 423_250;

function node(args: readonly string[], env: Record<string, string> = {}): number | null {
  const r = spawnSync(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: "ignore" });
  return r.status;
}

/**
 * Medians of `runs` runs of a command and of `node -e ''`, taken in turns (after `warmup` of each): a shared
 * machine's load then weighs on both alike, and the figure and its baseline come from the same moments.
 */
async function beside(args: readonly string[], runs: number, warmup: number, env: Record<string, string> = {}) {
  const timed = (a: readonly string[], e: Record<string, string> = {}) => {
    const start = performance.now();
    node(a, e);
    return performance.now() - start;
  };
  for (let i = 0; i < warmup; i++) {
    timed(args, env);
    timed(["-e", ""]);
  }
  const value: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < runs; i++) {
    value.push(timed(args, env));
    baseline.push(timed(["-e", ""]));
  }
  return { value: median(value), baseline: median(baseline) };
}

function load(): string {
  return loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");
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
  // CLI start follows the machine's load: printed beside the figures so runs can be compared.
  console.log(`load average at start: ${load()}`);
  const version = await beside([bin, "--version"], 15, 2);
  report(
    lowerIsBetter(
      "shiftgate --version, built CLI vs node -e '' (median of 15)",
      version.value,
      "ms",
      version.baseline,
      "≤ 200 ms",
    ),
  );
  const help = await beside([bin, "--help"], 15, 2);
  report(lowerIsBetter("shiftgate --help (loads every command) vs node -e ''", help.value, "ms", help.baseline));
  const sources = await beside([bin, "--version"], 5, 1, { SHIFTGATE_CLI: "sources" });
  report(
    lowerIsBetter(
      "shiftgate --version through tsx (the old start) vs node -e ''",
      sources.value,
      "ms",
      sources.baseline,
    ),
  );

  const { dir, cleanup } = tempDir("shiftgate-bench-");
  try {
    if (node([bin, "gitops", "demo", "--data-dir", dir]) !== 0) throw new Error("the demo repository was not built");
    const repo = join(dir, "gitops/work");
    // Exit status 1: the demo shows findings on purpose; any other status is a failed run, not a figure.
    if (node([bin, "gitops", "verify", "--repo", repo]) !== 1) throw new Error("gitops verify did not run on the demo");
    const verify = await beside([bin, "gitops", "verify", "--repo", repo], 15, 2);
    report(
      lowerIsBetter(
        "shiftgate gitops verify on the demo repository vs node -e '' (median of 15)",
        verify.value,
        "ms",
        verify.baseline,
        "≤ 600 ms",
      ),
    );
    const verifySources = await beside([bin, "gitops", "verify", "--repo", repo], 3, 1, { SHIFTGATE_CLI: "sources" });
    report(
      lowerIsBetter(
        "the same verify through tsx (the old start) vs node -e ''",
        verifySources.value,
        "ms",
        verifySources.baseline,
      ),
    );
  } finally {
    cleanup();
  }
  console.log(`load average at end: ${load()}`);

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
