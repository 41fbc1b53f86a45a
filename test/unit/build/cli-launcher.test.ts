import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it, onTestFinished } from "vitest";
import { tempDir } from "../../helpers/temp";

const repo = fileURLToPath(new URL("../../..", import.meta.url));
const BUILT_AT = new Date("2026-12-01T10:00:00Z");
const BEFORE = new Date("2026-12-01T09:00:00Z");
const AFTER = new Date("2026-12-01T11:00:00Z");

/**
 * A Shiftgate folder in miniature around the real bin/shiftgate.mjs: a "built" CLI and a TypeScript "source" CLI
 * that each say which one ran, every source dated before the build stamp unless a test moves one.
 */
function layout(options: { readonly tsx?: boolean } = {}) {
  const { dir, cleanup } = tempDir();
  onTestFinished(cleanup);
  const file = (rel: string, text: string) => {
    mkdirSync(join(dir, rel, ".."), { recursive: true });
    writeFileSync(join(dir, rel), text);
  };
  mkdirSync(join(dir, "bin"));
  copyFileSync(join(repo, "bin/shiftgate.mjs"), join(dir, "bin/shiftgate.mjs"));
  file("package.json", '{ "name": "shiftgate", "type": "module" }\n');
  file("electron.vite.config.ts", "export {};\n");
  file("out/main/cli.js", 'process.stdout.write(["built", ...process.argv.slice(2)].join(" ") + "\\n");\n');
  file("out/main/cli.stamp", "");
  file(
    "electron/cli/entry.ts",
    'const words: string[] = ["sources", ...process.argv.slice(2)];\nprocess.stdout.write(words.join(" ") + "\\n");\n',
  );
  file("shared/contract/errors.ts", "export const codes: readonly string[] = [];\n");
  file("shared/domain/keep.ts", "export {};\n");
  if (options.tsx !== false) symlinkSync(join(repo, "node_modules"), join(dir, "node_modules"), "dir");
  for (const rel of [
    "package.json",
    "electron.vite.config.ts",
    "electron/cli/entry.ts",
    "shared/contract/errors.ts",
    "shared/domain/keep.ts",
    "electron/cli",
    "electron",
    "shared/contract",
    "shared/domain",
    "shared",
  ])
    utimesSync(join(dir, rel), BEFORE, BEFORE);
  utimesSync(join(dir, "out/main/cli.stamp"), BUILT_AT, BUILT_AT);
  const run = (env: Record<string, string> = {}) => {
    const r = spawnSync(process.execPath, [join(dir, "bin/shiftgate.mjs"), "gitops", "verify"], {
      cwd: dir,
      env: { PATH: process.env.PATH, ...env },
      encoding: "utf8",
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  return { dir, run };
}

describe("bin/shiftgate.mjs runs the built CLI only while it was built from the sources as they are", () => {
  it("runs the build when the stamp is newer than every source, with the arguments given", () => {
    const { run } = layout();
    expect(run()).toEqual({ code: 0, stdout: "built gitops verify\n", stderr: "" });
  });

  it("runs the sources when a source file was saved after the build", () => {
    const { dir, run } = layout();
    utimesSync(join(dir, "shared/contract/errors.ts"), AFTER, AFTER);
    expect(run().stdout).toBe("sources gitops verify\n");
  });

  it("runs the sources when a source file was deleted after the build (its folder changed)", () => {
    const { dir, run } = layout();
    rmSync(join(dir, "shared/domain/keep.ts"));
    expect(run().stdout).toBe("sources gitops verify\n");
  });

  it("runs the sources when the build configuration or package.json changed after the build", () => {
    for (const rel of ["electron.vite.config.ts", "package.json"]) {
      const { dir, run } = layout();
      utimesSync(join(dir, rel), AFTER, AFTER);
      expect(run().stdout, rel).toBe("sources gitops verify\n");
    }
  });

  it("runs the sources when the build has no stamp (an interrupted build) or no CLI bundle", () => {
    const noStamp = layout();
    rmSync(join(noStamp.dir, "out/main/cli.stamp"));
    expect(noStamp.run().stdout).toBe("sources gitops verify\n");
    const noBundle = layout();
    rmSync(join(noBundle.dir, "out/main/cli.js"));
    expect(noBundle.run().stdout).toBe("sources gitops verify\n");
  });

  it("SHIFTGATE_CLI=sources or built forces one", () => {
    const { dir, run } = layout();
    expect(run({ SHIFTGATE_CLI: "sources" }).stdout).toBe("sources gitops verify\n");
    utimesSync(join(dir, "shared/contract/errors.ts"), AFTER, AFTER);
    expect(run({ SHIFTGATE_CLI: "built" }).stdout).toBe("built gitops verify\n");
  });

  it("without tsx (a production install) a stale build is refused with what to run, not run", () => {
    const { dir, run } = layout({ tsx: false });
    utimesSync(join(dir, "shared/contract/errors.ts"), AFTER, AFTER);
    const result = run();
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("npm run build");
  });
});
