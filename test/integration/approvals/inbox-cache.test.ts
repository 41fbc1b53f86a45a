import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { repoApprovalIndex } from "../../../electron/core/approvals/repo-approval-index";
import type { Core } from "../../../electron/core/core";
import { digestOf } from "../../../electron/core/gitops/commit";
import { startGitops } from "../../../electron/core/gitops/first-run";
import { git, isolatedGitContext } from "../../../electron/core/gitops/git";
import { outboxOf } from "../../../electron/core/gitops/outbox-registry";
import { trustLoader } from "../../../electron/core/identity/trust";
import { dataPaths } from "../../../electron/core/paths";
import { approvalPath, writeApproval } from "../../../shared/domain/policy/index";
import { farFromQuorum } from "../../helpers/far-from-quorum";
import { tempCore, tempDir } from "../../helpers/temp";
import { actAs, call, who } from "./support";

// The approvals inbox and dialog read other laptops' decisions from the repository through an index kept in
// memory (repo-approval-index.ts). These tests move the repository under it in every way a laptop sees (a Sync
// that brings an approval, a new commit, a reset, the same file committed again without a signature) and check
// the answer follows each time, and that an unchanged repository costs one git process per load, not three per file.

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

const ctx = isolatedGitContext();

interface World {
  readonly core: Core;
  readonly dir: string;
  readonly work: string;
  readonly changeId: string;
  readonly number: string;
}

async function world(): Promise<World> {
  const t = await tempCore({});
  cleanups.push(t.cleanup);
  await startGitops(t.core.services);
  const { changeId, number } = await farFromQuorum(t.core);
  await actAs(t.core, "raj.patel@plant.example");
  return { core: t.core, dir: t.dir, work: dataPaths(t.dir).gitopsWorkingCopy, changeId, number };
}

/** Commits `first`'s approval of the change in a working copy with plain git, signed with their demo key or not. */
async function commitApproval(
  w: World,
  repo: string,
  first: string,
  signed: boolean,
  signedAt = "2026-12-01T10:00:00Z",
  /** The commit's date, when a test needs a laptop's clock to be off. */
  committed?: string,
): Promise<string> {
  const person = who(first);
  const path = approvalPath(w.number, person.email, "deploy");
  const change = readFileSync(join(repo, "changes", w.number, "change.yaml"));
  mkdirSync(join(repo, "changes", w.number, "approvals"), { recursive: true });
  writeFileSync(
    join(repo, path),
    writeApproval({
      change: w.number,
      scope: "deploy",
      decision: "approved",
      meaning: "Approved for production release",
      signer: { ...person, role: "cab-member" },
      signedAt,
      changeDigest: digestOf(change),
    }),
  );
  const key = join(dataPaths(w.dir).keys, `${person.email}.key`);
  const signing = signed ? ["-c", "gpg.format=ssh", "-c", `user.signingkey=${key}`] : [];
  await git(ctx, repo, ["add", "--", path]);
  await git(
    ctx,
    repo,
    [
      "-c",
      `user.name=${person.name}`,
      "-c",
      `user.email=${person.email}`,
      ...signing,
      "commit",
      "--quiet",
      ...(signed ? ["-S"] : ["--no-gpg-sign"]),
      "-m",
      `Approve ${w.number} (deploy)`,
    ],
    committed ? { env: { GIT_COMMITTER_DATE: committed } } : {},
  );
  return (await git(ctx, repo, ["rev-parse", "HEAD"])).stdout.trim();
}

/** The repository decisions the approval dialog shows: signer and whether it counts. */
async function repoDecisions(w: World): Promise<{ email: string; counts: boolean }[]> {
  const preview = await call(w.core, "approval.preview", { changeId: w.changeId });
  return preview.approvals
    .filter((a) => a.id.startsWith("git:"))
    .map((a) => ({ email: a.signature.email, counts: a.issue === null }))
    .sort((a, b) => a.email.localeCompare(b.email));
}

async function quorumInInbox(w: World): Promise<string | undefined> {
  const inbox = await call(w.core, "approval.inbox", {});
  return inbox.find((i) => i.change.id === w.changeId)?.quorumSummary;
}

