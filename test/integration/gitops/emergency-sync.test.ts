import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Core } from "../../../electron/core/core";
import { startGitops } from "../../../electron/core/gitops/first-run";
import { git, isolatedGitContext } from "../../../electron/core/gitops/git";
import { generateSshKey } from "../../../electron/core/gitops/keys";
import { dataPaths } from "../../../electron/core/paths";
import { recordReview, setupGitopsRepo } from "../../helpers/ledger-writes";
import { tempCore, tempDir } from "../../helpers/temp";
import { call, SCANNER_EMERGENCY } from "../approvals/support";

const ctx = isolatedGitContext();
const RAJ = "raj.patel@plant.example";
const SOFIA = "sofia.rossi@plant.example";
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

// Laptop A runs the demo repository (its bare remote on disk); laptop B is a second data folder cloned from it.
async function laptops(): Promise<{ a: Core; aDir: string; b: Core }> {
  const a = await tempCore({});
  cleanups.push(a.cleanup);
  await startGitops(a.core.services);
  await call(a.core, "gitops.sync", {});
  const b = await tempCore({ demo: false });
  cleanups.push(b.cleanup);
  await setupGitopsRepo({ source: dataPaths(a.dir).gitopsDemoRemote, dir: dataPaths(b.dir).gitopsWorkingCopy, ctx });
  return { a: a.core, aDir: a.dir, b: b.core };
}

const useKey = (core: Core, aDir: string, email: string) =>
  call(core, "identity.use", { keyFile: join(dataPaths(aDir).keys, `${email}.key`) });

const emergency = SCANNER_EMERGENCY;

describe("the emergency path through the GitOps repository", () => {
  it("commits exception.yaml signed by its logger, and every laptop sees it and its review after sync", async () => {
    const { a, aDir, b } = await laptops();
    await useKey(a, aDir, RAJ);
    const logged = await call(a, "exception.log", emergency);
    const number = logged.change.number;
    expect(number).toMatch(/^CHG-2026-\d{4}$/);
    expect(logged.commit).toMatch(/^[0-9a-f]{40}$/);
    const work = dataPaths(aDir).gitopsWorkingCopy;
    // One commit, signed (git's own verdict) and committed by the logger, holding the change and its exception.
    const shown = await git(ctx, work, ["show", "--no-patch", "--format=%ce", logged.commit ?? ""]);
    expect(shown.stdout.trim()).toBe(RAJ);
    const files = await git(ctx, work, ["show", "--name-only", "--format=", logged.commit ?? ""]);
    expect(files.stdout.trim().split("\n").sort()).toEqual([
      `changes/${number}/change.yaml`,
      `changes/${number}/exception.yaml`,
    ]);
    const verdict = await git(ctx, work, [
      "-c",
      `gpg.ssh.allowedSignersFile=${join(work, ".shiftgate", "allowed_signers")}`,
      "log",
      "-1",
      "--format=%G?",
      logged.commit ?? "",
    ]);
    expect(verdict.stdout.trim()).toBe("G");
    const exceptionYaml = await git(ctx, work, ["show", `${logged.commit}:changes/${number}/exception.yaml`]);
    expect(exceptionYaml.stdout).toContain(`change: ${number}`);
    expect(exceptionYaml.stdout).toContain(`email: ${RAJ}`);
    await call(a, "gitops.push", {});

    // Laptop B: the change and its exception arrive with sync, review pending.
    const first = await call(b, "gitops.sync", {});
    expect(first.imported.map((i) => i.number)).toContain(number);
    const onB = (await call(b, "exception.list", {})).find((e) => e.change.number === number);
    expect(onB).toMatchObject({
      incident: "INC-88213",
      breakGlass: emergency.breakGlass,
      loggedBy: { email: RAJ, role: "it-manager" },
      reviewDueAt: "2026-12-03T07:40:00.000Z",
      review: null,
      commit: logged.commit,
    });
    expect(onB?.change).toMatchObject({ type: "emergency", requester: emergency.requester });

    // Sofia reviews on laptop B; the review is committed signed by her and comes back to laptop A.
    await useKey(b, aDir, SOFIA);
    const reviewed = await call(b, "exception.review", {
      changeId: onB?.change.id ?? "",
      outcome: "accepted",
      notes: "Root cause fixed",
    });
    expect(reviewed.review?.commit).toMatch(/^[0-9a-f]{40}$/);
    await call(b, "gitops.push", {});
    await call(a, "gitops.sync", {});
    const onA = (await call(a, "exception.list", {})).find((e) => e.change.number === number);
    expect(onA?.review).toMatchObject({
      outcome: "accepted",
      notes: "Root cause fixed",
      signature: { email: SOFIA, role: "cab-member" },
      commit: reviewed.review?.commit,
    });
    // A second sync imports nothing twice.
    await call(a, "gitops.sync", {});
    expect((await call(a, "exception.list", {})).filter((e) => e.change.number === number)).toHaveLength(1);

    // The ledger judges the committed files clean.
    const verified = await call(a, "gitops.verify", {});
    expect(verified.findings.filter((f) => f.change === number)).toEqual([]);
  });

  it("sync imports no review a forger signed, nor one by the emergency's own logger", async () => {
    const { a, aDir } = await laptops();
    await useKey(a, aDir, RAJ);
    const logged = await call(a, "exception.log", emergency);
    const number = logged.change.number ?? "";
    await call(a, "gitops.push", {});
    const other = tempDir();
    cleanups.push(other.cleanup);
    const b = await setupGitopsRepo({ source: dataPaths(aDir).gitopsDemoRemote, dir: join(other.dir, "work"), ctx });
    const review = (email: string, name: string) => ({
      change: number,
      outcome: "accepted" as const,
      notes: "Fine",
      reviewer: { name, email, role: "cab-member" },
      reviewedAt: "2026-12-01T08:30:00Z",
    });
    const reviewState = async () => (await call(a, "exception.list", {})).find((e) => e.change.number === number);

    // A review claiming Sofia, signed with a key the repository does not list.
    const forged = await generateSshKey(join(other.dir, "keys"), SOFIA);
    const stranger = { name: "Sofia Rossi", email: SOFIA, key: { format: "ssh" as const, keyFile: forged.privateKey } };
    await recordReview(b, stranger, review(SOFIA, "Sofia Rossi"));
    await git(ctx, b.dir, ["push", "--quiet", "origin", "HEAD:main"]);
    await call(a, "gitops.sync", {});
    expect((await reviewState())?.review).toBeNull();

    // Raj's own review, signed with his real key: he logged the exception, so it is not a review.
    const raj = {
      name: "Raj Patel",
      email: RAJ,
      key: { format: "ssh" as const, keyFile: join(dataPaths(aDir).keys, `${RAJ}.key`) },
    };
    await recordReview(b, raj, review(RAJ, "Raj Patel"));
    await git(ctx, b.dir, ["push", "--quiet", "origin", "HEAD:main"]);
    await call(a, "gitops.sync", {});
    expect(await reviewState()).toMatchObject({ review: null });
    const audit = await call(a, "audit.list", { changeId: logged.change.id });
    expect(audit.items.map((i) => i.action)).not.toContain("exception.review.import");
  });
});
