import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { fixedClock } from "../../../electron/core/clock";
import { createCore, defaultMigrationsDir } from "../../../electron/core/core";
import { openRegister } from "../../../electron/core/register/db";
import { loadMigrations } from "../../../electron/core/register/migrations";
import type { AuditVerifyResult, ChangeDetail } from "../../../shared/contract/index";
import { tempDir } from "../../helpers/temp";
import { call, newChange } from "./register-fixtures";

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

const open = (dir: string, file: string, demo?: boolean) =>
  createCore({ dataDir: dir, registerFile: file, appVersion: "t", clock, ...(demo === undefined ? {} : { demo }) });

const sha = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

async function openFails(dir: string, file: string): Promise<{ code: string }> {
  try {
    const core = await open(dir, file);
    core.close();
  } catch (error) {
    return error as { code: string };
  }
  return expect.fail("the register opened");
}

describe("migrations", () => {
  it("creates a fresh register at the latest schema, seeded with the demo by default", async () => {
    const dir = folder();
    const core = await open(dir, join(dir, "r.sqlite"));
    const versions = core.services.register.db.prepare("SELECT version FROM schema_migrations").pluck().all();
    expect(versions).toEqual(loadMigrations(defaultMigrationsDir()).map((m) => m.version));
    expect(core.services.register.backupFile).toBeNull();
    const page = await call<{ total: number }>(core, "change.list", {});
    expect(page.total).toBeGreaterThan(10);
    core.close();
    const again = await open(dir, join(dir, "r.sqlite"));
    expect((await call<{ total: number }>(again, "change.list", {})).total).toBe(page.total);
    again.close();
  });

  it("upgrades a schema-1 register after backing it up, keeping its data and seeding nothing", async () => {
    const dir = folder();
    const file = join(dir, "old.sqlite");
    const old = await openRegister({ file, migrations: loadMigrations(defaultMigrationsDir()).slice(0, 1), clock });
    old.db.prepare("INSERT INTO settings (key, value) VALUES ('gitops.path', '/srv/gitops')").run();
    old.close();
    const core = await open(dir, file);
    const backup = core.services.register.backupFile;
    expect(backup).not.toBeNull();
    const copy = new Database(backup ?? "", { readonly: true });
    expect(copy.prepare("SELECT count(*) FROM schema_migrations").pluck().get()).toBe(1);
    copy.close();
    expect(core.services.register.db.prepare("SELECT value FROM settings").pluck().get()).toBe("/srv/gitops");
    expect((await call<{ total: number }>(core, "change.list", {})).total).toBe(0);
    await call<ChangeDetail>(core, "change.create", newChange());
    expect(await call<AuditVerifyResult>(core, "audit.verify", {})).toEqual({ ok: true, events: 1, firstBadSeq: null });
    core.close();
  });

  it("refuses a register with an unknown migration and leaves it untouched", async () => {
    const dir = folder();
    const file = join(dir, "future.sqlite");
    (await open(dir, file, false)).close();
    const raw = new Database(file);
    raw.prepare("INSERT INTO schema_migrations VALUES (9999, 'from_the_future', 'abc', '2027-01-01')").run();
    raw.close();
    const before = sha(file);
    expect(await openFails(dir, file)).toMatchObject({ code: "storage-unknown-migration" });
    expect(sha(file)).toBe(before);
  });

  it("refuses a corrupt file and leaves it byte for byte untouched", async () => {
    const dir = folder();
    const file = join(dir, "corrupt.sqlite");
    writeFileSync(file, Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 37 + 11) % 256)));
    const before = sha(file);
    expect(await openFails(dir, file)).toMatchObject({ code: "storage-corrupt" });
    expect(sha(file)).toBe(before);
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it("reports a register locked by another program as storage-locked", async () => {
    const dir = folder();
    const file = join(dir, "locked.sqlite");
    (await open(dir, file, false)).close();
    const other = new Database(file);
    other.pragma("locking_mode = EXCLUSIVE");
    other.exec("BEGIN EXCLUSIVE; INSERT INTO settings VALUES ('k', 'v'); COMMIT;");
    const before = sha(file);
    expect(await openFails(dir, file)).toMatchObject({ code: "storage-locked" });
    expect(sha(file)).toBe(before);
    other.close();
  });

  it("reports a write blocked by another writer as storage-locked, and saves nothing", async () => {
    const dir = folder();
    const file = join(dir, "busy.sqlite");
    const core = await open(dir, file, false);
    const other = new Database(file);
    other.exec("BEGIN IMMEDIATE");
    const result = await core.call("change.create", newChange());
    expect(result).toMatchObject({ ok: false, error: { code: "storage-locked" } });
    other.exec("ROLLBACK");
    other.close();
    expect((await call<{ total: number }>(core, "change.list", {})).total).toBe(0);
    core.close();
  });
});
