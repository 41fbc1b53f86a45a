import { copyFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitops } from "../../../electron/core/gitops/first-run";
import { git, isolatedGitContext } from "../../../electron/core/gitops/git";
import { dataPaths } from "../../../electron/core/paths";
import { AUDIT_CANONICAL, sha256Hex } from "../../../electron/core/register/audit";
import { runCliCaptured } from "../../helpers/cli";
import { tempCore, tempDir } from "../../helpers/temp";
import { actAs, call, changeAwaitingApproval, decideAs } from "../approvals/support";

// The chain alone proves that no row was edited in place. Deleting the newest rows, or re-hashing every row from
// some point on, leaves a chain that verifies; the Audit-Head anchors in signed commits catch both.

interface VerifyJson {
  ok: boolean;
  events: number;
  firstBadSeq: number | null;
  anchors: { checked: boolean; anchors?: number; anchoredSeq?: number; problem?: string | null; note?: string };
}

const ctx = isolatedGitContext();
let dir: string;
let cleanup: () => void;
let register: string;
let remote: string;
let anchorSeqs: number[];
let scratch: { dir: string; cleanup: () => void };

async function verify(file: string, repo: string | null) {
  const args = ["audit", "verify", "--db", file, "--json", ...(repo ? ["--repo", repo] : [])];
  const result = await runCliCaptured(args);
  return { code: result.code, json: JSON.parse(result.stdout || "null") as VerifyJson };
}

let copies = 0;
/** A copy of the register with its audit triggers dropped, changed by `tamper`. */
function tampered(tamper: (db: Database.Database) => void): string {
  copies += 1;
  const file = join(scratch.dir, `copy-${copies}.sqlite`);
  copyFileSync(register, file);
  const db = new Database(file);
  db.exec("DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;");
  tamper(db);
  db.close();
  return file;
}

/** What a tamperer with write access to the file does: recompute every hash from `from` on, so the chain holds. */
function rehashFrom(db: Database.Database, from: number): void {
  const rows = db.prepare("SELECT seq FROM audit WHERE seq >= ? ORDER BY seq").pluck().all(from) as number[];
  let prev = db
    .prepare("SELECT hash FROM audit WHERE seq = ?")
    .pluck()
    .get(from - 1) as string;
  const canonical = db.prepare(`SELECT ${AUDIT_CANONICAL} FROM audit WHERE seq = ?`).pluck();
  for (const seq of rows) {
    db.prepare("UPDATE audit SET prev_hash = ?, reason = coalesce(reason, '') || ? WHERE seq = ?").run(
      prev,
      seq === from ? " (edited)" : "",
      seq,
    );
    const hash = sha256Hex(canonical.get(seq) as string);
    db.prepare("UPDATE audit SET hash = ? WHERE seq = ?").run(hash, seq);
    prev = hash;
  }
}

beforeAll(async () => {
  scratch = tempDir();
  const t = await tempCore({});
  ({ dir, cleanup } = t);
  await startGitops(t.core.services);
  remote = dataPaths(dir).gitopsDemoRemote;
  register = join(scratch.dir, "register.sqlite");
  // Two approvals, each a signed commit anchoring the audit head of its moment.
  const start = new Date(Date.now() - 3_600_000).toISOString();
  // Both made before anyone's key is selected: a selected key would make its holder their requester.
  const ids = [
    await changeAwaitingApproval(t.core, { windowStart: start }),
    await changeAwaitingApproval(t.core, { windowStart: start }),
  ];
  for (const id of ids) {
    await actAs(t.core, "lena.weber@plant.example");
    await call(t.core, "gitops.submit", { changeId: id });
    await decideAs(t.core, "sofia.rossi@plant.example", id);
  }
  // Each commit's push runs in the background after it; one more push round waits for them and sends what is left,
  // so the remote's anchors are read once every commit is there.
  await call(t.core, "gitops.push", {});
  const log = await git(ctx, remote, ["log", "--format=%(trailers:key=Audit-Head,valueonly)", "--all"]);
  anchorSeqs = log.stdout
    .split("\n")
    .filter(Boolean)
    .map((v) => Number(v.split(" ")[1]))
    .sort((a, b) => a - b);
  // The core is closed before the file is copied: the copy must hold every committed row.
  t.core.close();
  copyFileSync(join(dir, "register.sqlite"), register);
});
afterAll(() => {
  cleanup();
  scratch.cleanup();
});

describe("audit verify --repo", () => {
  it("finds this register's anchors in the signed commits and agrees with them", async () => {
    expect(anchorSeqs.length).toBeGreaterThanOrEqual(3);
    const { code, json } = await verify(register, remote);
    expect(code).toBe(0);
    expect(json).toMatchObject({ ok: true, firstBadSeq: null, anchors: { checked: true, problem: null } });
    expect(json.anchors.anchors).toBe(anchorSeqs.length);
    expect(json.anchors.anchoredSeq).toBe(anchorSeqs.at(-1));
  });

  it("without --repo says what it could not check", async () => {
    const { code, json } = await verify(register, null);
    expect(code).toBe(0);
    expect(json.anchors.checked).toBe(false);
    expect(json.anchors.note).toMatch(/re-hashed suffix/);
  });

  it("catches a truncated tail the chain alone passes", async () => {
    const last = anchorSeqs.at(-1) as number;
    const file = tampered((db) => db.prepare("DELETE FROM audit WHERE seq >= ?").run(last));
    const alone = await verify(file, null);
    expect(alone.json.ok).toBe(true);
    const { code, json } = await verify(file, remote);
    expect(code).toBe(1);
    expect(json.ok).toBe(false);
    expect(json.firstBadSeq).toBe((anchorSeqs.at(-2) as number) + 1);
    expect(json.anchors.problem).toContain(`event ${last} is gone`);
  });

  it("catches a suffix re-hashed from a row between two anchors", async () => {
    const [first, second] = anchorSeqs.slice(-2) as [number, number];
    const from = first + 1;
    expect(from).toBeLessThanOrEqual(second);
    const file = tampered((db) => rehashFrom(db, from));
    const alone = await verify(file, null);
    expect(alone.json.ok).toBe(true);
    const { code, json } = await verify(file, remote);
    expect(code).toBe(1);
    expect(json.firstBadSeq).toBe(from);
    expect(json.anchors.problem).toContain(`event ${second} has another hash`);
  });
});
