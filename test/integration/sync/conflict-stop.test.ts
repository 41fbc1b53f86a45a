import { createHash } from "node:crypto";
import { readdirSync, readFileSync, renameSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Core } from "../../../electron/core/core";
import { startGitops } from "../../../electron/core/gitops/first-run";
import { git, isolatedGitContext } from "../../../electron/core/gitops/git";
import { outboxOf } from "../../../electron/core/gitops/outbox-registry";
import { dataPaths } from "../../../electron/core/paths";
import { runCliCaptured } from "../../helpers/cli";
import { openDoors, refusedAtEveryDoor } from "../../helpers/doors";
import { ADMIN } from "../../helpers/gitops-world";
import { justSubmitted } from "../../helpers/laptops";
import { setupGitopsRepo } from "../../helpers/ledger-writes";
import { tempCore } from "../../helpers/temp";
import { call, refused } from "../approvals/support";
import { contentHash } from "../register/register-fixtures";

// Issue #17: a sync that finds a conflict it cannot resolve stops, says which files and which laptops, and changes
// nothing. Two laptops' policy-admin publishes Berlin's calendar with different shift patterns; the second laptop's
// commit cannot be replayed on the first's, so its sync must stop with register, outbox and working copy as before.

const ctx = isolatedGitContext();
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});
const BERLIN = ".shiftgate/calendars/berlin.ics";

async function laptops() {
  const a = await tempCore({});
  cleanups.push(a.cleanup);
  await startGitops(a.core.services);
  // The second laptop has the demo plants in its register and a working copy cloned from the first's remote.
  const b = await tempCore({});
  cleanups.push(b.cleanup);
  await setupGitopsRepo({ source: dataPaths(a.dir).gitopsDemoRemote, dir: dataPaths(b.dir).gitopsWorkingCopy, ctx });
  await call(b.core, "gitops.sync", {});
  const adminKey = join(dataPaths(a.dir).keys, `${ADMIN}.key`);
  await call(a.core, "identity.use", { keyFile: adminKey });
  await call(b.core, "identity.use", { keyFile: adminKey });
  return { a, b, remote: dataPaths(a.dir).gitopsDemoRemote };
}

const registerId = (core: Core) =>
  core.services.register.db.prepare("SELECT value FROM settings WHERE key = 'register.id'").pluck().get() as string;

/** Every ref, HEAD, the index and working tree state, and every file's bytes: the local repository as it stands. */
async function repoState(dir: string): Promise<string> {
  const refs = (await git(ctx, dir, ["for-each-ref", "--format=%(refname) %(objectname)"])).stdout;
  const head = (await git(ctx, dir, ["rev-parse", "HEAD"])).stdout;
  const symbolic = (await git(ctx, dir, ["symbolic-ref", "HEAD"])).stdout;
  const status = (await git(ctx, dir, ["status", "--porcelain", "--untracked-files=all"])).stdout;
  const files: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (name === ".git") continue;
      if (statSync(path).isDirectory()) walk(path);
      else files.push(`${relative(dir, path)} ${createHash("sha256").update(readFileSync(path)).digest("hex")}`);
    }
  };
  walk(dir);
  const inProgress = ["rebase-merge", "rebase-apply", "CHERRY_PICK_HEAD", "MERGE_HEAD"].filter((f) => {
    try {
      statSync(join(dir, ".git", f));
      return true;
    } catch {
      return false;
    }
  });
  return [refs, head, symbolic, status, files.sort().join("\n"), inProgress.join(",")].join("\n--\n");
}