describe("approvals read from the repository through the index", () => {
  it("follows a Sync that brings an approval, a new commit, a reset and an unsigned re-commit of the same file", async () => {
    const w = await world();
    expect(await repoDecisions(w)).toEqual([]);
    const before = await quorumInInbox(w);
    expect(before).toBeDefined();

    // Laptop B: Sofia approves and pushes; laptop A syncs.
    const other = tempDir();
    cleanups.push(other.cleanup);
    const b = join(other.dir, "b");
    await git(ctx, other.dir, ["clone", "--quiet", dataPaths(w.dir).gitopsDemoRemote, b]);
    await commitApproval(w, b, "sofia", true);
    await git(ctx, b, ["push", "--quiet", "origin", "HEAD:main"]);
    await call(w.core, "gitops.sync", {});
    expect(await repoDecisions(w)).toEqual([{ email: "sofia.rossi@plant.example", counts: true }]);
    const afterSync = await quorumInInbox(w);
    expect(afterSync).not.toBe(before);

    // A new approval commit in this working copy.
    await commitApproval(w, w.work, "kenji", true);
    expect(await repoDecisions(w)).toEqual([
      { email: "kenji.sato@plant.example", counts: true },
      { email: "sofia.rossi@plant.example", counts: true },
    ]);

    // A reset takes it away again.
    await git(ctx, w.work, ["reset", "--quiet", "--hard", "HEAD~1"]);
    expect(await repoDecisions(w)).toEqual([{ email: "sofia.rossi@plant.example", counts: true }]);
    expect(await quorumInInbox(w)).toBe(afterSync);

    // The very same file (same blob, same approvals folder tree) committed again without a signature: it must not
    // count, whatever was known about that content before.
    await commitApproval(w, w.work, "kenji", false);
    expect(await repoDecisions(w)).toEqual([
      { email: "kenji.sato@plant.example", counts: false },
      { email: "sofia.rossi@plant.example", counts: true },
    ]);
  });

  it("answers an unchanged repository with one git process per inbox load, however many approval files", async () => {
    const log = loggingGit();
    const w = await world();
    await commitApproval(w, w.work, "sofia", true);
    await commitApproval(w, w.work, "kenji", true);
    const inbox = async () => (await call(w.core, "approval.inbox", {})).find((i) => i.change.id === w.changeId);
    const cold = await inbox(); // the first load after the commits reads the repository
    const warm = await log.during(inbox);
    expect(warm.value?.quorumSummary).toBe(cold?.quorumSummary);
    expect(warm.value?.quorumSummary).toMatch(/./);
    expect(warm.calls.length).toBeLessThanOrEqual(1);
  });

  it("one approval click starts as many processes with three more approval files in the repository as without", async () => {
    const log = loggingGit();
    const w = await world();
    const outbox = outboxOf(w.core.services);
    const click = async (decision: "approved" | "rejected") => {
      await call(w.core, "approval.preview", { changeId: w.changeId }); // the dialog, opened before the click
      return log.during(async () => {
        await call(w.core, "approval.decide", {
          changeId: w.changeId,
          scope: "deploy",
          decision,
          meaning: decision === "approved" ? "Approved for production release" : "Not ready",
        });
        const round = await outbox?.push();
        expect(round?.error ?? null).toBeNull();
      });
    };
    await click("approved"); // Raj's file is new here; the clicks compared below both rewrite it
    const before = await click("rejected");
    // What signing, committing and pushing need, nothing more: the working copy's state, stage, the signed commit,
    // the push. The commit was held to the append-only rule when it was made, so the push reads no history.
    expect(before.calls).toHaveLength(4);
    expect(before.calls.map(program).filter((p) => p === "log")).toHaveLength(0);
    for (const first of ["sofia", "kenji", "ana"]) await commitApproval(w, w.work, first, true);
    // The branch moved outside the outbox: the next click reads the history to match its rows (two reads) and
    // checks what leaves (one more).
    const reconciling = await click("approved");
    expect(reconciling.calls.map(program).filter((p) => p === "log")).toHaveLength(3);
    const after = await click("rejected");
    expect(after.calls.map(program)).toEqual(before.calls.map(program));
  });
});

