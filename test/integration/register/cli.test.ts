import { existsSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHANGE_STATUSES } from "../../../shared/contract/index";
import { runCliCaptured } from "../../helpers/cli";
import { tempDir } from "../../helpers/temp";

let dir: string;
let cleanup: () => void;
let demo: string;
beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  demo = join(dir, "demo.sqlite");
  expect((await runCliCaptured(["register", "init", "--db", demo, "--demo"])).code).toBe(0);
});
afterAll(() => cleanup());

describe("shiftgate register", () => {
  it("init --demo fills changes in every lifecycle state across the demo plants", async () => {
    const out = await runCliCaptured(["register", "export", "--db", demo, "--format", "json"]);
    expect(out.code).toBe(0);
    const { changes } = JSON.parse(out.stdout) as {
      changes: {
        status: string;
        plants: string[];
        gates: unknown[];
        comments: unknown[];
        evidence: unknown[];
        assessment: unknown;
      }[];
    };
    expect(new Set(changes.map((c) => c.status))).toEqual(new Set(CHANGE_STATUSES));
    expect(new Set(changes.flatMap((c) => c.plants))).toEqual(new Set(["berlin", "chicago", "pune"]));
    expect(
      changes.some((c) => c.gates.length > 0 && c.evidence.length > 0 && c.comments.length > 0 && c.assessment),
    ).toBe(true);
  });

  it("init without --demo creates an empty register, and says so as JSON", async () => {
    const file = join(dir, "empty.sqlite");
    const out = await runCliCaptured(["register", "init", "--db", file, "--json"]);
    expect(JSON.parse(out.stdout)).toMatchObject({ file, created: true, demo: false });
    const csv = await runCliCaptured(["register", "export", "--db", file, "--format", "csv"]);
    expect(csv.stdout.trim().split("\r\n")).toHaveLength(1);
  });

  it("export csv has one line per change", async () => {
    const out = await runCliCaptured(["register", "export", "--db", demo, "--format", "csv"]);
    const db = new Database(demo, { readonly: true });
    const n = db.prepare("SELECT count(*) FROM changes").pluck().get() as number;
    db.close();
    expect(out.stdout.trim().split("\r\n")).toHaveLength(n + 1);
  });

  it("backup copies a register that verifies, and never overwrites", async () => {
    const to = join(dir, "backup.sqlite");
    expect((await runCliCaptured(["register", "backup", "--db", demo, "--to", to])).code).toBe(0);
    expect((await runCliCaptured(["audit", "verify", "--db", to, "--json"])).code).toBe(0);
    const again = await runCliCaptured(["register", "backup", "--db", demo, "--to", to]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists/);
  });

  it.each([
    [["register", "export", "--db", "x.sqlite", "--format", "xml"]],
    [["register", "export", "--format", "json"]],
    [["register", "backup", "--db", "nope.sqlite", "--to", "b.sqlite"]],
    [["audit", "verify", "--db", "nope.sqlite"]],
    [["audit", "verify", "--db"]],
  ])("exits 2 with one line on bad input: %j", async (argv) => {
    const out = await runCliCaptured(argv, { cwd: dir });
    expect(out.code).toBe(2);
    expect(out.stderr.trim().split("\n")).toHaveLength(1);
    expect(existsSync(join(dir, "nope.sqlite"))).toBe(false);
  });
});
