import { describe, expect, it, onTestFinished } from "vitest";
import { runShiftgate } from "../../helpers/cli";
import { tempDir } from "../../helpers/temp";

/** A fresh data folder, removed when the test ends (passed or failed). */
function freshDataDir(): string {
  const { dir, cleanup } = tempDir();
  onTestFinished(cleanup);
  return dir;
}

describe("shiftgate status (real binary)", () => {
  it("prints valid JSON about a fresh register in the given data folder", () => {
    const dir = freshDataDir();
    expect(runShiftgate(["register", "init", "--db", `${dir}/register.sqlite`]).code).toBe(0);
    const result = runShiftgate(["status", "--json", "--data-dir", dir]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const status = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(status).toMatchObject({ name: "Shiftgate", door: "cli", registerPath: `${dir}/register.sqlite` });
    expect(status.schemaVersion).toBeGreaterThan(0);
    expect(typeof status.timeZone).toBe("string");
  });

  it("uses SHIFTGATE_DATA_DIR when no folder is given", () => {
    const dir = freshDataDir();
    expect(runShiftgate(["register", "init", "--db", `${dir}/register.sqlite`]).code).toBe(0);
    const result = runShiftgate(["status", "--json"], { env: { SHIFTGATE_DATA_DIR: dir } });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ registerPath: `${dir}/register.sqlite` });
  });

  it("exits 2 with one line on a bad flag", () => {
    const result = runShiftgate(["status", "--jsno"]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toContain("unknown flag --jsno");
  });

  it("exits 2 on an unknown command and prints help and version", () => {
    expect(runShiftgate(["frobnicate"]).code).toBe(2);
    const help = runShiftgate(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("shiftgate status");
    const version = runShiftgate(["--version"]);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("refuses a damaged register with one line and leaves it untouched", async () => {
    const { writeFileSync, readFileSync } = await import("node:fs");
    const file = `${freshDataDir()}/register.sqlite`;
    const garbage = Buffer.from("this is not a database, it is a shopping list\n".repeat(200));
    writeFileSync(file, garbage);
    const result = runShiftgate(["status", "--json", "--db", file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("damaged or is not a database");
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(readFileSync(file).equals(garbage)).toBe(true);
  });
});
