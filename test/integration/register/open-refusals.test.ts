import { createHash } from "node:crypto";
import { closeSync, openSync, readdirSync, readFileSync, readSync, writeSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { fixedClock } from "../../../electron/core/clock";
import { createCore, defaultMigrationsDir } from "../../../electron/core/core";
import { openRegister } from "../../../electron/core/register/db";
import { loadMigrations } from "../../../electron/core/register/migrations";
import { tempDir } from "../../helpers/temp";
import { newChange } from "./register-fixtures";

// Refusing a register must happen before anything writes to it: the bytes (journal mode included) stay as they
// were and no -wal, -shm or -journal appears beside it.

const clock = fixedClock("2026-12-01T08:00:00Z");
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function folder(): string {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  return dir;
}

const sha = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

/** The bytes of the file and the names in its folder: what a refusal must leave as it found them. */
const snapshot = (dir: string, file: string) => ({ sha: sha(file), names: readdirSync(dir).sort() });

async function makeRegister(dir: string, name: string, demo: boolean): Promise<string> {
  const file = join(dir, name);
  (await createCore({ dataDir: dir, registerFile: file, appVersion: "t", clock, demo })).close();
  return file;
}

async function refusal(dir: string, file: string): Promise<{ code: string; message: string }> {
  try {
    (await createCore({ dataDir: dir, registerFile: file, appVersion: "t", clock })).close();
  } catch (error) {
    return error as { code: string; message: string };
  }
  return expect.fail("the register opened");
}

/** Byte 18 of a SQLite header: 1 for a rollback journal, 2 for WAL. */
function fileFormat(file: string): number {
  const header = Buffer.alloc(20);
  const fd = openSync(file, "r");
  readSync(fd, header, 0, 20, 0);
  closeSync(fd);
  return header[18] ?? 0;
}

/** Overwrites the start of a table's root page, as a failing disk would. */
function damagePage(file: string, table: string): void {
  const raw = new Database(file, { readonly: true });
  const pageSize = raw.pragma("page_size", { simple: true }) as number;
  const root = raw.prepare("SELECT rootpage FROM sqlite_master WHERE name = ?").pluck().get(table) as number;
  raw.close();
  const fd = openSync(file, "r+");
  writeSync(fd, Buffer.alloc(64, 0xa5), 0, 64, (root - 1) * pageSize);
  closeSync(fd);
}

describe("opening a register refuses before it writes", () => {
  for (const mode of ["DELETE", "WAL"] as const) {
    it(`refuses a newer register in ${mode} journal mode and leaves it as it was, journal mode included`, async () => {
      const dir = folder();
      const file = await makeRegister(dir, "future.sqlite", false);
      const raw = new Database(file);
      raw.pragma(`journal_mode = ${mode}`);
      raw.prepare("INSERT INTO schema_migrations VALUES (9999, 'from_the_future', 'abc', '2027-01-01')").run();
      raw.close();
      const before = snapshot(dir, file);
      const format = fileFormat(file);
      const error = await refusal(dir, file);
      expect(error.code).toBe("storage-unknown-migration");
      expect(error.message).toContain("written by a newer Shiftgate");
      expect(error.message).toContain("left untouched");
      expect(snapshot(dir, file)).toEqual(before);
      expect(fileFormat(file)).toBe(format);
    });
  }

  it("refuses a register with damaged pages at open, not at a later call, and leaves it as it was", async () => {
    const dir = folder();
    const file = await makeRegister(dir, "damaged.sqlite", true);
    // The audit table's root page: nothing at open reads it, so only a page check finds the damage.
    damagePage(file, "audit");
    const before = snapshot(dir, file);
    const error = await refusal(dir, file);
    expect(error.code).toBe("storage-corrupt");
    expect(error.message).toContain("is damaged");
    expect(error.message).toContain("left untouched");
    expect(snapshot(dir, file)).toEqual(before);
  });

  it("refuses a file that is not SQLite, creating nothing beside it", async () => {
    const dir = folder();
    const file = join(dir, "notes.sqlite");
    const fd = openSync(file, "w");
    writeSync(fd, Buffer.from("shift handover notes\n".repeat(400)));
    closeSync(fd);
    const before = snapshot(dir, file);
    expect(await refusal(dir, file)).toMatchObject({ code: "storage-corrupt" });
    expect(snapshot(dir, file)).toEqual(before);
  });

  it("refuses another program's SQLite file without switching its journal mode", async () => {
    const dir = folder();
    const file = join(dir, "inventory.sqlite");
    const other = new Database(file);
    other.exec("CREATE TABLE stock (sku TEXT PRIMARY KEY, qty INTEGER); INSERT INTO stock VALUES ('B-100', 12)");
    other.close();
    const before = snapshot(dir, file);
    const error = await refusal(dir, file);
    expect(error.code).toBe("storage-unknown-migration");
    expect(error.message).toContain("is not a Shiftgate register");
    expect(snapshot(dir, file)).toEqual(before);
    expect(fileFormat(file)).toBe(1);
  });

  it("refuses a register another program holds locked, leaving it as it was", async () => {
    const dir = folder();
    const file = await makeRegister(dir, "locked.sqlite", false);
    const raw = new Database(file);
    raw.pragma("journal_mode = DELETE");
    raw.close();
    const before = snapshot(dir, file);
    const other = new Database(file);
    cleanups.unshift(() => other.close());
    other.exec("BEGIN EXCLUSIVE");
    const fromOther = readdirSync(dir).sort();
    const error = await openRegister({
      file,
      migrations: loadMigrations(defaultMigrationsDir()),
      clock,
      busyTimeoutMs: 50,
    }).then(
      () => expect.fail("the register opened"),
      (e: { code: string; message: string }) => e,
    );
    expect(error.code).toBe("storage-locked");
    expect(error.message).toContain("locked by another program");
    expect(readdirSync(dir).sort()).toEqual(fromOther);
    other.exec("ROLLBACK");
    expect(snapshot(dir, file)).toEqual(before);
  });

  it("a register too large to check at open opens at once, and takes no write until its pages pass", async () => {
    const dir = folder();
    const file = await makeRegister(dir, "large.sqlite", true);
    // Evidence blobs: a page creating a change never touches, so only the page check can stop the write.
    damagePage(file, "blobs");
    const before = sha(file);
    const core = await createCore({
      dataDir: dir,
      registerFile: file,
      appVersion: "t",
      clock,
      pageCheckAtOpenMaxBytes: 0,
    });
    try {
      expect(await core.call("change.list", {})).toMatchObject({ ok: true });
      const write = await core.call("change.create", newChange());
      expect(write).toMatchObject({ ok: false, error: { code: "storage-corrupt" } });
      expect(write.ok ? "" : write.error.message).toContain("is damaged");
    } finally {
      core.close();
    }
    expect(sha(file)).toBe(before);
  });

  it("a sound register too large to check at open takes writes once its pages pass", async () => {
    const dir = folder();
    const file = await makeRegister(dir, "large.sqlite", false);
    const core = await createCore({
      dataDir: dir,
      registerFile: file,
      appVersion: "t",
      clock,
      pageCheckAtOpenMaxBytes: 0,
    });
    try {
      expect(await core.call("change.create", newChange())).toMatchObject({ ok: true });
    } finally {
      core.close();
    }
  });
});