describe("a sync that meets a conflict it cannot resolve", () => {
  it("stops, names the file, the signer and both laptops, and leaves register, outbox and working copy as they were", async () => {
    const { a, b, remote } = await laptops();
    // Laptop A publishes Berlin on the continental pattern and it reaches the remote.
    await call(a.core, "plant.applyPreset", { plant: "berlin", preset: "3x8-continental", anchor: "2026-11-30" });
    expect(await call(a.core, "gitops.publishCalendars", {})).toMatchObject({ pushed: true, error: null });
    // Laptop B, not yet synced, publishes Berlin on another pattern: its push cannot be replayed and waits.
    await call(b.core, "plant.applyPreset", { plant: "berlin", preset: "2x12-dupont", anchor: "2026-11-30" });
    const theirs = await call(b.core, "gitops.publishCalendars", {});
    expect(theirs.pushed).toBe(false);
    // The outbox's own retry timer is the machine's: stopped so only the sync under test touches the working copy.
    outboxOf(b.core.services)?.stop();
    const waiting = (await call(b.core, "gitops.outbox", {})).items;
    expect(waiting.map((i) => [i.id, i.state])).toEqual([[theirs.intent, "committed"]]);
    // The outbox says why in words too: the file and who changed it, not git's rebase output.
    expect(waiting[0]?.lastError).toMatch(/^Sync stopped: .*berlin\.ics.*Olivia Brown.*retried later/);

    const work = dataPaths(b.dir).gitopsWorkingCopy;
    const db = b.core.services.register.db;
    const registerBefore = contentHash(db);
    const repoBefore = await repoState(work);
    const remoteBefore = (await git(ctx, remote, ["rev-parse", "main"])).stdout;

    const error = await refused(b.core, "gitops.sync", {});
    expect(error.code).toBe("conflict");
    expect(error.message).toContain(BERLIN);
    expect(error.message).toContain(`Olivia Brown <${ADMIN}>`);
    // Which laptops: the register each commit anchors its audit head in.
    expect(error.message).toContain(`laptop ${registerId(a.core).slice(0, 8)}`);
    expect(error.message).toContain(`laptop ${registerId(b.core).slice(0, 8)}`);
    expect(error.message).toMatch(/Nothing was changed on this laptop/);

    expect(contentHash(db)).toBe(registerBefore);
    expect((await call(b.core, "gitops.outbox", {})).items).toEqual(waiting);
    expect(await repoState(work)).toBe(repoBefore);
    expect((await git(ctx, remote, ["rev-parse", "main"])).stdout).toBe(remoteBefore);

    // The status keeps the conflict: the files, and on each side who signed it on which laptop.
    const status = await call(b.core, "gitops.syncStatus", {});
    expect(status.lastError).toMatchObject({ code: "conflict", reason: "sync-conflict", trigger: "manual" });
    const conflicts = status.lastError?.conflicts ?? [];
    expect(conflicts.map((c) => c.path)).toContain(BERLIN);
    const berlin = conflicts.find((c) => c.path === BERLIN);
    expect(berlin?.remote.map((c) => [c.email, c.laptop])).toEqual([[ADMIN, registerId(a.core)]]);
    expect(berlin?.local.map((c) => [c.email, c.laptop])).toEqual([[ADMIN, registerId(b.core)]]);
    expect(status.waiting).toMatchObject({ count: 1, items: [{ id: theirs.intent, state: "committed" }] });

    // Through every door the same stop, and still nothing changed.
    const doors = await openDoors(b.core, b.dir);
    try {
      await refusedAtEveryDoor(b.core, doors, "gitops.sync", {}, { code: "conflict", message: /berlin\.ics/ });
    } finally {
      await doors.close();
    }
    // And from the command line, which reaches the same method.
    const cli = await runCliCaptured(["gitops", "sync", "--data-dir", b.dir]);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toMatch(/^Last sync failed just now: Sync stopped: .*berlin\.ics/m);
    expect(cli.stdout).toContain(`  conflict: ${BERLIN}`);
    expect(cli.stdout).toMatch(/^Waiting to go out: 1 commit\(s\)$/m);
    expect(contentHash(db)).toBe(registerBefore);
    expect(await repoState(work)).toBe(repoBefore);
    expect((await call(b.core, "gitops.outbox", {})).items).toEqual(waiting);
  });

  it("a submission that only lost its number to another laptop is no conflict: the sync renumbers it", async () => {
    const { a, b, remote } = await laptops();
    const submit = async (core: Core, title: string) => {
      const id = await justSubmitted(core, "olivia", title);
      return { id, submitted: await call(core, "gitops.submit", { changeId: id }) };
    };
    // B submits while the remote is away: the commit waits; then A takes the same number on the remote.
    renameSync(remote, `${remote}.away`);
    const mine = await submit(b.core, "Relabel Berlin pick routes");
    expect(mine.submitted.pushed).toBe(false);
    outboxOf(b.core.services)?.stop();
    renameSync(`${remote}.away`, remote);
    const theirs = await submit(a.core, "Chicago EDI partner mapping");
    expect(theirs.submitted).toMatchObject({ pushed: true, number: mine.submitted.number });

    const synced = await call(b.core, "gitops.sync", {});
    expect(synced.pushed).toBe(1);
    const number = (b.core.services.register.db
      .prepare("SELECT number FROM changes WHERE id = ?")
      .pluck()
      .get(mine.id) ?? "") as string;
    expect(number).not.toBe(theirs.submitted.number);
    expect((await git(ctx, remote, ["show", `main:changes/${number}/change.yaml`])).stdout).toContain(
      "Relabel Berlin pick routes",
    );
    expect((await call(b.core, "gitops.syncStatus", {})).lastError).toBeNull();
  });
});
