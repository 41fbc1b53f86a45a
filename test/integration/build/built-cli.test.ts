import { spawnSync } from "node:child_process";
import { copyFileSync, readdirSync, readFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveOn } from "../../e2e/web-process";
import { runCliCaptured } from "../../helpers/cli";
import { tempDir } from "../../helpers/temp";

const repo = fileURLToPath(new URL("../../..", import.meta.url));
const pkg = JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as {
  version: string;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const work = tempDir("shiftgate-build-");
const out = join(work.dir, "out");
const cli = join(out, "main/cli.js");

/** Runs the built bundle itself with plain node: no tsx, no TypeScript. */
function runBuilt(argv: readonly string[]) {
  const r = spawnSync(process.execPath, [cli, ...argv], { cwd: work.dir, encoding: "utf8", timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The packages a bundle file imports from node_modules (not node: builtins, not its own chunks). */
function packagesImported(file: string): string[] {
  const code = readFileSync(file, "utf8");
  const specifiers = [...code.matchAll(/(?:^import[^;]*?from |\bimport\()\s*["']([^"'./][^"']*)["']/gm)].map(
    (m) => m[1] ?? "",
  );
  return specifiers
    .filter((s) => !s.startsWith("node:"))
    .map((s) => (s.startsWith("@") ? s.split("/").slice(0, 2).join("/") : (s.split("/")[0] ?? "")));
}

beforeAll(() => {
  // The layout of a checkout: out/ beside package.json and node_modules (better-sqlite3 and the other packages).
  copyFileSync(join(repo, "package.json"), join(work.dir, "package.json"));
  symlinkSync(join(repo, "node_modules"), join(work.dir, "node_modules"), "dir");
  // What `npm install` / `npm ci` run through `prepare` (and `npm run build`), into a folder of this test's own.
  const prepare = pkg.scripts.prepare ?? "";
  expect(prepare).toBe("electron-vite build");
  expect(pkg.scripts.build).toBe(prepare);
  const [tool, ...args] = prepare.split(" ");
  const build = spawnSync(
    process.execPath,
    [join(repo, `node_modules/${tool}/bin/${tool}.js`), ...args, "--outDir", out, "--logLevel", "warn"],
    { cwd: repo, encoding: "utf8", timeout: 110_000 },
  );
  expect(build.status, build.stderr).toBe(0);
});

afterAll(() => work.cleanup());

describe("the CLI, browser door and core as built by prepare / npm run build", () => {
  it("is plain JavaScript that needs only production dependencies: no tsx, React, TanStack or Electron", () => {
    const files = readdirSync(join(out, "main")).filter((f) => f.endsWith(".js") && f !== "main.js");
    expect(files).toContain("cli.js");
    const imported = new Set(files.flatMap((f) => packagesImported(join(out, "main", f))));
    expect(imported.size).toBeGreaterThan(0);
    for (const name of imported) expect(Object.keys(pkg.dependencies), name).toContain(name);
    for (const devOnly of ["tsx", "react", "react-dom", "@tanstack/react-query", "@tanstack/react-virtual"])
      expect(Object.keys(pkg.devDependencies), devOnly).toContain(devOnly);
    // The desktop shell still bundles nothing from the renderer's packages.
    expect(
      packagesImported(join(out, "main/main.js")).filter((n) => pkg.devDependencies[n] && n !== "electron"),
    ).toEqual([]);
  });

  it("answers --version and --help as the sources do", async () => {
    expect(runBuilt(["--version"])).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: "" });
    const sources = await runCliCaptured(["--help"]);
    expect(runBuilt(["--help"])).toEqual({ code: sources.code, stdout: sources.stdout, stderr: "" });
  });

  it("finds its migrations: a register it creates reads the same through the sources", async () => {
    const db = join(work.dir, "register.sqlite");
    const init = runBuilt(["register", "init", "--db", db, "--demo"]);
    expect(init.code, init.stderr).toBe(0);
    const built = runBuilt(["register", "export", "--db", db, "--format", "json"]);
    expect(built.code, built.stderr).toBe(0);
    const sources = await runCliCaptured(["register", "export", "--db", db, "--format", "json"]);
    expect(sources.code, sources.stderr).toBe(0);
    expect(JSON.parse(built.stdout)).toEqual(JSON.parse(sources.stdout));
    expect(built.stdout).toMatch(/CHG-/);
  });

  it("prints a change's record as PDF: pdfkit and the report fonts load from beside the bundle", () => {
    // The demo register the test above created (tests in a file run in order).
    const db = join(work.dir, "register.sqlite");
    const exported = runBuilt(["register", "export", "--db", db, "--format", "json"]).stdout;
    const id = /"id":\s*"([0-9A-HJKMNP-TV-Z]{26})"/.exec(exported)?.[1] ?? "";
    const out = join(work.dir, "change.pdf");
    const pdf = runBuilt(["report", "change", "--db", db, "--change", id, "--out", out]);
    expect(pdf.code, pdf.stderr).toBe(0);
    expect(readFileSync(out).subarray(0, 5).toString()).toBe("%PDF-");
  });

  it("serves the built renderer from beside itself as the browser door", async () => {
    const server = await serveOn(join(work.dir, "door-data"), {}, { entry: cli });
    try {
      const page = await fetch(`${server.origin}/`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toBe(readFileSync(join(out, "renderer/index.html"), "utf8"));
    } finally {
      await server.stop();
    }
  });
});
