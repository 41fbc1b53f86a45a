import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoKustomization } from "../../../electron/core/gitops/demo-policy";
import { git } from "../../../electron/core/gitops/git";
import { withSigningSetup } from "../../../electron/core/gitops/signing";
import type { Finding } from "../../../electron/core/gitops/verify/findings";
import { verifyRepo } from "../../../electron/core/gitops/verify/verify";
import {
  approvalPath,
  type ChangeDoc,
  writeApproval,
  writeException,
  writeReview,
} from "../../../shared/domain/policy/index";
import { runCliCaptured } from "../../helpers/cli";
import { createWorld, PROD, script, testChange, type World } from "../../helpers/gitops-world";
import { setImageTag } from "../../helpers/ledger-writes";

// Time is the committer's word: only the push's arrival (--incoming … --received-at) can contradict it. These
// cases craft real signed histories and check each forgery is caught where it can be, and the honest push is not.

let world: World;
let n = 0;
beforeAll(async () => {
  world = await createWorld("ssh");
});
afterAll(() => world?.cleanup());

const ID = "CHG-2026-0001";
const IMAGE = "registry.plant.example/odoo";
const TOM = "tom.fischer@plant.example";
const HIGH_QUORUM = [
  ["raj.patel@plant.example", "cab-member"],
  ["kenji.sato@plant.example", "cab-member"],
  ["ana.ortiz@plant.example", "plant-ops-leader"],
] as const;

async function fresh() {
  const repo = await world.clone(`time-${++n}`);
  const s = script(world, repo);
  const head = async () => (await git(world.ctx, repo.dir, ["rev-parse", "HEAD"])).stdout.trim();
  /** A release of `tag` by the implementer, dated `at` (the committer's word). */
  const release = (tag: string, at: string, id = ID, extra: [string, string][] = []) =>
    s.write(
      TOM,
      PROD,
      setImageTag(readFileSync(join(repo.dir, PROD), "utf8"), IMAGE, tag),
      [["Change-Request", id], ...extra],
      new Date(at),
    );
  /** Submits the change and signs the high-risk quorum for it. */
  const approve = async (change: ChangeDoc = testChange(ID)) => {
    const { digest } = await s.submit(change);
    for (const [email, role] of HIGH_QUORUM) await s.decide(change.id, digest, email, role);
    return digest;
  };
  return { repo, s, head, release, approve };
}

const kinds = (findings: readonly Finding[]) => findings.map((f) => [f.kind, f.commit.slice(0, 10), f.change]);
const at = (kind: string, sha: string, change: string | null = ID) => [kind, sha.slice(0, 10), change];

async function plain(dir: string, now: string) {
  return verifyRepo({ repo: dir, now: new Date(now), ctx: world.ctx });
}

/** `gitops verify --incoming OLD..NEW --received-at T --json`, as CI runs it on push. */
async function incoming(dir: string, range: string, receivedAt: string, extra: string[] = []) {
  const out = await runCliCaptured([
    "gitops",
    "verify",
    "--repo",
    dir,
    "--incoming",
    range,
    "--received-at",
    receivedAt,
    ...extra,
    "--json",
  ]);
  const json = out.stdout ? (JSON.parse(out.stdout) as { ok: boolean; checked: number; findings: Finding[] }) : null;
  return { ...out, json };
}

