import { chmodSync, copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fixedClock } from "../../../electron/core/clock";
import type { Core } from "../../../electron/core/core";
import { git } from "../../../electron/core/gitops/git";
import { generateSshKey } from "../../../electron/core/gitops/keys";
import { createOutbox, type Outbox } from "../../../electron/core/gitops/outbox";
import type { OutboxIntent } from "../../../electron/core/gitops/outbox-store";
import type { GitopsRepo } from "../../../electron/core/gitops/repo";
import type { Signer } from "../../../electron/core/gitops/signing";
import { decisionWrite } from "../../../electron/core/gitops/writes";
import { createWorld, testChange, type World } from "../../helpers/gitops-world";
import { recordDecision, submitChange } from "../../helpers/ledger-writes";
import { tempCore } from "../../helpers/temp";
import { call } from "../approvals/support";

const clock = fixedClock("2026-12-01T08:00:00Z");
const CHANGE = "CHG-2026-0001";
const { id: _id, ...draft } = testChange(CHANGE);
let world: World;
let n = 0;

beforeAll(async () => {
  world = await createWorld("ssh");
  await submitChange(await world.clone("seed"), world.signer("lena.weber@plant.example"), draft, { clock });
});
afterAll(() => world?.cleanup());

let core: Core;
let cleanup: () => void;
let repo: GitopsRepo;
let outbox: Outbox;
let timers: { ms: number }[];

beforeEach(async () => {
  ({ core, cleanup } = await tempCore({ demo: false }));
  repo = await world.clone(`outbox-${++n}`);
  timers = [];
  let id = 0;
  outbox = createOutbox({
    db: core.services.register.db,
    repo,
    clock,
    newId: () => `01OUTBOX${String(n).padStart(4, "0")}${String(++id).padStart(14, "0")}`,
    timer: (_fn, ms) => {
      timers.push({ ms });
      return () => undefined;
    },
    resolveSigner: (email) => world.signer(email),
    autoPush: false,
  });
});
afterEach(() => {
  outbox.stop();
  cleanup();
});

function approval(signer: Signer, role = "cab-member"): OutboxIntent {
  const write = decisionWrite(signer, {
    change: CHANGE,
    scope: "deploy",
    decision: "approved",
    // Each test signs its own wording: the tests share one remote, and equal content would be "no change".
    meaning: `Approved for production release (test ${n})`,
    role,
    signedAt: "2026-12-01T09:00:00+01:00",
    changeDigest: "sha256:00",
  });
  return {
    kind: "approval",
    changeNumber: CHANGE,
    subject: "Approve",
    files: write.files,
    message: write.message,
    signer,
  };
}

const rows = () => call(core, "gitops.outbox", {});

async function onRemote(path: string): Promise<boolean> {
  const out = await git(world.ctx, world.remote, ["cat-file", "-e", `main:${path}`], { okCodes: [1, 128] });
  return out.code === 0;
}

async function remoteIntentCount(id: string): Promise<number> {
  const out = await git(world.ctx, world.remote, ["log", "--format=%H", `--grep=Shiftgate-Intent: ${id}`, "main"]);
  return out.stdout.split("\n").filter(Boolean).length;
}

const raj = () => world.signer("raj.patel@plant.example");
const rajFile = `changes/${CHANGE}/approvals/raj.patel@plant.example--deploy.yaml`;

