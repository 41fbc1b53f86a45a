import { describe, expect, it } from "vitest";
import { runShiftgate } from "../../helpers/cli";
import { tempDir } from "../../helpers/temp";

describe("shiftgate status (real binary)", () => {
  it("prints valid JSON about a fresh register in the given data folder", () => {
    const { dir, cleanup } = tempDir();
    try {
      const result = runShiftgate(["status", "--json", "--data-dir", dir]);
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      const status = JSON.parse(result.stdout) as Record<string, unknown>;
      expect(status).toMatchObject({ name: "Shiftgate", door: "cli", registerPath: `${dir}/register.sqlite` });
      expect(status.schemaVersion).toBeGreaterThan(0);
      expect(typeof status.timeZone).toBe("string");
    } finally {
      cleanup();
    }
  });

  it("uses SHIFTGATE_DATA_DIR when no folder is given", () => {
    const { dir, cleanup } = tempDir();
    try {
      const result = runShiftgate(["status", "--json"], { env: { SHIFTGATE_DATA_DIR: dir } });
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ registerPath: `${dir}/register.sqlite` });
    } finally {
      cleanup();
    }
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
    const { dir, cleanup } = tempDir();
    try {
      const { writeFileSync, readFileSync } = await import("node:fs");
      const file = `${dir}/register.sqlite`;
      const garbage = Buffer.from("this is not a database, it is a shopping list\n".repeat(200));
      writeFileSync(file, garbage);
      const result = runShiftgate(["status", "--json", "--db", file]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("damaged or is not a database");
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
      expect(readFileSync(file).equals(garbage)).toBe(true);
    } finally {
      cleanup();
    }
  });
});