describe("gitops verify --incoming: time checked when the push arrives", () => {
  it("a correctly timed push verifies ok", async () => {
    const { repo, head, release, approve } = await fresh();
    await approve();
    const old = await head();
    const sha = await release("17.0-5", "2026-12-05T22:30:00Z");
    const out = await incoming(repo.dir, `${old}..${sha}`, "2026-12-05T22:31:10Z");
    expect(out.code).toBe(0);
    expect(out.json).toMatchObject({ ok: true, findings: [] });
    // Within the default 15 minutes either way, and within a wider --max-skew.
    expect((await incoming(repo.dir, `${old}..${sha}`, "2026-12-05T22:15:00Z")).code).toBe(0);
    expect((await incoming(repo.dir, `${old}..${sha}`, "2026-12-05T23:29:00Z", ["--max-skew", "1h"])).code).toBe(0);
  });

  it("a release made days after its window but dated into it: clock-skew, and judged at arrival, outside-window", async () => {
    const { repo, head, release, approve } = await fresh();
    await approve();
    const old = await head();
    const late = await release("17.0-5", "2026-12-05T22:30:00Z");
    // The committer's word alone passes: this is what the push check is for.
    expect(await plain(repo.dir, "2026-12-08T09:00:00Z")).toMatchObject({ ok: true, findings: [] });
    const out = await incoming(repo.dir, `${old}..${late}`, "2026-12-08T09:00:00Z");
    expect(out.code).toBe(1);
    expect(kinds(out.json?.findings ?? [])).toEqual([at("clock-skew", late), at("outside-window", late)]);
    expect(out.json?.findings[0]?.message).toContain("reached the repository at 2026-12-08T09:00:00.000Z");
    expect(out.json?.findings[1]?.message).toContain("at 2026-12-08T09:00:00.000Z is outside");
  });

  it("a release re-signed at push time but first made days earlier: its author date is clock-skew", async () => {
    const { repo, head, release, approve } = await fresh();
    await approve();
    const old = await head();
    await release("17.0-5", "2026-12-05T22:30:00Z");
    // Amending keeps the author date: the committer date alone would look timely.
    await withSigningSetup(world.signer(TOM), (setup) =>
      git(world.ctx, repo.dir, ["commit", "--quiet", "--amend", "--no-edit"], {
        config: setup.config,
        env: { ...setup.env, GIT_COMMITTER_DATE: "2026-12-08T09:00:00Z" },
      }),
    );
    const amended = await head();
    const out = await incoming(repo.dir, `${old}..${amended}`, "2026-12-08T09:05:00Z");
    expect(kinds(out.json?.findings ?? [])).toEqual([at("clock-skew", amended), at("outside-window", amended)]);
    expect(out.json?.findings[0]?.message).toContain("2026-12-05T22:30:00+00:00 (author)");
    expect(out.json?.findings[0]?.message).not.toContain("(committer)");
  });

  it("a retrospective review made after its deadline but dated inside it: clock-skew and review-overdue", async () => {
    const { repo, s, head, release } = await fresh();
    const { digest } = await s.submit(testChange(ID, { type: "emergency" }));
    const raj = { name: "Raj Patel", email: "raj.patel@plant.example" };
    await s.write(
      raj.email,
      `changes/${ID}/exception.yaml`,
      writeException({
        change: ID,
        justification: "Scanners reject lot numbers; shipping stopped",
        incident: "INC-1",
        breakGlass: { start: "2026-12-05T22:00:00Z", end: "2026-12-05T23:00:00Z" },
        loggedBy: { ...raj, role: "it-manager" },
        loggedAt: "2026-12-05T21:55:00Z",
      }),
    );
    await s.decide(ID, digest, "kenji.sato@plant.example", "it-manager");
    await s.decide(ID, digest, "ana.ortiz@plant.example", "plant-ops-leader");
    const released = await release("17.0-hotfix", "2026-12-05T22:30:00Z");
    const old = await head();
    const sofia = { name: "Sofia Rossi", email: "sofia.rossi@plant.example" };
    const review = await s.write(
      sofia.email,
      `changes/${ID}/review.yaml`,
      writeReview({
        change: ID,
        outcome: "accepted",
        notes: "",
        reviewer: { ...sofia, role: "cab-member" },
        reviewedAt: "2026-12-06T10:00:00Z",
      }),
      [["Change-Request", ID]],
      new Date("2026-12-06T10:00:00Z"),
    );
    // Dated inside the 48 hours, the review hides the overdue finding from a plain verify.
    expect(await plain(repo.dir, "2026-12-09T10:00:00Z")).toMatchObject({ ok: true, findings: [] });
    const out = await incoming(repo.dir, `${old}..${review}`, "2026-12-09T10:00:00Z", [
      "--now",
      "2026-12-09T10:00:00Z",
    ]);
    expect(out.code).toBe(1);
    expect(kinds(out.json?.findings ?? [])).toEqual([at("clock-skew", review), at("review-overdue", released)]);
  });

  it("a push that does not build on the old tip (force-push) is history-rewritten", async () => {
    const { repo, head, release, approve } = await fresh();
    await approve();
    const old = await release("17.0-5", "2026-12-05T22:30:00Z");
    await git(world.ctx, repo.dir, ["reset", "--quiet", "--hard", "HEAD~1"]);
    const replaced = await release("17.0-6", "2026-12-05T22:40:00Z");
    // Each history alone is sound; only the push shows one replaced the other.
    expect(await plain(repo.dir, "2026-12-05T22:41:00Z")).toMatchObject({ ok: true, findings: [] });
    const out = await incoming(repo.dir, `${old}..${replaced}`, "2026-12-05T22:41:00Z");
    expect(out.code).toBe(1);
    expect(kinds(out.json?.findings ?? [])).toEqual([at("history-rewritten", replaced, null)]);
    expect(await head()).toBe(replaced);
  });

  it("refuses bad input with exit 2 and a message, leaving the repository as it was", async () => {
    const { repo, head, release, approve } = await fresh();
    await approve();
    const old = await head();
    const sha = await release("17.0-5", "2026-12-05T22:30:00Z");
    const range = `${old}..${sha}`;
    const cases: [string[], string][] = [
      [["--incoming", sha], "OLD..NEW"],
      [["--incoming", range, "--received-at", "yesterday"], "--received-at"],
      [["--incoming", range, "--max-skew", "fifteen"], "--max-skew"],
      [["--incoming", range, "--max-skew", "30d"], "--max-skew"],
      [["--incoming", range, "--rev", sha], "--rev"],
      [["--received-at", "2026-12-05T22:31:00Z"], "--incoming"],
      [["--incoming", `${"0".repeat(40)}..${sha}`], "new branch"],
      [["--incoming", `deadbeef..${sha}`], "deadbeef is not a commit"],
      [["--incoming", `${old}..--output=x`], "is not a revision"],
    ];
    const missing = await runCliCaptured(["gitops", "verify", "--repo", `${repo.dir}-gone`, "--incoming", range]);
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining("There is no repository")]);
    for (const [flags, says] of cases) {
      const out = await runCliCaptured(["gitops", "verify", "--repo", repo.dir, ...flags, "--json"]);
      expect([flags, out.code]).toEqual([flags, 2]);
      expect(out.stdout).toBe("");
      expect(out.stderr).toContain(says);
    }
    expect(await head()).toBe(sha);
    expect((await git(world.ctx, repo.dir, ["status", "--porcelain"])).stdout).toBe("");
  });
});

