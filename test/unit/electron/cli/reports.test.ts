import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCliCaptured } from "../../../helpers/cli";
import { tempDir } from "../../../helpers/temp";

let dir: string;
let cleanup: () => void;
let db: string;

beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  db = join(dir, "register.sqlite");
  const init = await runCliCaptured(["register", "init", "--db", db, "--demo"]);
  expect(init.code).toBe(0);
});
afterAll(() => cleanup());

describe("shiftgate report", () => {
  it("prints the monthly figures as a table and as JSON", async () => {
    const table = await runCliCaptured(["report", "figures", "--db", db, "--months", "3", "--time-zone", "UTC"]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^month\s+submitted/);
    expect(table.stdout).toContain("total");
    const json = await runCliCaptured(["report", "figures", "--db", db, "--json", "--time-zone", "UTC"]);
    expect(JSON.parse(json.stdout)).toMatchObject({ timeZone: "UTC" });
  });

  it("exports the audit as CSV on standard output and a change's record as PDF", async () => {
    const csv = await runCliCaptured(["report", "audit", "--db", db, "--format", "csv"]);
    expect(csv.code).toBe(0);
    const rows = csv.stdout.trim().split("\r\n");
    expect(rows[0]).toBe("seq,at,actor,door,action,entity,entityId,reason,before,after,prevHash,hash");
    const changeId = rows[1]?.split(",")[6] ?? "";
    const out = join(dir, "change.pdf");
    const pdf = await runCliCaptured(["report", "change", "--db", db, "--change", changeId, "--out", out]);
    expect(pdf.code).toBe(0);
    expect(readFileSync(out).subarray(0, 5).toString()).toBe("%PDF-");
    expect(execFileSync("pdftotext", [out, "-"], { encoding: "utf8" })).toContain("Audit trail");
  });

  it("refuses a PDF without --out and an unknown meeting", async () => {
    const noOut = await runCliCaptured(["report", "minutes", "--db", db, "--meeting", "01J00000000000000000000000"]);
    expect(noOut.code).toBe(2);
    const unknown = await runCliCaptured([
      "report",
      "minutes",
      "--db",
      db,
      "--meeting",
      "01J00000000000000000000000",
      "--out",
      join(dir, "m.pdf"),
    ]);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain("no meeting");
  });
});
