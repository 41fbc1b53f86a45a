import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Core } from "../../../electron/core/core";
import { commitFiles } from "../../../electron/core/gitops/commit";
import { git, isolatedGitContext } from "../../../electron/core/gitops/git";
import { outboxOf } from "../../../electron/core/gitops/outbox-registry";
import { pushBranch } from "../../../electron/core/gitops/repo";
import { verifyRepo } from "../../../electron/core/gitops/verify/verify";
import { dataPaths } from "../../../electron/core/paths";
import { attachmentPath, writeAttachment } from "../../../shared/domain/policy/attachment-file";
import { demoLaptopsEachTest, type Laptops } from "../../helpers/laptops";
import { expectRewriteRefused } from "../../helpers/rewrite-refused";
import { call, who } from "../approvals/support";
import { CHANGE_MANAGER, changeIn } from "../register/register-fixtures";

// Issue #17 item 4: evidence travels by hash. Evidence attached to a change as a whole (evidence.attach without a
// gate) becomes a record signed by the person who attached it (changes/<ID>/attachments/<id>.yaml) with its bytes
// beside the change (evidence/<sha256>); a laptop that syncs holds the same file under the same hash. Before, only a
// gate's evidence travelled: the other laptop's change page and decision view showed none of it.

const ctx = isolatedGitContext();
const laptops = demoLaptopsEachTest();

const lena = who("lena").email;
const TORQUE = "station,torque_nm\nST-10,41.8\nST-20,42.1\n";

async function attachedInRepo(a: Core, holdKey: Laptops["holdKey"]) {
  const change = await changeIn(a, "normal", "submitted");
  await holdKey(a, lena);
  const { number } = await call(a, "gitops.submit", { changeId: change.id });
  // Sofia (change-manager) adds the torque readings to the change as a whole, holding her key.
  await holdKey(a, CHANGE_MANAGER);
  const evidence = await call(a, "evidence.attach", {
    changeId: change.id,
    filename: "torque.csv",
    contentBase64: Buffer.from(TORQUE).toString("base64"),
  });
  await call(a, "gitops.push", {});
  return { id: change.id, number, evidence };
}

const byNumber = async (core: Core, number: string) =>
  (await call(core, "change.list", { pageSize: 200 })).items.find((c) => c.number === number);