describe("gitops verify: approvals bound to the artifact", () => {
  it("an old change's approvals replayed for a new image by backdating: artifact-mismatch, with and without --incoming", async () => {
    const { repo, head, release, approve } = await fresh();
    await approve();
    await release("17.0-5", "2026-12-05T22:30:00Z");
    const old = await head();
    const replay = await release("17.0-9", "2026-12-05T23:00:00Z");
    expect(kinds((await plain(repo.dir, "2026-12-10T08:00:00Z")).findings)).toEqual([at("artifact-mismatch", replay)]);
    const out = await incoming(repo.dir, `${old}..${replay}`, "2026-12-10T08:00:00Z");
    expect(out.code).toBe(1);
    expect(kinds(out.json?.findings ?? [])).toEqual([
      at("clock-skew", replay),
      at("outside-window", replay),
      at("artifact-mismatch", replay),
    ]);
    expect(out.json?.findings[2]?.message).toContain(`deploys ${IMAGE}:17.0-9`);
    expect(out.json?.findings[2]?.message).toContain(`cover ${IMAGE}:17.0-5 (its first release)`);
  });

  it("change.yaml's artifact binds from the first release; that image to another environment, or a release setting no image, is fine", async () => {
    const { repo, s, release, approve } = await fresh();
    await approve(testChange(ID, { artifact: { image: IMAGE, tag: "17.0-5" } }));
    const other = await release("17.0-6", "2026-12-05T22:30:00Z");
    await release("17.0-5", "2026-12-05T22:40:00Z");
    const preprod = "apps/odoo/overlays/preprod/kustomization.yaml";
    await s.write(
      TOM,
      preprod,
      demoKustomization("preprod", "17.0-5"),
      [["Change-Request", ID]],
      new Date("2026-12-05T22:50:00Z"),
    );
    const config = readFileSync(join(repo.dir, PROD), "utf8").replace("namespace: odoo-prod", "namespace: odoo-prod2");
    await s.write(TOM, PROD, config, [["Change-Request", ID]], new Date("2026-12-05T22:55:00Z"));
    const result = await plain(repo.dir, "2026-12-06T08:00:00Z");
    expect(kinds(result.findings)).toEqual([at("artifact-mismatch", other)]);
    expect(result.findings[0]?.message).toContain(`cover ${IMAGE}:17.0-5 (change.yaml's artifact)`);
  });
});

