#!/usr/bin/env node
// `npm run web`: builds the renderer, then serves the app on 127.0.0.1 and prints its URL.
// Extra arguments go to `shiftgate web` (e.g. `npm run web -- --port 8080`).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const build = spawnSync(process.execPath, ["node_modules/electron-vite/bin/electron-vite.js", "build"], {
  cwd: root,
  stdio: ["ignore", "ignore", "inherit"],
});
if (build.status !== 0) {
  console.error("npm run web: the app did not build (see above).");
  process.exit(build.status ?? 1);
}
const web = spawnSync(process.execPath, ["bin/shiftgate.mjs", "web", ...process.argv.slice(2)], {
  cwd: root,
  stdio: "inherit",
});
process.exit(web.status ?? 0);
