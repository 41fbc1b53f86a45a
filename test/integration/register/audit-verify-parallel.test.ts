import { copyFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../../electron/core/clock";
import { defaultMigrationsDir } from "../../../electron/core/core";
import { appendAudit, verifyAudit } from "../../../electron/core/register/audit";
import { verifyAuditApart } from "../../../electron/core/register/audit-apart";
import { AUDIT_BATCH_ROWS } from "../../../electron/core/register/audit-parallel";
import { openRegister } from "../../../electron/core/register/db";
import { loadMigrations } from "../../../electron/core/register/migrations";
import { tempDir } from "../../helpers/temp";

// Past the single-thread threshold and over several batches, so verify checks on worker threads and the
// tampered rows land at the start, the end and either side of batch boundaries.
const ROWS = 3 * AUDIT_BATCH_ROWS + 123;

let dir: string;
let cleanup: () => void;
let pristine: string;

beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  pristine = join(dir, "large.sqlite");
  const register = await openRegister({
    file: pristine,
    migrations: loadMigrations(defaultMigrationsDir()),
    clock: fixedClock(new Date("2026-03-01T08:00:00Z")),
  });
  const at = new Date("2026-03-01T08:00:00Z");
  register.db
    .transaction(() => {
      const entries = Array.from({ length: ROWS }, (_, k) => ({
        action: "change.comment",
        entity: "comment",
        entityId: `C${k}`,
        after: { changeId: "01J00000000000000000000000", body: `Line ${k}\nsecond line «ünïcode»` },
        actor: "raj.patel@plant.example",
      }));
      appendAudit(register.db, entries, { door: "direct", at }, "os:test");
    })
    .immediate();
  register.close();
}, 60_000);
afterAll(() => cleanup());

let copies = 0;
/**
 * verifyAudit over a copy of the large register with its audit triggers dropped, changed by `tamper`; the same
 * copy verified in a process of its own (the core's audit.verify) must give the same answer, and leave this
 * thread free while it runs.
 */
async function verifyTampered(tamper: (db: Database.Database) => void) {
  copies += 1;
  const file = join(dir, `copy-${copies}.sqlite`);
  copyFileSync(pristine, file);
  const db = new Database(file);
  db.exec("DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;");
  tamper(db);
  const result = verifyAudit(db);
  let threadFree = false;
  setImmediate(() => {
    threadFree = true;
  });
  expect(await verifyAuditApart({ db, file })).toEqual(result);
  expect(threadFree).toBe(true);
  db.close();
  return result;
}

describe("audit verify on a register large enough for worker threads", () => {
  it("verifies the untouched chain", async () => {
    expect(await verifyTampered(() => undefined)).toEqual({ ok: true, events: ROWS, firstBadSeq: null });
  });

  it("a verify process that cannot open the register still gives the walk's answer (checked on this thread)", async () => {
    const db = new Database(pristine, { readonly: true });
    const nativeBinding = join(dir, "no-such-binding.node");
    expect(await verifyAuditApart({ db, file: pristine, nativeBinding })).toEqual({
      ok: true,
      events: ROWS,
      firstBadSeq: null,
    });
    db.close();
  });

  const boundary = AUDIT_BATCH_ROWS;
  const positions = [1, 2, boundary, boundary + 1, 2 * boundary + 7, 3 * boundary, 3 * boundary + 1, ROWS];

  it.each(positions)("reports an edited row %i as the first bad one", async (seq) => {
    const result = await verifyTampered((db) =>
      db.prepare("UPDATE audit SET actor = 'mallory' WHERE seq = ?").run(seq),
    );
    expect(result).toEqual({ ok: false, events: ROWS, firstBadSeq: seq });
  });

  it("reports the lowest of several bad rows in different batches", async () => {
    const result = await verifyTampered((db) => {
      const edit = db.prepare("UPDATE audit SET reason = 'tampered' WHERE seq = ?");
      for (const seq of [3 * boundary + 5, boundary + 9, 2 * boundary + 1]) edit.run(seq);
    });
    expect(result).toEqual({ ok: false, events: ROWS, firstBadSeq: boundary + 9 });
  });

  it("reports a row re-hashed after an edit by its own seq (the next row's link also breaks)", async () => {
    const seq = 2 * boundary;
    const result = await verifyTampered((db) =>
      db.prepare("UPDATE audit SET actor = 'mallory', hash = ? WHERE seq = ?").run("f".repeat(64), seq),
    );
    expect(result).toEqual({ ok: false, events: ROWS, firstBadSeq: seq });
  });

  it.each(["", "f".repeat(63), `${"f".repeat(63)}\n`])(
    "reports a stored hash of %j at a batch boundary",
    async (bad) => {
      const seq = boundary + 1;
      const result = await verifyTampered((db) => db.prepare("UPDATE audit SET hash = ? WHERE seq = ?").run(bad, seq));
      expect(result).toEqual({ ok: false, events: ROWS, firstBadSeq: seq });
    },
  );

  it("reports a deleted row and a broken link across a batch boundary", async () => {
    const gap = 2 * boundary + 1;
    expect(await verifyTampered((db) => db.prepare("DELETE FROM audit WHERE seq = ?").run(gap))).toEqual({
      ok: false,
      events: ROWS - 1,
      firstBadSeq: gap,
    });
    const linked = boundary + 1;
    const result = await verifyTampered((db) =>
      db.prepare("UPDATE audit SET prev_hash = ? WHERE seq = ?").run("0".repeat(64), linked),
    );
    expect(result).toEqual({ ok: false, events: ROWS, firstBadSeq: linked });
  });
});