describe("gitops verify: trailers name the signer; the base reaches production", () => {
  it("Approved-by or Rejected-by naming someone other than the decision's signer is signer-mismatch", async () => {
    const { repo, s, release } = await fresh();
    const { digest } = await s.submit(testChange(ID));
    await s.decide(ID, digest, "raj.patel@plant.example", "cab-member");
    await s.decide(ID, digest, "kenji.sato@plant.example", "cab-member");
    const ana = { name: "Ana Ortiz", email: "ana.ortiz@plant.example" };
    const approval = (decision: "approved" | "rejected") =>
      writeApproval({
        change: ID,
        scope: "deploy",
        decision,
        meaning: "Approved for production release",
        signer: { ...ana, role: "plant-ops-leader" },
        signedAt: "2026-12-01T09:00:00Z",
        changeDigest: digest,
      });
    const path = approvalPath(ID, ana.email, "deploy");
    const otherName = await s.write(ana.email, path, approval("approved"), [
      ["Change-Request", ID],
      ["Approved-by", "Raj Patel <raj.patel@plant.example>"],
    ]);
    const wrongVerb = await s.write(ana.email, path, approval("rejected"), [
      ["Change-Request", ID],
      ["Approved-by", `${ana.name} <${ana.email}>`],
    ]);
    const rel = await release("17.0-5", "2026-12-05T22:30:00Z", ID, [
      ["Approved-by", "Olivia Brown <olivia.brown@plant.example>"],
    ]);
    const result = await plain(repo.dir, "2026-12-06T08:00:00Z");
    expect(kinds(result.findings)).toEqual([
      at("signer-mismatch", otherName),
      at("signer-mismatch", wrongVerb),
      at("signer-mismatch", rel),
      at("quorum-not-met", rel),
    ]);
    expect(result.findings[0]?.message).toContain(`holds ${ana.email}'s approval`);
    expect(result.findings[1]?.message).toContain(`holds ${ana.email}'s rejection`);
    expect(result.findings[2]?.message).toContain("holds no approval or rejection");
  });

  it("a change under apps/odoo/base without approvals is judged as a production release", async () => {
    const { repo, s } = await fresh();
    await s.submit(testChange(ID));
    const base = "apps/odoo/base/deployment.yaml";
    const noRef = await s.write(TOM, base, "kind: Deployment\n", [], new Date("2026-12-05T22:30:00Z"));
    const unapproved = await s.write(
      TOM,
      base,
      "kind: Deployment\nspec: {}\n",
      [["Change-Request", ID]],
      new Date("2026-12-05T22:40:00Z"),
    );
    expect(kinds((await plain(repo.dir, "2026-12-06T08:00:00Z")).findings)).toEqual([
      at("no-change-reference", noRef, null),
      at("quorum-not-met", unapproved),
    ]);
  });
});
