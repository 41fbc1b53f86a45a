import { cpSync } from "node:fs";
import { resolve } from "node:path";
import react from "@vitejs/plugin-react";
import { defineConfig } from "electron-vite";

/** Copies the register's SQL migrations beside the main bundle, where core.ts looks for them. */
function copyMigrations() {
  return {
    name: "shiftgate-copy-migrations",
    closeBundle() {
      cpSync(resolve("electron/core/register/migrations"), resolve("out/main/register/migrations"), {
        recursive: true,
      });
    },
  };
}

export default defineConfig({
  main: {
    build: {
      outDir: "out/main",
      rollupOptions: { input: { main: resolve("electron/shell/main.ts") } },
    },
    plugins: [copyMigrations()],
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
      rollupOptions: { input: { index: resolve("renderer/index.html") } },
    },
    plugins: [react()],
  },
});
