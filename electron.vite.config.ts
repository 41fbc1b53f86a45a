import { cpSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import react from "@vitejs/plugin-react";
import { defineConfig } from "electron-vite";

/** The build's output folder as resolved (out/main, or under `electron-vite build --outDir DIR`). */
interface ResolvedBuild {
  readonly build: { readonly outDir: string };
}

/** Copies the register's SQL migrations beside the main and CLI bundles, where core.ts looks for them. */
function copyMigrations() {
  let outDir = resolve("out/main");
  return {
    name: "shiftgate-copy-migrations",
    configResolved(config: ResolvedBuild) {
      outDir = config.build.outDir;
    },
    closeBundle() {
      cpSync(resolve("electron/core/register/migrations"), join(outDir, "register/migrations"), { recursive: true });
    },
  };
}

/**
 * Dates the CLI build: out/main/cli.stamp carries the time the build STARTED, so bin/shiftgate.mjs runs the bundle
 * only while no source is newer (a source saved during the build makes it stale). The stamp is removed first, so
 * an interrupted build is never taken for a current one.
 */
function stampCliBuild() {
  let stamp = resolve("out/main/cli.stamp");
  let startedAt = new Date();
  return {
    name: "shiftgate-stamp-cli-build",
    configResolved(config: ResolvedBuild) {
      stamp = join(config.build.outDir, "cli.stamp");
    },
    buildStart() {
      startedAt = new Date();
      rmSync(stamp, { force: true });
    },
    closeBundle() {
      writeFileSync(stamp, "Built from the sources as they were at this file's modification time.\n");
      utimesSync(stamp, startedAt, startedAt);
    },
  };
}

export default defineConfig({
  main: {
    build: {
      outDir: "out/main",
      // The CLI (and with it the browser door and the core) is bundled here too, so `shiftgate` starts from
      // plain JavaScript (bin/shiftgate.mjs) instead of compiling TypeScript through tsx at every start.
      // Shared chunks sit beside the entries, not in a subfolder: core.ts finds ./register/migrations and
      // web.ts ../renderer relative to the file they end up in.
      target: "node20",
      // Pure-JavaScript packages are bundled (tree-shaken) rather than loaded from node_modules: importing all of
      // date-fns alone costs ~400 ms at start. Native, data-file and lazily loaded packages stay external.
      externalizeDeps: { exclude: ["date-fns", "@date-fns/tz", "yaml", "zod", "ulid", "ical.js"] },
      rollupOptions: {
        // core-worker: the core's own thread behind the desktop and browser doors (electron/core/worker).
        input: {
          main: resolve("electron/shell/main.ts"),
          cli: resolve("electron/cli/entry.ts"),
          "core-worker": resolve("electron/core/worker/entry.ts"),
        },
        output: { chunkFileNames: "[name]-[hash].js" },
      },
    },
    plugins: [copyMigrations(), stampCliBuild()],
  },
  preload: {
    build: {
      outDir: "out/preload",
      rollupOptions: {
        input: { preload: resolve("electron/shell/preload.ts") },
        // A sandboxed preload must be CommonJS.
        output: { format: "cjs", entryFileNames: "[name].cjs" },
      },
    },
  },
  renderer: {
    root: resolve("renderer"),
    build: {
      outDir: resolve("out/renderer"),
      // electron-vite leaves the renderer unminified; the page loads faster minified (the desktop and the browser door).
      minify: true,
      rollupOptions: { input: { index: resolve("renderer/index.html") } },
    },
    plugins: [react()],
  },
});
