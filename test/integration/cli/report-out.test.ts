import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { runCliCaptured } from "../../helpers/cli";
import { tempDir } from "../../helpers/temp";

let db: string;
let cleanup: () => void;

beforeAll(async () => {
  const t = tempDir();
  cleanup = t.cleanup;
  db = join(t.dir, "register.sqlite");
  expect((await runCliCaptured(["register", "init", "--db", db, "--demo"])).code).toBe(0);
});
afterAll(() => cleanup());

/** A folder for the report files alone, so a leftover temporary file would show in its listing. */
function outFolder(): string {
  const { dir, cleanup } = tempDir();
  onTestFinished(cleanup);
  return dir;
}

const audit = (out: string, ...more: string[]) =>
  runCliCaptured(["report", "audit", "--db", db, "--format", "csv", "--out", out, ...more]);

describe("report --out", () => {
  it("refuses to replace an existing file without --force, for every report, and leaves it as it was", async () => {
    const dir = outFolder();
    const existing = join(dir, "kept.txt");
    writeFileSync(existing, "the auditor's own notes\n");
    const runs = [
      ["report", "audit", "--db", db, "--format", "csv", "--out", existing],
      ["report", "change", "--db", db, "--change", "01J00000000000000000000000", "--out", existing],
      ["report", "minutes", "--db", db, "--meeting", "01J00000000000000000000000", "--out", existing],
    ];
    for (const argv of runs) {
      const result = await runCliCaptured(argv);
      expect(result.code, argv[1]).toBe(2);
      expect(result.stderr, argv[1]).toContain(`${existing} already exists`);
      expect(result.stderr, argv[1]).toContain("--force");
      expect(readFileSync(existing, "utf8")).toBe("the auditor's own notes\n");
      expect(readdirSync(dir)).toEqual(["kept.txt"]);
    }
  });

  it("replaces an existing file with --force, whole, leaving no temporary file", async () => {
    const dir = outFolder();
    const existing = join(dir, "audit.csv");
    writeFileSync(existing, "old");
    const result = await audit(existing, "--force");
    expect(result.code).toBe(0);
    expect(readFileSync(existing, "utf8")).toMatch(/^seq,at,actor,door,action/);
    expect(readdirSync(dir)).toEqual(["audit.csv"]);
  });

  it("writes a new file and nothing beside it", async () => {
    const dir = outFolder();
    const written = await runCliCaptured(["report", "audit", "--db", db, "--format", "csv", "--out", "audit.csv"], {
      cwd: dir,
    });
    expect(written.code).toBe(0);
    expect(readFileSync(join(dir, "audit.csv"), "utf8")).toMatch(/^seq,at,actor/);
    expect(readdirSync(dir)).toEqual(["audit.csv"]);
  });

  it("leaves nothing behind when the file cannot be written", async () => {
    const dir = outFolder();
    const missing = await audit(join(dir, "no-such-folder", "audit.csv"));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("its folder does not exist");
    const folder = join(dir, "a-folder");
    mkdirSync(folder);
    const onFolder = await audit(folder, "--force");
    expect(onFolder.code).toBe(2);
    expect(onFolder.stderr).toContain("it is a folder");
    expect(readdirSync(dir)).toEqual(["a-folder"]);
    expect(readdirSync(folder)).toEqual([]);
  });

  it("refuses --force without --out", async () => {
    const result = await runCliCaptured(["report", "audit", "--db", db, "--format", "csv", "--force"]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("--force replaces an --out file");
  });
});
