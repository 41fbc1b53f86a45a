#!/usr/bin/env node
// `npm start`: builds the app, prepares a better-sqlite3 built for Electron's ABI in .electron-native/
// (node_modules keeps the Node build that the CLI and tests load), then launches Electron with it.
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const electronPkg = join(root, "node_modules/electron");
const electronVersion = JSON.parse(readFileSync(join(electronPkg, "package.json"), "utf8")).version;

function fail(message) {
  console.error(`npm start: ${message}`);
  process.exit(1);
}

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, stdio: "inherit" });
  return r.status === 0;
}

// 1. The Electron binary: electron's own installer downloads it on first use.
function electronBinary() {
  const pathFile = join(electronPkg, "path.txt");
  if (!existsSync(pathFile) || !existsSync(join(electronPkg, "dist"))) {
    console.log(`Downloading the Electron ${electronVersion} binary (first start only)…`);
    if (!run(process.execPath, [join(electronPkg, "install.js")], electronPkg) || !existsSync(pathFile)) {
      fail(
        "the Electron binary could not be downloaded (no network access?). Run the same app in your browser with `npm run web`, or retry where the network is reachable.",
      );
    }
  }
  return join(electronPkg, "dist", readFileSync(pathFile, "utf8").trim());
}

// 2. better-sqlite3 for Electron's ABI, cached per Electron version.
function electronSqlite() {
  const target = join(root, ".electron-native", `electron-${electronVersion}`, "better_sqlite3.node");
  if (existsSync(target)) return target;
  console.log(`Building better-sqlite3 for Electron ${electronVersion} (first start only)…`);
  const work = join(root, ".electron-native", "build");
  rmSync(work, { recursive: true, force: true });
  cpSync(join(root, "node_modules/better-sqlite3"), join(work, "better-sqlite3"), { recursive: true });
  const pkgDir = join(work, "better-sqlite3");
  rmSync(join(pkgDir, "build"), { recursive: true, force: true });
  const prebuild = join(root, "node_modules/prebuild-install/bin.js");
  const npmDir = process.env.npm_execpath ? dirname(dirname(process.env.npm_execpath)) : null;
  const nodeGyp = npmDir ? join(npmDir, "node_modules/node-gyp/bin/node-gyp.js") : null;
  const ok =
    (existsSync(prebuild) &&
      run(process.execPath, [prebuild, "--runtime", "electron", "--target", electronVersion, "--verbose"], pkgDir)) ||
    (nodeGyp !== null &&
      existsSync(nodeGyp) &&
      run(
        process.execPath,
        [
          nodeGyp,
          "rebuild",
          "--release",
          `--target=${electronVersion}`,
          "--runtime=electron",
          "--dist-url=https://electronjs.org/headers",
        ],
        pkgDir,
      ));
  const built = join(pkgDir, "build/Release/better_sqlite3.node");
  if (!ok || !existsSync(built)) fail("better-sqlite3 could not be built for Electron (needs network access once).");
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(built, target);
  rmSync(work, { recursive: true, force: true });
  return target;
}

if (!run(process.execPath, [join(root, "node_modules/electron-vite/bin/electron-vite.js"), "build"], root)) {
  fail("the app did not build (see above).");
}
const binary = electronBinary();
const nativeBinding = electronSqlite();
const child = spawn(binary, [root, ...process.argv.slice(2)], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, SHIFTGATE_NATIVE_BINDING: nativeBinding, ELECTRON_RUN_AS_NODE: "" },
});
child.on("exit", (code) => process.exit(code ?? 0));