describe("evidence attached to a change (not a gate) travels", () => {
  it("as its signer's record with the bytes by hash; the other laptop holds the same file", async () => {
    const world = await laptops(2);
    const { cores, remote, holdKey } = world;
    const [a, b] = cores as [Core, Core];
    const { number, evidence } = await attachedInRepo(a, holdKey);
    const files = (await git(ctx, remote, ["show", "--name-only", "--format=%ce %s", "main"])).stdout.trim();
    expect(files.split("\n")).toEqual([
      `${CHANGE_MANAGER} Evidence for ${number}: torque.csv`,
      "",
      `changes/${number}/attachments/${evidence.id.toLowerCase()}.yaml`,
      `changes/${number}/evidence/${evidence.sha256}`,
    ]);

    await call(b, "gitops.sync", {});
    const dirB = b.services.gitopsDir ?? "";
    const findings = (await verifyRepo({ repo: dirB, now: new Date(), ctx })).findings;
    expect(findings.filter((f) => f.change === number)).toEqual([]);
    const theirs = await byNumber(b, number);
    const there = (await call(b, "change.get", { id: theirs?.id ?? "" })).evidence;
    expect(there.map((e) => [e.filename, e.sha256, e.size, e.gateId, e.attachedBy, e.attachedAt])).toEqual([
      [evidence.filename, evidence.sha256, evidence.size, null, CHANGE_MANAGER, evidence.attachedAt],
    ]);
    const read = await call(b, "evidence.read", { id: there[0]?.id ?? "" });
    expect(Buffer.from(read.contentBase64, "base64").toString()).toBe(TORQUE);
    const shown = (await call(b, "approval.preview", { changeId: theirs?.id ?? "" })).decision.evidence;
    expect(shown).toEqual([expect.objectContaining({ sha256: evidence.sha256, gateId: null, location: "here" })]);
    // A second sync takes nothing twice; the laptop that attached it keeps one piece of evidence.
    const audits = async () => (await call(b, "audit.list", { pageSize: 500 })).total;
    const before = await audits();
    await call(b, "gitops.sync", {});
    expect(await audits()).toBe(before);
    await call(a, "gitops.sync", {});
    expect((await call(a, "change.get", { id: (await byNumber(a, number))?.id ?? "" })).evidence).toHaveLength(1);
  });

  it("the same content attached again is the evidence already there: no second record, no second commit", async () => {
    const world = await laptops(1);
    const { cores, remote, holdKey } = world;
    const [a] = cores as [Core];
    const { id, evidence } = await attachedInRepo(a, holdKey);
    const state = async () => {
      const outbox = await call(a, "gitops.outbox", {});
      const head = (await git(ctx, remote, ["rev-parse", "main"])).stdout.trim();
      return { head, rows: [...outbox.items, ...outbox.recent].map((r) => r.id) };
    };
    const before = await state();
    const again = await call(a, "evidence.attach", {
      changeId: id,
      filename: "torque.csv",
      contentBase64: Buffer.from(TORQUE).toString("base64"),
    });
    expect([again.id, again.deduplicated]).toEqual([evidence.id, true]);
    await call(a, "gitops.push", {});
    expect(await state()).toEqual(before);
    expect((await call(a, "change.get", { id })).evidence).toHaveLength(1);
  });

  it("a tampered evidence blob is refused on push, and verify names it as bytes that are not the evidence", async () => {
    const world = await laptops(2);
    const { cores, holdKey } = world;
    const [a, b] = cores as [Core, Core];
    const { number, evidence } = await attachedInRepo(a, holdKey);
    await call(b, "gitops.sync", {});
    const dir = b.services.gitopsDir ?? "";
    const path = `changes/${number}/evidence/${evidence.sha256}`;
    const lower = (text: string) => text.replace("41.8", "48.1");
    expect(await expectRewriteRefused(b, world.remote, path, lower, CHANGE_MANAGER)).toEqual([number]);
    const head = (await git(ctx, dir, ["rev-parse", "HEAD"])).stdout.trim();
    const found = (await verifyRepo({ repo: dir, now: new Date(), ctx })).findings;
    expect(found.filter((f) => f.kind === "evidence-mismatch").map((f) => [f.commit, f.change])).toEqual([
      [head, number],
    ]);
  });

  it("evidence whose bytes do not hash to their name is not taken by a laptop that syncs", async () => {
    const world = await laptops(3);
    const { cores, holdKey } = world;
    const [a, b, c] = cores as [Core, Core, Core];
    const { number, evidence } = await attachedInRepo(a, holdKey);
    // Laptop b forges the bytes in a new commit and pushes it around the app (straight to the remote).
    await call(b, "gitops.sync", {});
    const dir = b.services.gitopsDir ?? "";
    const file = join(dir, "changes", number, "evidence", evidence.sha256);
    writeFileSync(file, readFileSync(file, "utf8").replace("41.8", "48.1"));
    const as = { GIT_COMMITTER_EMAIL: CHANGE_MANAGER, GIT_AUTHOR_EMAIL: CHANGE_MANAGER };
    await git(ctx, dir, ["-c", "user.name=Sofia", "commit", "--quiet", "-am", "Tidy the evidence"], { env: as });
    await git(ctx, dir, ["push", "--quiet", world.remote, "HEAD:main"]);
    await call(c, "gitops.sync", {});
    const theirs = await byNumber(c, number);
    expect((await call(c, "change.get", { id: theirs?.id ?? "" })).evidence).toEqual([]);
    // The record still names it by hash: the decision view says this laptop lacks the bytes.
    const shown = (await call(c, "approval.preview", { changeId: theirs?.id ?? "" })).decision.evidence;
    expect(shown).toEqual([expect.objectContaining({ sha256: evidence.sha256, gateId: null, location: "missing" })]);
  });

  it("a record committed by someone other than the person it names is reported by verify and not taken", async () => {
    const world = await laptops(2);
    const { cores, holdKey } = world;
    const [a, b] = cores as [Core, Core];
    const change = await changeIn(a, "normal", "submitted");
    await holdKey(a, lena);
    const { number } = await call(a, "gitops.submit", { changeId: change.id });
    await call(b, "gitops.sync", {});
    // Ana signs, with her own key, a record that says Sofia attached the readings.
    const ana = who("ana");
    const repo = outboxOf(b.services)?.repo ?? expect.fail("laptop b has no repository");
    const sha256 = createHash("sha256").update(TORQUE).digest("hex");
    const record = writeAttachment({
      change: number,
      filename: "torque.csv",
      mediaType: "text/csv",
      sha256,
      size: TORQUE.length,
      location: "repo",
      attachedBy: { name: "Sofia Rossi", email: CHANGE_MANAGER },
      attachedAt: new Date().toISOString(),
    });
    const keyFile = join(dataPaths(a.services.dataDir).keys, `${ana.email}.key`);
    const sha = await commitFiles(
      repo,
      { ...ana, key: { format: "ssh", keyFile } },
      [
        { path: attachmentPath(number, "01kbq8y7d3n4v6x2c5r9t0wz1h"), content: record },
        { path: `changes/${number}/evidence/${sha256}`, content: TORQUE },
      ],
      `Evidence for ${number}: torque.csv`,
    );
    await pushBranch(repo);
    const found = (await verifyRepo({ repo: repo.dir, now: new Date(), ctx })).findings.filter((f) => f.commit === sha);
    expect(found.map((f) => f.kind)).toEqual(["signer-mismatch"]);
    await call(a, "gitops.sync", {});
    expect((await call(a, "change.get", { id: change.id })).evidence).toEqual([]);
    expect((await call(a, "approval.preview", { changeId: change.id })).decision.evidence).toEqual([]);
  });
});
