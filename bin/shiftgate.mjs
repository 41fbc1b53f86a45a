#!/usr/bin/env node
// Runs the built CLI (out/main/cli.js: `npm run build`, and `npm install`/`npm ci` through `prepare`) when it was
// built from the sources as they are now; otherwise the TypeScript sources through tsx (a development tool), so an
// edit is never answered by an older build. "As they are now": the build stamp (out/main/cli.stamp, dated when the
// build started) is newer than every file and folder it was built from (a deleted file changes its folder's date).
// SHIFTGATE_CLI=built or SHIFTGATE_CLI=sources forces one.
import { readdirSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const built = `${root}/out/main/cli.js`;
const stamp = `${root}/out/main/cli.stamp`;
const inputs = ["electron", "shared", "electron.vite.config.ts", "package.json"];

function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return null;
  }
}

/** The newest modification time under `path` (files and folders); an absent source is newer than nothing. */
function newest(path) {
  const own = mtime(path);
  if (own === null) return Number.NEGATIVE_INFINITY;
  let latest = own;
  let entries = [];
  try {
    entries = readdirSync(path, { withFileTypes: true });
  } catch {
    return latest;
  }
  for (const entry of entries) {
    const child = `${path}/${entry.name}`;
    latest = Math.max(latest, entry.isDirectory() ? newest(child) : (mtime(child) ?? Number.NEGATIVE_INFINITY));
  }
  return latest;
}

function buildIsCurrent() {
  const builtAt = mtime(stamp);
  if (builtAt === null || mtime(built) === null) return false;
  return inputs.every((p) => newest(`${root}/${p}`) < builtAt);
}

const forced = process.env.SHIFTGATE_CLI;
if (forced === "built" || (forced !== "sources" && buildIsCurrent())) {
  await import(new URL("../out/main/cli.js", import.meta.url).href);
} else {
  let register;
  try {
    ({ register } = await import("tsx/esm/api"));
  } catch {
    process.stderr.write(
      "shiftgate: the built CLI is missing or older than its sources, and tsx (a development tool) is not installed: run `npm run build` in the Shiftgate folder.\n",
    );
    process.exit(2);
  }
  register();
  await import("../electron/cli/entry.ts");
}
