import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { fixedClock } from "../../../electron/core/clock";
import { createCore, defaultMigrationsDir } from "../../../electron/core/core";
import { openRegister } from "../../../electron/core/register/db";
import { loadMigrations } from "../../../electron/core/register/migrations";
import { runCliCaptured } from "../../helpers/cli";
import { tempDir } from "../../helpers/temp";
import { newChange } from "../register/register-fixtures";

// Commands that only read open the register read-only: they never create one, never write one, and leave
// no -wal/-shm behind that were not there before.

function folder(): string {
  const { dir, cleanup } = tempDir();
  onTestFinished(cleanup);
  return dir;
}

const sha = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

async function demoRegister(dir: string): Promise<string> {
  const file = join(dir, "register.sqlite");
  expect((await runCliCaptured(["register", "init", "--db", file, "--demo"])).code).toBe(0);
  return file;
}

const READERS = (db: string): readonly (readonly string[])[] => [
  ["status", "--db", db, "--json"],
  ["audit", "verify", "--db", db],
  ["register", "export", "--db", db, "--format", "json"],
  ["report", "figures", "--db", db, "--json", "--time-zone", "UTC"],
  ["report", "audit", "--db", db, "--format", "csv"],
];

describe("read-only commands", () => {
  it("status --db on a missing file says there is no register there (exit 2) and creates nothing", async () => {
    const dir = folder();
    const file = join(dir, "typo.sqlite");
    const result = await runCliCaptured(["status", "--db", file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`There is no register at ${file}; nothing was created`);
    expect(result.stdout).toBe("");
    expect(readdirSync(dir)).toEqual([]);
  });

  it("status --data-dir on a missing folder creates neither the folder nor a register", async () => {
    const missing = join(folder(), "not-yet");
    const result = await runCliCaptured(["status", "--data-dir", missing]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("There is no register at");
    expect(existsSync(missing)).toBe(false);
  });

  it("each reading command leaves the register's bytes and its folder as they were", async () => {
    const dir = folder();
    const file = await demoRegister(dir);
    const names = readdirSync(dir).sort();
    const before = sha(file);
    for (const argv of READERS(file)) {
      const result = await runCliCaptured(argv);
      expect({ argv, code: result.code, stderr: result.stderr }).toEqual({ argv, code: 0, stderr: "" });
      expect({ argv, names: readdirSync(dir).sort() }).toEqual({ argv, names });
    }
    expect(sha(file)).toBe(before);
  });

  it("register backup leaves nothing beside the register but writes the copy", async () => {
    const dir = folder();
    const file = await demoRegister(dir);
    const names = readdirSync(dir).sort();
    const before = sha(file);
    const to = join(folder(), "copy.sqlite");
    expect((await runCliCaptured(["register", "backup", "--db", file, "--to", to])).code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(names);
    expect(sha(file)).toBe(before);
    expect(existsSync(to)).toBe(true);
  });

  it("status on a register from an older Shiftgate says it needs upgrading and does not upgrade it", async () => {
    const dir = folder();
    const file = join(dir, "old.sqlite");
    const migrations = loadMigrations(defaultMigrationsDir()).slice(0, 1);
    (await openRegister({ file, migrations, clock: fixedClock("2026-12-01T08:00:00Z") })).close();
    const names = readdirSync(dir).sort();
    const before = sha(file);
    const result = await runCliCaptured(["status", "--db", file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("needs upgrading; nothing was changed");
    expect(sha(file)).toBe(before);
    expect(readdirSync(dir).sort()).toEqual(names);
  });

  it("reading while the app has the register open leaves the app's -wal/-shm in use and the app writing", async () => {
    const dir = folder();
    const file = await demoRegister(dir);
    const app = await createCore({
      dataDir: dir,
      registerFile: file,
      appVersion: "t",
      clock: fixedClock("2026-12-01T08:00:00Z"),
    });
    onTestFinished(() => app.close());
    const created = await app.call("change.create", newChange());
    expect(created.ok).toBe(true);
    const names = readdirSync(dir).sort();
    expect(names).toContain("register.sqlite-wal");
    for (const argv of READERS(file)) expect((await runCliCaptured(argv)).code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(names);
    expect((await app.call("change.create", newChange({ title: "After the readers" }))).ok).toBe(true);
    expect(await app.call("audit.verify", {})).toMatchObject({ ok: true, value: { ok: true } });
  });
});
