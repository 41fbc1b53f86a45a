import { describe, expect, it } from "vitest";
import type { Core } from "../../../electron/core/core";
import { git, isolatedGitContext } from "../../../electron/core/gitops/git";
import { verifyRepo } from "../../../electron/core/gitops/verify/verify";
import { demoLaptopsEachTest, type Laptops } from "../../helpers/laptops";
import { expectRewriteRefused } from "../../helpers/rewrite-refused";
import { lowRiskAnswers } from "../../helpers/risk-answers";
import { call, who } from "../approvals/support";
import { assessDeclared, CHANGE_MANAGER, changeIn } from "../register/register-fixtures";

// Issue #17 item 4: risk answers and score travel. An assessment of a change already in the repository becomes a
// file signed by its assessor (changes/<ID>/assessments/...); a laptop that syncs shows the same answers, points and
// score in its decision view. Before, only change.yaml's risk class travelled: the other laptop showed no assessment.

const ctx = isolatedGitContext();
const laptops = demoLaptopsEachTest();

const lena = who("lena").email;
const HIGHER = lowRiskAnswers({ "production-hours": true, "rollback-rehearsed": false, integrations: ["mes", "wms"] });

async function assessedInRepo(a: Core, holdKey: Laptops["holdKey"]) {
  const change = await changeIn(a, "normal", "submitted");
  await holdKey(a, lena);
  const { number } = await call(a, "gitops.submit", { changeId: change.id });
  await holdKey(a, CHANGE_MANAGER);
  const assessment = await assessDeclared(a, change.id, HIGHER, { actor: CHANGE_MANAGER });
  await call(a, "gitops.push", {});
  return { id: change.id, number, assessment };
}

const riskOf = async (core: Core, changeId: string) =>
  (await call(core, "approval.preview", { changeId })).decision.risk;
const byNumber = async (core: Core, number: string) =>
  (await call(core, "change.list", { pageSize: 200 })).items.find((c) => c.number === number);