describe("the index after HEAD moved along a straight line", () => {
  it("reads only the commits since the HEAD it knew (from their loose files, else one git log) and answers as a cold index at every step", async () => {
    const log = loggingGit();
    const w = await world();
    const trust = await trustLoader(w.work, join(w.dir, "keys", "demo"))();
    // Kept across every step below, as a core keeps its index; the cold one is built anew for each answer.
    const warm = repoApprovalIndex(isolatedGitContext());
    const both = async () => {
      const read = await log.during(() => warm.read(w.work, trust));
      const cold = await repoApprovalIndex(isolatedGitContext()).read(w.work, trust);
      const answers = (idx: typeof cold) =>
        idx
          .approvals(w.number)
          .map((a) => JSON.stringify(a))
          .sort();
      expect(answers(read.value)).toEqual(answers(cold));
      return { answers: answers(read.value), programs: read.calls.map(program) };
    };
    await both();

    // Commits on top of what was known (an addition, an unsigned one, a rewrite, a removal, a commit elsewhere) are
    // loose objects: their trees say what they wrote, and no git process starts at all.
    await commitApproval(w, w.work, "sofia", true);
    await commitApproval(w, w.work, "kenji", false);
    const added = await both();
    expect(added.answers).toHaveLength(2);
    expect(added.programs).toEqual([]);
    await commitApproval(w, w.work, "sofia", true, "2026-12-02T08:00:00Z");
    const rewritten = await both();
    expect(rewritten.answers.join()).toContain("2026-12-02T08:00:00Z");
    expect(rewritten.programs).toEqual([]);
    await git(ctx, w.work, ["rm", "--quiet", "--", approvalPath(w.number, who("kenji").email, "deploy")]);
    await git(ctx, w.work, ["-c", "user.name=T", "-c", "user.email=t@plant.example", "commit", "--quiet", "-m", "rm"]);
    const removed = await both();
    expect(removed.answers).toHaveLength(1);
    expect(removed.programs).toEqual([]);
    // Packed (a gc, a fetch): the objects are not in files of their own, so one `git log` of what moved answers.
    await git(ctx, w.work, ["gc", "--quiet", "--prune=now"]);
    await commitApproval(w, w.work, "kenji", true, "2026-12-03T09:00:00Z");
    const afterGc = await both();
    expect(afterGc.answers).toHaveLength(2);
    expect(afterGc.programs).toEqual(["log"]);
    writeFileSync(join(w.work, "NOTES.md"), "not an approval\n");
    await git(ctx, w.work, ["add", "NOTES.md"]);
    await git(ctx, w.work, ["-c", "user.name=T", "-c", "user.email=t@plant.example", "commit", "--quiet", "-m", "n"]);
    expect((await both()).programs).toEqual([]);

    // A merge brings an approval through its second parent: not a straight line, so the whole repository is read.
    const fork = (await git(ctx, w.work, ["rev-parse", "HEAD~2"])).stdout.trim();
    await git(ctx, w.work, ["checkout", "--quiet", "-b", "side", fork]);
    await commitApproval(w, w.work, "ana", true);
    await git(ctx, w.work, ["checkout", "--quiet", "-"]);
    const id = ["-c", "user.name=T", "-c", "user.email=t@plant.example"];
    await git(ctx, w.work, [...id, "merge", "--quiet", "--no-ff", "--no-edit", "side"]);
    const merged = await both();
    expect(merged.answers).toHaveLength(3);
    expect(merged.programs).toContain("ls-tree");
    // A reset behind what was known: read whole again, and the merged approval is gone.
    await git(ctx, w.work, ["reset", "--quiet", "--hard", "HEAD~1"]);
    const reset = await both();
    expect(reset.answers).toHaveLength(2);
    expect(reset.programs).toContain("ls-tree");
  });
});

