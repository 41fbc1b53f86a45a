import { existsSync, mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startGitops } from "../../../electron/core/gitops/first-run";
import { git, isolatedGitContext } from "../../../electron/core/gitops/git";
import { repoPathProblem } from "../../../electron/core/gitops/repo-path";
import { dataPaths } from "../../../electron/core/paths";
import { ADMIN } from "../../helpers/gitops-world";
import { tempCore } from "../../helpers/temp";
import { actAs, call, refused } from "../approvals/support";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});
const ctx = isolatedGitContext();

async function adminLaptop() {
  const t = await tempCore({});
  cleanups.push(t.cleanup);
  await startGitops(t.core.services);
  await actAs(t.core, ADMIN);
  const work = t.core.services.gitopsDir ?? "";
  const remote = dataPaths(t.dir).gitopsDemoRemote;
  const rev = async (dir: string, ref: string) => (await git(ctx, dir, ["rev-parse", ref])).stdout.trim();
  // Everything a refused publish must leave as it was: both branches, the working tree, the outbox, the audit.
  const snapshot = async () => ({
    remote: await rev(remote, "main"),
    local: await rev(work, "HEAD"),
    status: (await git(ctx, work, ["status", "--porcelain", "--ignored"])).stdout,
    outbox: t.core.services.register.db.prepare("SELECT count(*) AS n FROM gitops_outbox").get(),
    audit: t.core.services.register.db.prepare("SELECT count(*) AS n FROM audit").get(),
  });
  return { ...t, work, snapshot };
}

describe("paths the core writes into the GitOps working copy", () => {
  it.each([
    ["./ before a protected overlay", "./apps/odoo/overlays/prod/windows.yaml"],
    ["/./ inside a protected overlay", "apps/odoo/overlays/./prod/windows.yaml"],
    [".. back into the prod overlay", "apps/argocd/../odoo/overlays/prod/kustomization.yaml"],
    ["./ before another change's approvals", "./changes/CHG-2026-0003/approvals/olivia.brown--deploy.yaml"],
    ["/./ inside another change's approvals", "changes/./CHG-2026-0003/approvals/x--deploy.yaml"],
    ["./ before .git", "./.git/hooks/post-commit.yaml"],
    ["a nested .git folder", "apps/.git/config.yaml"],
    [".git under another spelling", "apps/.GIT/config.yaml"],
    ["./ before the policy", "./.shiftgate/policy.yaml"],
  ])("publishCalendars refuses %s before anything enters the outbox", async (_what, path) => {
    const a = await adminLaptop();
    const before = await a.snapshot();
    const error = await refused(a.core, "gitops.publishCalendars", { path });
    expect(error.code).toBe("invalid-input");
    expect(error.message).toMatch(/not (a file Shiftgate may write|a place for the sync windows)/);
    expect(await a.snapshot()).toEqual(before);
    expect(existsSync(join(a.work, ".git", "hooks", "post-commit.yaml"))).toBe(false);
    expect(await call(a.core, "gitops.outbox", {})).toMatchObject({ items: [], recent: [] });
  });

  it("refuses a path through a symbolic link in the working copy (here one into .git)", async () => {
    const a = await adminLaptop();
    mkdirSync(join(a.work, "apps"), { recursive: true });
    symlinkSync(join(a.work, ".git"), join(a.work, "apps", "argocd-link"));
    const before = await a.snapshot();
    const error = await refused(a.core, "gitops.publishCalendars", { path: "apps/argocd-link/windows.yaml" });
    expect(error).toMatchObject({ code: "invalid-input", message: expect.stringContaining("symbolic link") });
    expect(await a.snapshot()).toEqual(before);
    expect(existsSync(join(a.work, ".git", "windows.yaml"))).toBe(false);
  });

  it("an outbox item with a path that can never be committed is abandoned with why, not retried forever", async () => {
    const a = await adminLaptop();
    const before = await a.snapshot();
    // What an older version let into the outbox: an intent writing inside .git.
    a.core.services.register.db
      .prepare(
        `INSERT INTO gitops_outbox (id, kind, change_number, subject, files, message, signer, state, created_at)
         VALUES ('01OLDINTENT', 'release', NULL, 'Publish', ?, 'Publish\n', ?, 'pending', '2026-12-01T07:00:00.000Z')`,
      )
      .run(
        JSON.stringify([{ path: "./.git/windows.yaml", content: "kind: AppProject\n" }]),
        JSON.stringify({ name: "Olivia Brown", email: ADMIN, key: { format: "ssh", keyFile: "/nonexistent" } }),
      );
    const round = await call(a.core, "gitops.push", {});
    expect(round.error).toMatchObject({ code: "invalid-input", reason: "unsafe-path" });

    const view = await call(a.core, "gitops.outbox", {});
    expect(view.items).toEqual([]);
    expect(view.recent).toEqual([
      expect.objectContaining({ id: "01OLDINTENT", state: "abandoned", nextAttemptAt: null, attempts: 0 }),
    ]);
    expect(view.recent[0]?.lastError).toContain("./.git/windows.yaml");
    // A second round does not try it again, and git never saw the file.
    expect(await call(a.core, "gitops.push", {})).toMatchObject({ pushed: 0, pending: 0, error: null });
    expect(existsSync(join(a.work, ".git", "windows.yaml"))).toBe(false);
    const after = await a.snapshot();
    expect({ ...after, outbox: before.outbox }).toEqual(before);
  });

  it.each([
    ["", /empty/],
    ["/etc/passwd.yaml", /absolute/],
    ["C:/Windows/x.yaml", /absolute/],
    ["apps\\odoo\\x.yaml", /backslash/],
    ["apps//x.yaml", /empty folder/],
    ["apps/x/", /empty folder/],
    ["./x.yaml", /'\.'/],
    ["a/../x.yaml", /'\.\.'/],
    [".git/config", /\.git/],
    ["a/.git. /config", /\.git/],
    ["GIT~1/config", /\.git/],
    ["a/b\u0000.yaml", /control/],
  ])("refuses %j", (path, why) => {
    expect(repoPathProblem(path)).toMatch(why);
  });

  it("accepts plain repository paths", () => {
    for (const path of [
      "apps/argocd/appproject-sync-windows.yaml",
      ".shiftgate/calendars/berlin.ics",
      "changes/CHG-2026-0001/approvals/a.b@plant.example--deploy.yaml",
      ".gitignore",
      "apps/.github/x.yaml",
    ])
      expect(repoPathProblem(path)).toBeNull();
  });
});