describe("a risk assessment travels", () => {
  it("as the assessor's signed file; the other laptop shows the same answers and score", async () => {
    const world = await laptops(2);
    const { cores, remote, holdKey } = world;
    const [a, b] = cores as [Core, Core];
    const { id, number, assessment } = await assessedInRepo(a, holdKey);

    const files = (
      await git(ctx, remote, ["ls-tree", "-r", "--name-only", "main", `changes/${number}/assessments`])
    ).stdout
      .trim()
      .split("\n");
    expect(files).toHaveLength(1);
    // Committed by the assessor (the other laptop takes it only when the assessor's key signed it).
    const writer = (await git(ctx, remote, ["log", "-1", "--format=%ce", "main", "--", files[0] ?? ""])).stdout;
    expect(writer.trim()).toBe(CHANGE_MANAGER);

    await call(b, "gitops.sync", {});
    // The assessor's commit is sound: verify finds nothing about it.
    const dirB = b.services.gitopsDir ?? "";
    const assessCommit = (await git(ctx, dirB, ["log", "-1", "--format=%H", "--", files[0] ?? ""])).stdout.trim();
    const findings = (await verifyRepo({ repo: dirB, now: new Date(), ctx })).findings;
    expect(findings.filter((f) => f.commit === assessCommit)).toEqual([]);
    const theirs = await byNumber(b, number);
    const here = await riskOf(a, id);
    expect(here?.score).toBe(assessment.score);
    expect(await riskOf(b, theirs?.id ?? "")).toEqual(here);
    const [mine, there] = await Promise.all([
      call(a, "change.get", { id }),
      call(b, "change.get", { id: theirs?.id ?? "" }),
    ]);
    expect([there.risk, there.riskScore]).toEqual([mine.risk, mine.riskScore]);
    // A second sync takes nothing twice.
    const audits = async () => (await call(b, "audit.list", { pageSize: 500 })).total;
    const before = await audits();
    await call(b, "gitops.sync", {});
    expect(await audits()).toBe(before);
  });

  it("goes in the submission commit when the requester signing it made the assessment in force", async () => {
    const world = await laptops(2);
    const { cores, remote, holdKey } = world;
    const [a, b] = cores as [Core, Core];
    const sofia = { name: "Sofia Rossi", email: CHANGE_MANAGER };
    // Sofia raises the change and assesses it herself (the fixture acts by name while a key is held).
    await holdKey(a, CHANGE_MANAGER);
    const change = await changeIn(a, "normal", "submitted", { requester: sofia });
    expect((await call(a, "change.get", { id: change.id })).assessment?.assessedBy).toBe(CHANGE_MANAGER);
    const { number } = await call(a, "gitops.submit", { changeId: change.id });
    const files = (await git(ctx, remote, ["show", "--name-only", "--format=%s", "main"])).stdout.trim().split("\n");
    expect(files).toEqual([
      expect.stringMatching(new RegExp(`^Submit ${number}`)),
      "",
      expect.stringMatching(new RegExp(`^changes/${number}/assessments/`)),
      `changes/${number}/change.yaml`,
    ]);
    await call(b, "gitops.sync", {});
    const theirs = await byNumber(b, number);
    expect(await riskOf(b, theirs?.id ?? "")).toEqual(await riskOf(a, change.id));
  });

  it("made before submission by someone else, it is published at submission signed by its assessor", async () => {
    const world = await laptops(2);
    const { cores, remote, holdKey } = world;
    const [a, b] = cores as [Core, Core];
    // Sofia (change-manager) assesses Lena's change with her own key before it has a number; Lena then sends it.
    await holdKey(a, CHANGE_MANAGER);
    const change = await changeIn(a, "normal", "assessed");
    expect((await call(a, "change.get", { id: change.id })).assessment?.assessedBy).toBe(CHANGE_MANAGER);
    await holdKey(a, lena);
    const { number } = await call(a, "gitops.submit", { changeId: change.id });
    const log = await git(ctx, remote, ["log", "--format=%G? %ce %s", "main", "--", `changes/${number}`], {
      config: [`gpg.ssh.allowedSignersFile=${a.services.gitopsDir}/.shiftgate/allowed_signers`],
    });
    // Two commits, each signed by the person whose record it carries: the requester cannot sign Sofia's answers.
    expect(log.stdout.trim().split("\n")).toEqual([
      expect.stringMatching(new RegExp(`^G ${CHANGE_MANAGER} Assess ${number}: `)),
      expect.stringMatching(new RegExp(`^G ${lena} Submit ${number}: `)),
    ]);
    await call(b, "gitops.sync", {});
    const dirB = b.services.gitopsDir ?? "";
    const findings = (await verifyRepo({ repo: dirB, now: new Date(), ctx })).findings;
    expect(findings.filter((f) => f.change === number)).toEqual([]);
    const theirs = await byNumber(b, number);
    const there = await riskOf(b, theirs?.id ?? "");
    expect(there?.assessedBy).toBe(CHANGE_MANAGER);
    expect(there).toEqual(await riskOf(a, change.id));
  });

  it("a rewrite of an assessment is refused on push and reported by verify (a new assessment is a new file)", async () => {
    const world = await laptops(2);
    const { cores, holdKey } = world;
    const [a, b] = cores as [Core, Core];
    const { number } = await assessedInRepo(a, holdKey);
    await call(b, "gitops.sync", {});
    const dir = b.services.gitopsDir ?? "";
    const path = (await git(ctx, dir, ["ls-files", `changes/${number}/assessments`])).stdout.trim();
    const lower = (text: string) => text.replace(/score: \d+/, "score: 1").replace(/riskClass: \w+/, "riskClass: low");
    expect(await expectRewriteRefused(b, world.remote, path, lower, CHANGE_MANAGER)).toEqual([number]);
  });
});