describe("the index over a history that is not a straight line", () => {
  const coldCounts = async (w: World) => {
    const trust = await trustLoader(w.work, join(w.dir, "keys", "demo"))();
    const at = await repoApprovalIndex(isolatedGitContext()).read(w.work, trust);
    return at
      .approvals(w.number)
      .map((a) => ({ email: a.approval.signer.email, counts: a.discarded === null }))
      .sort((a, b) => a.email.localeCompare(b.email));
  };
  const asT = ["-c", "user.name=T", "-c", "user.email=t@plant.example"];

  it("judges a file by its writer even when a merge lists an older commit first by date (a skewed clock)", async () => {
    const w = await world();
    await commitApproval(w, w.work, "kenji", false);
    // The removal is dated a day ahead (a laptop's clock was wrong); the signed re-approval comes after it.
    await git(ctx, w.work, ["rm", "--quiet", "--", approvalPath(w.number, who("kenji").email, "deploy")]);
    await git(ctx, w.work, [...asT, "commit", "--quiet", "-m", "rm"], {
      env: { GIT_COMMITTER_DATE: "2030-01-01T00:00:00Z" },
    });
    await commitApproval(w, w.work, "kenji", true, "2026-12-03T09:00:00Z");
    await git(ctx, w.work, ["checkout", "--quiet", "-b", "side", "HEAD~1"]);
    // The side branch's commit is dated after the re-approval too: by date alone, the removal is reached first.
    await commitApproval(w, w.work, "ana", true, "2026-12-01T10:00:00Z", "2029-01-01T00:00:00Z");
    await git(ctx, w.work, ["checkout", "--quiet", "-"]);
    await git(ctx, w.work, [...asT, "merge", "--quiet", "--no-ff", "--no-edit", "side"]);
    expect(await coldCounts(w)).toEqual([
      { email: "ana.ortiz@plant.example", counts: true },
      { email: "kenji.sato@plant.example", counts: true },
    ]);
  });

  it("a file whose bytes came through a merge that shows no diff counts for nothing, whoever signed the branches", async () => {
    const w = await world();
    await commitApproval(w, w.work, "sofia", true, "2026-12-02T08:00:00Z");
    await git(ctx, w.work, ["checkout", "--quiet", "-b", "side", "HEAD~1"]);
    await commitApproval(w, w.work, "sofia", true, "2026-12-02T09:00:00Z");
    await git(ctx, w.work, ["checkout", "--quiet", "-"]);
    // The merge conflicts; its author resolves it with bytes neither of Sofia's signed commits wrote.
    await git(ctx, w.work, [...asT, "merge", "--quiet", "--no-edit", "side"], { okCodes: [1] });
    const path = approvalPath(w.number, who("sofia").email, "deploy");
    const resolved = readFileSync(join(w.work, "changes", w.number, "approvals", path.split("/").pop() ?? ""), "utf8")
      .split("\n")
      .filter((l) => !/^(<<<<<<<|=======|>>>>>>>)/.test(l))
      .filter((l, i, all) => !l.startsWith("signedAt") || all.findIndex((x) => x.startsWith("signedAt")) === i)
      .join("\n");
    writeFileSync(join(w.work, path), resolved.replace(/signedAt: .*/, 'signedAt: "2026-12-02T10:00:00Z"'));
    await git(ctx, w.work, ["add", "--", path]);
    await git(ctx, w.work, [...asT, "commit", "--quiet", "--no-edit"]);
    expect(await coldCounts(w)).toEqual([{ email: "sofia.rossi@plant.example", counts: false }]);
  });
});

/** Puts a logging stand-in for git first on PATH (the core reads PATH when it starts: call before `world()`). */
function loggingGit(): { during<T>(fn: () => Promise<T>): Promise<{ value: T; calls: string[] }> } {
  const shim = tempDir();
  cleanups.push(shim.cleanup);
  const log = join(shim.dir, "git.log");
  const script = join(shim.dir, "git");
  writeFileSync(script, `#!/bin/sh\necho "$*" >> '${log}'\nexec '${realGit()}' "$@"\n`);
  chmodSync(script, 0o755);
  const path = process.env.PATH;
  process.env.PATH = `${shim.dir}:${path}`;
  cleanups.push(() => {
    process.env.PATH = path;
  });
  return {
    during: async (fn) => {
      writeFileSync(log, "");
      const value = await fn();
      return { value, calls: readFileSync(log, "utf8").split("\n").filter(Boolean) };
    },
  };
}

/** A git call's subcommand, without its `-c` settings and paths. */
function program(call: string): string {
  const words = call.split(" ");
  for (let i = 0; i < words.length; i++) {
    if (words[i] === "-c") i++;
    else return words[i] ?? "";
  }
  return "";
}

function realGit(): string {
  for (const dir of (process.env.PATH ?? "").split(":")) {
    try {
      readFileSync(join(dir, "git"));
      return join(dir, "git");
    } catch {
      // not here
    }
  }
  throw new Error("git is not on PATH");
}