describe("the outbox keeps each commit until the remote has it", () => {
  it("remote unreachable: clear error, stays committed, backoff scheduled, later retry pushes it once", async () => {
    await git(repo.ctx, repo.dir, ["remote", "set-url", "origin", join(world.dir, "nowhere.git")]);
    const queued = await outbox.enqueue(approval(raj()));
    expect(queued.sha).toMatch(/^[0-9a-f]{40}$/);
    const round = await outbox.push();
    expect(round.error?.reason).toBe("remote-unreachable");
    expect(round.error?.message).toMatch(/remote|reach/i);
    const view = await rows();
    expect(view.items).toHaveLength(1);
    expect(view.items[0]).toMatchObject({ state: "committed", attempts: 1, sha: queued.sha });
    expect(view.items[0]?.lastError).toBeTruthy();
    expect(timers.at(-1)?.ms).toBe(2000);
    await outbox.push();
    expect(timers.at(-1)?.ms).toBe(4000);

    await git(repo.ctx, repo.dir, ["remote", "set-url", "origin", world.remote]);
    expect(await outbox.push()).toMatchObject({ pushed: 1, error: null });
    expect((await rows()).items).toHaveLength(0);
    expect((await rows()).recent[0]).toMatchObject({ state: "pushed", changeId: null, change: CHANGE });
    expect(await onRemote(rajFile)).toBe(true);
    expect(await remoteIntentCount(queued.id)).toBe(1);
  });

  it("push refused because another laptop pushed first: replayed on top, re-signed, pushed", async () => {
    await outbox.enqueue(approval(raj()));
    const other = await world.clone(`other-${n}`);
    const kenji = world.signer("kenji.sato@plant.example");
    await recordDecision(other, kenji, {
      change: CHANGE,
      scope: "deploy",
      decision: "approved",
      meaning: "Approved for production release",
      role: "cab-member",
      signedAt: "2026-12-01T09:00:00+01:00",
    });
    await git(other.ctx, other.dir, ["push", "--quiet", "origin", "HEAD:main"]);
    expect(await outbox.push()).toMatchObject({ pushed: 1, error: null });
    expect(await onRemote(rajFile)).toBe(true);
    const sig = await git(world.ctx, world.remote, ["log", "-1", "--format=%G? %ce", "main"], {
      config: ["gpg.ssh.allowedSignersFile=/dev/null"],
    });
    expect(sig.stdout).toContain("raj.patel@plant.example");
  });

  it("push refused by the remote (hook): clear error, stays in the outbox, a later retry succeeds", async () => {
    const hook = join(world.remote, "hooks", "pre-receive");
    writeFileSync(hook, "#!/bin/sh\necho 'frozen for the audit' >&2\nexit 1\n", { mode: 0o755 });
    try {
      await outbox.enqueue(approval(raj()));
      const round = await outbox.push();
      expect(round.error).not.toBeNull();
      expect((await rows()).items[0]).toMatchObject({ state: "committed", attempts: 1 });
    } finally {
      rmSync(hook);
    }
    expect(await outbox.push()).toMatchObject({ pushed: 1, error: null });
  });

  it("a commit undone behind the outbox's back (a hard reset by hand) is made again, once", async () => {
    const first = await outbox.enqueue(approval(raj()));
    expect(await outbox.push()).toMatchObject({ pushed: 1, error: null });
    // The outbox now trusts the branch as it left it; its next commit keeps that trust.
    const second = await outbox.enqueue(approval(world.signer("sofia.rossi@plant.example")));
    expect(second.sha).toMatch(/^[0-9a-f]{40}$/);
    await git(repo.ctx, repo.dir, ["reset", "--quiet", "--hard", "HEAD~1"]);
    expect(await outbox.push()).toMatchObject({ pushed: 1, pending: 0, error: null });
    expect(await onRemote(`changes/${CHANGE}/approvals/sofia.rossi@plant.example--deploy.yaml`)).toBe(true);
    expect(await remoteIntentCount(second.id)).toBe(1);
    expect(await remoteIntentCount(first.id)).toBe(1);
    const states = core.services.register.db.prepare("SELECT state FROM gitops_outbox ORDER BY created_at, id").all();
    expect(states).toEqual([{ state: "pushed" }, { state: "pushed" }]);
  });

  it("a branch moved by hand while the history cannot be read: once it can, the lost commit is made again", async () => {
    const first = await outbox.enqueue(approval(raj()));
    expect(await outbox.push()).toMatchObject({ pushed: 1, error: null });
    const second = await outbox.enqueue(approval(world.signer("sofia.rossi@plant.example")));
    await git(repo.ctx, repo.dir, ["reset", "--quiet", "--hard", "HEAD~1"]);
    const sha = first.sha ?? "";
    const file = join(repo.dir, ".git", "objects", sha.slice(0, 2), sha.slice(2));
    const bytes = readFileSync(file);
    chmodSync(file, 0o644);
    writeFileSync(file, Buffer.from("garbage"));
    expect((await outbox.push()).error).not.toBeNull();
    writeFileSync(file, bytes);
    expect(await outbox.push()).toMatchObject({ error: null, pending: 0 });
    expect(await onRemote(`changes/${CHANGE}/approvals/sofia.rossi@plant.example--deploy.yaml`)).toBe(true);
    expect(await remoteIntentCount(second.id)).toBe(1);
  });

  it("an intent that rewrites another person's file is refused at push, on a branch the outbox had settled", async () => {
    const sofia = world.signer("sofia.rossi@plant.example");
    await outbox.enqueue(approval(sofia));
    expect(await outbox.push()).toMatchObject({ pushed: 1, error: null });
    const tip = async () => (await git(world.ctx, world.remote, ["rev-parse", "main"])).stdout.trim();
    const before = await tip();
    const sofiaFile = `changes/${CHANGE}/approvals/sofia.rossi@plant.example--deploy.yaml`;
    const forged = { ...approval(raj()), files: [{ path: sofiaFile, content: "decision: rejected\n" }] };
    expect((await outbox.enqueue(forged)).sha).toMatch(/^[0-9a-f]{40}$/);
    const round = await outbox.push();
    expect(round).toMatchObject({ pushed: 0, error: { code: "conflict", reason: "foreign-write" } });
    expect(round.error?.message).toContain(sofiaFile);
    expect(await tip()).toBe(before);
  });

  it("wrong passphrase: nothing committed, the intent waits; the right passphrase commits and pushes it", async () => {
    const key = await generateSshKey(join(world.dir, `locked-${n}`), "raj.patel@plant.example", "right horse");
    const locked: Signer = { ...raj(), key: { format: "ssh", keyFile: key.privateKey, passphrase: "wrong" } };
    const queued = await outbox.enqueue(approval(locked));
    expect(queued.sha).toBeNull();
    expect(queued.error?.details?.reason).toBe("wrong-passphrase");
    expect((await rows()).items[0]).toMatchObject({ state: "pending", attempts: 1 });
    const row = core.services.register.db.prepare("SELECT signer FROM gitops_outbox").get() as { signer: string };
    expect(row.signer).not.toContain("wrong");
    expect(await outbox.push("right horse")).toMatchObject({ pushed: 1, error: null });
    expect(await onRemote(rajFile)).toBe(true);
  });

  it("missing key: clear error, the intent waits; once the key is back a retry commits and pushes", async () => {
    const keyFile = join(world.dir, `gone-${n}.key`);
    const signer: Signer = { ...raj(), key: { format: "ssh", keyFile } };
    const queued = await outbox.enqueue(approval(signer));
    expect(queued.error?.details?.reason).toBe("missing-key");
    expect(queued.error?.message).toMatch(/missing/);
    expect((await rows()).items[0]).toMatchObject({ state: "pending" });
    const real = raj().key;
    if (real.format !== "ssh") throw new Error("ssh world");
    copyFileSync(real.keyFile, keyFile);
    chmodSync(keyFile, 0o600);
    expect(await outbox.push()).toMatchObject({ pushed: 1, error: null });
  });

  it("dirty working copy: refused with the files named; after cleaning a retry succeeds", async () => {
    writeFileSync(join(repo.dir, "stray.txt"), "left behind\n");
    const queued = await outbox.enqueue(approval(raj()));
    expect(queued.error?.details?.reason).toBe("dirty-working-copy");
    expect(queued.error?.message).toContain("stray.txt");
    expect((await rows()).items[0]).toMatchObject({ state: "pending" });
    rmSync(join(repo.dir, "stray.txt"));
    expect(await outbox.push()).toMatchObject({ pushed: 1, error: null });
  });

  it("a reading of the working copy taken ahead (while a click signs) stands only for the branch it was taken on", async () => {
    await outbox.enqueue(approval(raj()));
    expect(await outbox.push()).toMatchObject({ pushed: 1, error: null });
    // Taken on the settled branch, clean; then a commit by hand moves HEAD and leaves a stray file behind.
    await outbox.lookAhead();
    writeFileSync(join(repo.dir, "notes.txt"), "by hand\n");
    await git(repo.ctx, repo.dir, ["add", "notes.txt"]);
    await git(repo.ctx, repo.dir, ["-c", "user.name=T", "-c", "user.email=t@plant.example", "commit", "-qm", "hand"]);
    writeFileSync(join(repo.dir, "stray.txt"), "left behind\n");
    const queued = await outbox.enqueue(approval(world.signer("sofia.rossi@plant.example")));
    expect(queued.error?.details?.reason).toBe("dirty-working-copy");
    expect(queued.error?.message).toContain("stray.txt");
  });

  it("a corrupt object: clear error, stays committed; once repaired a retry pushes", async () => {
    const queued = await outbox.enqueue(approval(raj()));
    const sha = queued.sha ?? "";
    const file = join(repo.dir, ".git", "objects", sha.slice(0, 2), sha.slice(2));
    const bytes = readFileSync(file);
    chmodSync(file, 0o644);
    writeFileSync(file, Buffer.from("garbage"));
    const round = await outbox.push();
    expect(round.error).not.toBeNull();
    expect((await rows()).items[0]).toMatchObject({ state: "committed", attempts: 1 });
    writeFileSync(file, bytes);
    expect(await outbox.push()).toMatchObject({ pushed: 1, error: null });
    expect(await remoteIntentCount(queued.id)).toBe(1);
  });

  it("after a crash: stale index.lock and a half-made commit are cleared, the intent committed once", async () => {
    const intent = approval(raj());
    const queued = await outbox.enqueue(intent);
    // Simulate the crash state of a second intent: row written, files written, git killed holding the lock.
    const second = approval(world.signer("kenji.sato@plant.example"));
    const db = core.services.register.db;
    db.prepare(
      `INSERT INTO gitops_outbox (id, kind, change_number, subject, files, message, signer, state, created_at)
       VALUES ('01CRASH0000000000000000099', 'approval', ?, 'Approve', ?, ?, ?, 'pending', ?)`,
    ).run(
      CHANGE,
      JSON.stringify(second.files),
      second.message,
      JSON.stringify(second.signer),
      clock.now().toISOString(),
    );
    for (const f of second.files) writeFileSync(join(repo.dir, f.path), "half written");
    writeFileSync(join(repo.dir, ".git", "index.lock"), "");
    const round = await outbox.recover();
    expect(round).toMatchObject({ pushed: 2, error: null });
    expect(existsSync(join(repo.dir, ".git", "index.lock"))).toBe(false);
    expect(await remoteIntentCount(queued.id)).toBe(1);
    expect(await remoteIntentCount("01CRASH0000000000000000099")).toBe(1);
    // A second recovery finds everything pushed and commits nothing again.
    expect(await outbox.recover()).toMatchObject({ pushed: 0, pending: 0 });
    expect(await remoteIntentCount("01CRASH0000000000000000099")).toBe(1);
  });
});
