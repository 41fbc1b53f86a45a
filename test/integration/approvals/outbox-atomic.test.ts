import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { fixedClock } from "../../../electron/core/clock";
import { type Core, createCore } from "../../../electron/core/core";
import { startGitops } from "../../../electron/core/gitops/first-run";
import { git, isolatedGitContext } from "../../../electron/core/gitops/git";
import { dataPaths } from "../../../electron/core/paths";
import { reviewPath } from "../../../shared/domain/policy/index";
import { tempCore } from "../../helpers/temp";
import { call, SCANNER_EMERGENCY } from "./support";

// An approval's outbox intent and its register rows (approval, audit, move to approved) are one transaction, and
// git runs only after it: a failure on either side leaves neither; each core writes through its own outbox.

const ctx = isolatedGitContext();
const CHG = "CHG-2026-0003";
const SOFIA_FILE = `changes/${CHG}/approvals/sofia.rossi@plant.example--deploy.yaml`;
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

// A laptop on the demo repository, synced, acting as Sofia; CHG-2026-0003 awaits her approval.
async function laptop(): Promise<{ core: Core; dir: string; changeId: string }> {
  const t = await tempCore({});
  cleanups.push(t.cleanup);
  await startGitops(t.core.services);
  await call(t.core, "gitops.sync", {});
  await call(t.core, "identity.use", { keyFile: join(dataPaths(t.dir).keys, "sofia.rossi@plant.example.key") });
  return { core: t.core, dir: t.dir, changeId: changeIdOf(t.core) };
}

function changeIdOf(core: Core): string {
  const row = core.services.register.db.prepare("SELECT id FROM changes WHERE number = ?").get(CHG) as
    | { id: string }
    | undefined;
  if (!row) throw new Error(`${CHG} was not imported`);
  return row.id;
}

const approve = (changeId: string, meaning = "Approved for production release") => ({
  changeId,
  scope: "deploy" as const,
  decision: "approved" as const,
  meaning,
  passphrase: "",
});

// What the register, the working copy and the remote hold for the change.
async function snapshot(core: Core, dir: string, changeId: string) {
  const db = core.services.register.db;
  const count = (sql: string, ...args: unknown[]) => (db.prepare(sql).get(...args) as { n: number }).n;
  const work = dataPaths(dir).gitopsWorkingCopy;
  const remote = dataPaths(dir).gitopsDemoRemote;
  const onRemote = await git(ctx, remote, ["log", "--format=%H", "main", "--", SOFIA_FILE]);
  return {
    approvals: count("SELECT count(*) AS n FROM approvals WHERE change_id = ?", changeId),
    audited: count("SELECT count(*) AS n FROM audit WHERE action = 'approval.approve' AND entity_id = ?", changeId),
    intents: count("SELECT count(*) AS n FROM gitops_outbox WHERE change_number = ? AND kind = 'approval'", CHG),
    status: (db.prepare("SELECT status FROM changes WHERE id = ?").get(changeId) as { status: string }).status,
    head: (await git(ctx, work, ["rev-parse", "HEAD"])).stdout.trim(),
    dirty: (await git(ctx, work, ["status", "--porcelain"])).stdout,
    remote: onRemote.stdout.split("\n").filter(Boolean).length,
  };
}

describe("an approval and its outbox intent commit together", () => {
  it("a failure writing the approval after the intent leaves neither, and no commit; a retry publishes once", async () => {
    const { core, dir, changeId } = await laptop();
    const db = core.services.register.db;
    const before = await snapshot(core, dir, changeId);
    // The register refuses the approval row inside the transaction that also holds the outbox intent.
    db.exec(
      "CREATE TEMP TRIGGER inject_failure BEFORE INSERT ON approvals BEGIN SELECT RAISE(ABORT, 'disk full'); END",
    );
    const failed = await core.call("approval.decide", approve(changeId));
    expect(failed.ok).toBe(false);
    await call(core, "gitops.push", {});
    expect(await snapshot(core, dir, changeId)).toEqual(before);

    db.exec("DROP TRIGGER temp.inject_failure");
    const done = await call(core, "approval.decide", approve(changeId));
    expect(done.approval.commit).toMatch(/^[0-9a-f]{40}$/);
    await call(core, "gitops.push", {});
    const after = await snapshot(core, dir, changeId);
    expect(after).toMatchObject({ approvals: 1, audited: 1, intents: 1, dirty: "", remote: 1 });
    expect(after.head).toBe(done.approval.commit);
    // Read back later, the approval finds its commit through its intent.
    const preview = await call(core, "approval.preview", { changeId });
    const mine = preview.approvals.find((a) => a.signature.email === "sofia.rossi@plant.example");
    expect(mine?.commit).toBe(done.approval.commit);
  });

  it("a failure writing the intent leaves no approval, audit row or move to approved", async () => {
    const { core, dir, changeId } = await laptop();
    const db = core.services.register.db;
    const before = await snapshot(core, dir, changeId);
    db.exec(
      "CREATE TEMP TRIGGER inject_failure BEFORE INSERT ON gitops_outbox BEGIN SELECT RAISE(ABORT, 'disk full'); END",
    );
    const failed = await core.call("approval.decide", approve(changeId));
    expect(failed.ok).toBe(false);
    expect(await snapshot(core, dir, changeId)).toEqual(before);
  });
});

