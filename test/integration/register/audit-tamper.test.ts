import { copyFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCliCaptured } from "../../helpers/cli";
import { tempDir } from "../../helpers/temp";

let dir: string;
let cleanup: () => void;
let pristine: string;
let events: number;

// Without --repo the anchors are not checked (audit-anchors.test.ts); these cases are about the chain itself.
function chainOf(json: { ok: boolean; events: number; firstBadSeq: number | null }) {
  return { ok: json.ok, events: json.events, firstBadSeq: json.firstBadSeq };
}

async function verify(file: string) {
  const result = await runCliCaptured(["audit", "verify", "--db", file, "--json"]);
  return {
    ...result,
    json: chainOf(JSON.parse(result.stdout || "null") as { ok: boolean; events: number; firstBadSeq: number | null }),
  };
}

let copies = 0;
/** A copy of the demo register with its audit triggers dropped, changed by `tamper`. */
function tampered(tamper: (db: Database.Database) => void): string {
  copies += 1;
  const file = join(dir, `copy-${copies}.sqlite`);
  copyFileSync(pristine, file);
  const db = new Database(file);
  db.exec("DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;");
  tamper(db);
  db.close();
  return file;
}

beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  pristine = join(dir, "demo.sqlite");
  const init = await runCliCaptured(["register", "init", "--db", pristine, "--demo"]);
  expect(init.code).toBe(0);
  const db = new Database(pristine, { readonly: true });
  events = db.prepare("SELECT count(*) FROM audit").pluck().get() as number;
  db.close();
});
afterAll(() => cleanup());

describe("audit chain", () => {
  it("verifies an untouched register", async () => {
    const result = await verify(pristine);
    expect(result.code).toBe(0);
    expect(result.json).toEqual({ ok: true, events, firstBadSeq: null });
    expect(events).toBeGreaterThan(100);
  });

  it("refuses UPDATE and DELETE while the triggers stand", () => {
    const db = new Database(pristine);
    expect(() => db.prepare("UPDATE audit SET actor = 'mallory' WHERE seq = 1").run()).toThrow(/append-only/);
    expect(() => db.prepare("DELETE FROM audit WHERE seq = 1").run()).toThrow(/append-only/);
    db.close();
  });

  const positions = () => [1, Math.floor(events / 2), events];

  it.each(["actor", "reason", "after", "at", "action"])("reports the first edited row (column %s)", async (column) => {
    for (const seq of positions()) {
      const file = tampered((db) => db.prepare(`UPDATE audit SET ${column} = 'tampered' WHERE seq = ?`).run(seq));
      const result = await verify(file);
      expect(result.code).toBe(1);
      expect(result.json).toEqual({ ok: false, events, firstBadSeq: seq });
    }
  });

  it("reports an edited row even when its own hash is recomputed (the next link breaks)", async () => {
    const seq = Math.floor(events / 2);
    const file = tampered((db) =>
      db.prepare("UPDATE audit SET actor = 'mallory', hash = ? WHERE seq = ?").run("f".repeat(64), seq),
    );
    expect((await verify(file)).json.firstBadSeq).toBe(seq);
  });

  it.each(["", "abc", "f".repeat(63), "f".repeat(65), "[1,"])("reports a row whose stored hash is %j", async (bad) => {
    const seq = Math.floor(events / 3);
    const file = tampered((db) => db.prepare("UPDATE audit SET hash = ? WHERE seq = ?").run(bad, seq));
    expect((await verify(file)).json).toEqual({ ok: false, events, firstBadSeq: seq });
  });

  it("reports a deleted row by its sequence number", async () => {
    for (const seq of positions().slice(0, 2)) {
      const file = tampered((db) => db.prepare("DELETE FROM audit WHERE seq = ?").run(seq));
      const result = await verify(file);
      expect(result.code).toBe(1);
      expect(result.json).toEqual({ ok: false, events: events - 1, firstBadSeq: seq });
    }
  });

  it("reports inserted rows: forged at the end, or slipped in by renumbering", async () => {
    const appended = tampered((db) => {
      const last = db.prepare("SELECT * FROM audit ORDER BY seq DESC LIMIT 1").get() as Record<string, unknown>;
      db.prepare(
        "INSERT INTO audit SELECT seq + 1, at, 'mallory', door, action, entity, entity_id, change_id, before, after, reason, hash, ? FROM audit WHERE seq = ?",
      ).run("0".repeat(64), last.seq);
    });
    expect((await verify(appended)).json).toEqual({ ok: false, events: events + 1, firstBadSeq: events + 1 });
    const k = 10;
    const inserted = tampered((db) => {
      // Make room at seq k by shifting the tail up, then copy row k-1 into the gap with a plausible link.
      db.prepare("UPDATE audit SET seq = -seq WHERE seq >= ?").run(k);
      db.prepare("UPDATE audit SET seq = -seq + 1 WHERE seq < 0").run();
      db.prepare(
        "INSERT INTO audit SELECT ?, at, 'mallory', door, action, entity, entity_id, change_id, before, after, reason, hash, hash FROM audit WHERE seq = ?",
      ).run(k, k - 1);
    });
    expect((await verify(inserted)).json).toMatchObject({ ok: false, events: events + 1, firstBadSeq: k });
  });

  it("exits 2 with a one-line message for a missing file", async () => {
    const result = await runCliCaptured(["audit", "verify", "--db", join(dir, "missing.sqlite"), "--json"]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  });
});
