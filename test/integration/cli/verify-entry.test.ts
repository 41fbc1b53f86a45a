import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../../electron/core/clock";
import { firstRunDemo } from "../../../electron/core/gitops/first-run";
import { runCliCaptured, runShiftgate } from "../../helpers/cli";
import { tempDir } from "../../helpers/temp";

// Issue #20: CI runs `shiftgate gitops verify` on every push, so the binary loads only verify for it (no register,
// cluster client, door or contract method table) and answers exactly as the full command table does.

let dir: string;
let cleanup: () => void;
let repo: string;
let probe: string;
beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  const demo = await firstRunDemo(dir, fixedClock("2026-12-05T08:00:00Z"));
  repo = demo?.repo.dir ?? expect.fail("no demo repository was built");
  // Loaded at start beside the CLI; names at exit every CommonJS package the process loaded (better-sqlite3,
  // nodemailer, pdfkit and ws go through Node's CommonJS loader, also when an ES module imports them; the
  // Kubernetes client is an ES module and is not seen here).
  probe = join(dir, "loaded-packages.cjs");
  writeFileSync(
    probe,
    `process.on("exit", () => {
  const names = new Set(Object.keys(require.cache).map((f) => /node_modules[\\\\/]((?:@[^\\\\/]+[\\\\/])?[^\\\\/]+)/.exec(f)?.[1]).filter(Boolean));
  process.stderr.write("loaded: " + [...names].sort().join(" ") + "\\n");
});\n`,
  );
}, 120_000);
afterAll(() => cleanup());

const NOW = "2026-12-05T09:00:00Z";

describe("shiftgate gitops verify through the binary", () => {
  it.each([
    ["the demo repository (its findings)", () => ["gitops", "verify", "--repo", repo, "--now", NOW]],
    ["--json", () => ["gitops", "verify", "--repo", repo, "--now", NOW, "--json"]],
    ["--help", () => ["gitops", "verify", "--help"]],
    ["no --repo (usage)", () => ["gitops", "verify"]],
    ["a bad --now (usage)", () => ["gitops", "verify", "--repo", repo, "--now", "yesterday"]],
    ["an unknown flag (usage)", () => ["gitops", "verify", "--repo", repo, "--force"]],
    ["no repository there (app error)", () => ["gitops", "verify", "--repo", join(dir, "none")]],
  ])("answers as the full command table does: %s", async (_, args) => {
    const argv = args();
    const full = await runCliCaptured(argv, { cwd: dir });
    const bin = runShiftgate(argv, { cwd: dir, env: { NODE_OPTIONS: `--require ${probe}` } });
    expect({ code: bin.code, stdout: bin.stdout, stderr: bin.stderr.replace(/^loaded: .*\n/m, "") }).toEqual(full);
    expect(bin.stderr).toMatch(/^loaded: /m);
    // Nothing but verify was loaded: not the register's SQLite, the door, the mailer or the PDF writer.
    for (const pkg of ["better-sqlite3", "ws", "nodemailer", "pdfkit"])
      expect(bin.stderr.match(/^loaded: .*$/m)?.[0].split(" ")).not.toContain(pkg);
  });
});