describe("a retrospective review and its outbox intent commit together", () => {
  it("a failure writing the review leaves neither, and no commit; a retry publishes once", async () => {
    const { core, dir } = await laptop();
    const keys = dataPaths(dir).keys;
    const db = core.services.register.db;
    // Raj logs an emergency change: it goes to the repository with its exception, so its review has a place there.
    await call(core, "identity.use", { keyFile: join(keys, "raj.patel@plant.example.key") });
    const logged = await call(core, "exception.log", {
      ...SCANNER_EMERGENCY,
      environment: "production",
      meaning: "Logged under break-glass",
      passphrase: "",
    });
    const changeId = logged.change.id;
    const number = logged.change.number;
    const work = dataPaths(dir).gitopsWorkingCopy;
    const state = async () => ({
      // This change's review only: the demo holds a reviewed emergency of its own.
      reviews: (
        db.prepare("SELECT count(*) AS n FROM exception_reviews WHERE change_id = ?").get(changeId) as { n: number }
      ).n,
      intents: (db.prepare("SELECT count(*) AS n FROM gitops_outbox WHERE kind = 'review'").get() as { n: number }).n,
      head: (await git(ctx, work, ["rev-parse", "HEAD"])).stdout.trim(),
      dirty: (await git(ctx, work, ["status", "--porcelain"])).stdout,
    });

    await call(core, "identity.use", { keyFile: join(keys, "sofia.rossi@plant.example.key") });
    const review = {
      changeId,
      outcome: "accepted" as const,
      notes: "Root cause fixed",
      meaning: "Reviewed",
      passphrase: "",
    };
    const before = await state();
    db.exec(
      "CREATE TEMP TRIGGER inject_failure BEFORE INSERT ON exception_reviews BEGIN SELECT RAISE(ABORT, 'disk full'); END",
    );
    expect((await core.call("exception.review", review)).ok).toBe(false);
    expect(await state()).toEqual(before);

    db.exec("DROP TRIGGER temp.inject_failure");
    const done = await call(core, "exception.review", review);
    expect(done.review?.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(await state()).toMatchObject({ reviews: 1, intents: 1, head: done.review?.commit, dirty: "" });
    const listed = await call(core, "exception.list", { overdueOnly: false });
    expect(listed.find((e) => e.change.id === changeId)?.review?.commit).toBe(done.review?.commit);
    await call(core, "gitops.push", {});
    const remote = dataPaths(dir).gitopsDemoRemote;
    const file = reviewPath(number ?? "", done.review?.signature.email ?? "");
    const onRemote = await git(ctx, remote, ["log", "--format=%H", "main", "--", file]);
    expect(onRemote.stdout.split("\n").filter(Boolean)).toHaveLength(1);
  });
});

describe("each core writes through its own outbox", () => {
  it("a second core over the same working copy folder does not take the first one's approvals", async () => {
    const a = await laptop();
    // Same data folder (so the same working copy), its own register: a second core in this process.
    const b = await createCore({
      dataDir: a.dir,
      registerFile: join(a.dir, "second-register.sqlite"),
      appVersion: "0.0.0-test",
      clock: fixedClock("2026-12-01T08:00:00Z"),
    });
    cleanups.push(() => b.close());
    const intents = (core: Core) =>
      (core.services.register.db.prepare("SELECT count(*) AS n FROM gitops_outbox").get() as { n: number }).n;
    const bBefore = intents(b);

    const done = await call(a.core, "approval.decide", approve(a.changeId));
    expect(done.approval.commit).toMatch(/^[0-9a-f]{40}$/);
    const row = a.core.services.register.db
      .prepare("SELECT id, sha FROM gitops_outbox WHERE kind = 'approval' AND change_number = ?")
      .get(CHG) as { id: string; sha: string } | undefined;
    expect(row).toEqual({ id: done.approval.id, sha: done.approval.commit });
    expect(intents(b)).toBe(bBefore);

    // Closing the second core leaves the first one's outbox working.
    b.close();
    await call(a.core, "gitops.push", {});
    expect((await snapshot(a.core, a.dir, a.changeId)).remote).toBe(1);
  });

  it("two cores over two data folders keep their own outboxes", async () => {
    const [a, c] = [await laptop(), await laptop()];
    await call(a.core, "approval.decide", approve(a.changeId, "Approved on laptop A"));
    await call(c.core, "approval.decide", approve(c.changeId, "Approved on laptop C"));
    const laptops = (core: Core) =>
      (
        core.services.register.db.prepare("SELECT files FROM gitops_outbox WHERE kind = 'approval'").all() as {
          files: string;
        }[]
      ).map((r) => /laptop ([AC])/.exec(r.files)?.[1]);
    expect(laptops(a.core)).toEqual(["A"]);
    expect(laptops(c.core)).toEqual(["C"]);
  });
});
