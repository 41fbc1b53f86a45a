import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Core } from "../../../electron/core/core";
import { startGitops } from "../../../electron/core/gitops/first-run";
import { git, isolatedGitContext } from "../../../electron/core/gitops/git";
import { pinnedTrustRoot } from "../../../electron/core/gitops/trust-pin";
import type { VerifyResult } from "../../../electron/core/gitops/verify/findings";
import { dataPaths } from "../../../electron/core/paths";
import { runCliCaptured } from "../../helpers/cli";
import { expectOnlyDemoFindings } from "../../helpers/demo-findings";
import { recordDecision, setupGitopsRepo } from "../../helpers/ledger-writes";
import { tempCore, tempDir } from "../../helpers/temp";
import { call, refused } from "../approvals/support";

// A laptop follows the GitOps remote only forward from what it already had, and only within the history of the
// trust root it pinned when it connected: a force-push back to before a rejection, or a replaced history, is
// refused at sync and nothing on the laptop changes.

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

const ctx = isolatedGitContext();
const CHG = "CHG-2026-0002";

/** What a refused sync must leave as it was: branch, remote-tracking branch, working tree, register, audit chain. */
async function laptopState(core: Core, dir: string) {
  const rev = async (ref: string) => (await git(ctx, dir, ["rev-parse", ref])).stdout.trim();
  const db = core.services.register.db;
  return {
    head: await rev("HEAD"),
    tracking: await rev("refs/remotes/origin/main"),
    status: (await git(ctx, dir, ["status", "--porcelain"])).stdout,
    changes: db.prepare("SELECT number, status FROM changes ORDER BY number").all(),
    audit: await call(core, "audit.verify", {}),
  };
}

describe("gitops.sync refuses a rewritten remote", () => {
  it("a force-push back to before a rejection, and a replaced history, are refused with nothing changed", async () => {
    const t = await tempCore({});
    cleanups.push(t.cleanup);
    await startGitops(t.core.services);
    const work = t.core.services.gitopsDir ?? "";
    const remote = dataPaths(t.dir).gitopsDemoRemote;
    const root = (await git(ctx, work, ["rev-list", "--max-parents=0", "HEAD"])).stdout.trim();
    // The demo pinned its root in the working copy's settings when it was created.
    expect(await pinnedTrustRoot({ dir: work, ctx })).toBe(root);
    // A fresh demo verifies from its committed pin with only the findings it shows on purpose (its unauthorised
    // change), before the emergency change's review falls due.
    const early = await runCliCaptured([
      "gitops",
      "verify",
      "--repo",
      remote,
      "--now",
      "2026-11-28T07:00:00Z",
      "--json",
    ]);
    expect(early.code).toBe(1);
    expectOnlyDemoFindings(JSON.parse(early.stdout) as VerifyResult);
    expect((JSON.parse(early.stdout) as VerifyResult).trustRoot).toEqual({ commit: root, source: "committed" });

    // Kenji rejects CHG-2026-0002 from another laptop; this laptop syncs and has the rejection.
    const other = tempDir();
    cleanups.push(other.cleanup);
    const b = await setupGitopsRepo({ source: remote, dir: join(other.dir, "work"), ctx });
    expect(await pinnedTrustRoot(b)).toBe(root);
    const kenji = {
      name: "Kenji Sato",
      email: "kenji.sato@plant.example",
      key: { format: "ssh" as const, keyFile: join(dataPaths(t.dir).keys, "kenji.sato@plant.example.key") },
    };
    const rejection = await recordDecision(b, kenji, {
      change: CHG,
      scope: "deploy",
      decision: "rejected",
      meaning: "Rejected: no rollback tested",
      role: "cab-member",
      signedAt: "2026-12-01T10:00:00+01:00",
    });
    await git(ctx, b.dir, ["push", "--quiet", "origin", "HEAD:main"]);
    expect((await call(t.core, "gitops.sync", {})).pulled).toBe(1);
    const before = await laptopState(t.core, work);
    expect(before.head).toBe(rejection.commit);

    // Someone force-pushes the branch back to before the rejection.
    await git(ctx, b.dir, ["push", "--quiet", "--force", "origin", `${rejection.commit}~1:main`]);
    const back = await refused(t.core, "gitops.sync", {});
    expect(back).toMatchObject({ code: "git-remote", details: { reason: "history-rewritten" } });
    expect(back.message).toContain("force-pushed");
    expect(await laptopState(t.core, work)).toEqual(before);
    expect(existsSync(join(work, rejection.path))).toBe(true);

    // Someone replaces the branch with a history of their own (unsigned, its own root).
    await git(ctx, b.dir, ["checkout", "--quiet", "--orphan", "forged"]);
    await git(ctx, b.dir, ["commit", "--quiet", "-m", "Forged"], {
      config: ["user.name=Someone", "user.email=mallory@evil.example", "commit.gpgsign=false"],
    });
    await git(ctx, b.dir, ["push", "--quiet", "--force", "origin", "HEAD:main"]);
    const replaced = await refused(t.core, "gitops.sync", {});
    expect(replaced).toMatchObject({ code: "git-remote", details: { reason: "trust-root-missing", trustRoot: root } });
    expect(await laptopState(t.core, work)).toEqual(before);
    // CI pinned to the same root says so too.
    const ci = await runCliCaptured(["gitops", "verify", "--repo", remote, "--trust-root", root, "--json"]);
    expect(ci.code).toBe(1);
    // The forged root holds the demo's files (policy.yaml included), so nothing but the missing root is reported.
    expect((JSON.parse(ci.stdout) as VerifyResult).findings.map((f) => f.kind)).toEqual(["trust-root-missing"]);
  });

  it("an approval made here is not rebased onto a replaced remote: the push round is refused and the remote kept", async () => {
    const t = await tempCore({});
    cleanups.push(t.cleanup);
    await startGitops(t.core.services);
    await call(t.core, "gitops.sync", {});
    const remote = dataPaths(t.dir).gitopsDemoRemote;
    const other = tempDir();
    cleanups.push(other.cleanup);
    const b = await setupGitopsRepo({ source: remote, dir: join(other.dir, "work"), ctx });
    await git(ctx, b.dir, ["checkout", "--quiet", "--orphan", "forged"]);
    await git(ctx, b.dir, ["commit", "--quiet", "-m", "Forged"], {
      config: ["user.name=Someone", "user.email=mallory@evil.example", "commit.gpgsign=false"],
    });
    await git(ctx, b.dir, ["push", "--quiet", "--force", "origin", "HEAD:main"]);
    const forged = (await git(ctx, remote, ["rev-parse", "main"])).stdout.trim();

    const row = t.core.services.register.db.prepare("SELECT id FROM changes WHERE number = ?").get(CHG) as {
      id: string;
    };
    await call(t.core, "identity.use", { keyFile: join(dataPaths(t.dir).keys, "marcus.reed@plant.example.key") });
    await call(t.core, "approval.decide", {
      changeId: row.id,
      scope: "deploy",
      decision: "approved",
      meaning: "Approved for production release",
      passphrase: "",
    });
    const round = await call(t.core, "gitops.push", {});
    expect(round).toMatchObject({ pushed: 0, error: { code: "git-remote", reason: "trust-root-missing" } });
    // The remote keeps the forged branch (nothing was rebased onto it); the approval waits in the outbox.
    expect((await git(ctx, remote, ["rev-parse", "main"])).stdout.trim()).toBe(forged);
    expect((await call(t.core, "gitops.outbox", {})).items.map((i) => i.state)).toEqual(["committed"]);
  });
});
