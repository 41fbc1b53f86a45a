import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoPolicy } from "../../../electron/core/gitops/demo-policy";
import { git } from "../../../electron/core/gitops/git";
import type { Finding } from "../../../electron/core/gitops/verify/findings";
import { verifyRepo } from "../../../electron/core/gitops/verify/verify";
import { writeChange, writePolicy } from "../../../shared/domain/policy/index";
import { runCliCaptured } from "../../helpers/cli";
import { ADMIN, createWorld, script, testChange, type World } from "../../helpers/gitops-world";

// Each case crafts a history on a fresh clone of the same root of trust and expects exactly these findings,
// each on the commit the spec names (own signature/signer findings on the commit, release findings on the release).

let world: World;
let n = 0;
beforeAll(async () => {
  world = await createWorld("ssh");
});
afterAll(() => world?.cleanup());

const ID = "CHG-2026-0001";
const NOW = new Date("2026-12-06T08:00:00Z");

async function fresh() {
  const repo = await world.clone(`case-${++n}`);
  return { repo, s: script(world, repo) };
}

async function verify(dir: string, now = NOW) {
  const result = await verifyRepo({ repo: dir, now, ctx: world.ctx });
  return result;
}

const kinds = (findings: readonly Finding[]) => findings.map((f) => [f.kind, f.commit.slice(0, 10), f.change]);
const at = (kind: string, sha: string, change: string | null = ID) => [kind, sha.slice(0, 10), change];

/** The clean baseline: high risk, two cab-members and the Berlin plant-ops-leader, released in the window. */
async function approved(s: ReturnType<typeof script>, change = testChange(ID)) {
  const { digest } = await s.submit(change);
  const a = await s.decide(change.id, digest, "raj.patel@plant.example", "cab-member");
  const b = await s.decide(change.id, digest, "kenji.sato@plant.example", "cab-member");
  const c = await s.decide(change.id, digest, "ana.ortiz@plant.example", "plant-ops-leader");
  return { digest, approvals: [a, b, c] };
}

describe("gitops verify findings (SSH-signed history)", () => {
  it("a clean history has no findings and agrees with git's own %G? verdicts", async () => {
    const { repo, s } = await fresh();
    await approved(s);
    await s.release(ID);
    const result = await verify(repo.dir);
    expect(result).toMatchObject({ ok: true, findings: [] });
    // The pin commit after the root is judged too (a .shiftgate/ change by the policy-admin).
    expect(result.checked).toBe(6);
    expect(result.trustRoot).toEqual({ commit: world.root, source: "committed" });
    const viaGit = await verifyRepo({ repo: repo.dir, now: NOW, ctx: world.ctx, gitForSsh: true });
    expect(viaGit).toEqual(result);
  });

  it("unsigned, bad-signature, unknown-signer and signer-mismatch on the approval commits; quorum-not-met on the release", async () => {
    const { repo, s } = await fresh();
    const { digest } = await s.submit(testChange(ID));
    const unsigned = await s.unsigned("raj.patel@plant.example", "changes/x.txt", "x");
    await s.decide(ID, digest, "kenji.sato@plant.example", "cab-member");
    const tampered = await s.tamperHead();
    const unknown = await s.decide(ID, digest, "sofia.rossi@plant.example", "cab-member", {
      as: { ...(await world.stranger("sofia.rossi@plant.example")), name: "Sofia Rossi" },
    });
    const mismatch = await s.decide(ID, digest, "ana.ortiz@plant.example", "plant-ops-leader", {
      as: { ...world.signer("marcus.reed@plant.example"), email: "ana.ortiz@plant.example", name: "Ana Ortiz" },
    });
    const release = await s.release(ID);
    const result = await verify(repo.dir);
    expect(kinds(result.findings)).toEqual([
      at("unsigned", unsigned, null),
      at("bad-signature", tampered),
      at("unknown-signer", unknown),
      at("signer-mismatch", mismatch),
      at("quorum-not-met", release),
    ]);
    expect(result.findings[4]?.message).toContain("needs 2 cab-members, the Berlin plant-ops-leader");
    expect(result.ok).toBe(false);
    // git's own %G? (through ssh-keygen) gives the same verdicts as the in-process check.
    expect(await verifyRepo({ repo: repo.dir, now: NOW, ctx: world.ctx, gitForSsh: true })).toEqual(result);
  });

  it("signer-mismatch when the approval file names someone other than the committer", async () => {
    const { repo, s } = await fresh();
    const { digest } = await s.submit(testChange(ID));
    const forged = await s.decide(ID, digest, "kenji.sato@plant.example", "cab-member", {
      signerEmail: "sofia.rossi@plant.example",
    });
    expect(kinds((await verify(repo.dir)).findings)).toEqual([at("signer-mismatch", forged)]);
  });

  it("role-not-held for a claimed role and for a .shiftgate/ change without policy-admin, which is not adopted", async () => {
    const { repo, s } = await fresh();
    const { digest } = await s.submit(testChange(ID));
    const claimed = await s.decide(ID, digest, "marcus.reed@plant.example", "cab-member");
    // Lena tries to make herself a cab-member: the commit is reported and the policy is not adopted.
    const policy = demoPolicy();
    const hacked = {
      ...policy,
      people: policy.people.map((p) => (p.email === "lena.weber@plant.example" ? { ...p, roles: ["cab-member"] } : p)),
    };
    const grab = await s.write("lena.weber@plant.example", ".shiftgate/policy.yaml", writePolicy(hacked));
    const self = await s.decide(ID, digest, "lena.weber@plant.example", "cab-member");
    const result = await verify(repo.dir);
    expect(kinds(result.findings)).toEqual([
      at("role-not-held", claimed),
      at("role-not-held", grab, null),
      at("role-not-held", self),
      at("self-approval", self),
    ]);
  });

  it("a policy-admin's .shiftgate/ change is adopted for the commits after it", async () => {
    const { repo, s } = await fresh();
    const { digest } = await s.submit(testChange(ID));
    const policy = demoPolicy();
    const widened = {
      ...policy,
      people: policy.people.map((p) =>
        p.email === "marcus.reed@plant.example" ? { ...p, roles: [...p.roles, "cab-member"] } : p,
      ),
    };
    await s.write(ADMIN, ".shiftgate/policy.yaml", writePolicy(widened));
    await s.decide(ID, digest, "marcus.reed@plant.example", "cab-member");
    expect((await verify(repo.dir)).findings).toEqual([]);
  });

  it("self-approval when the implementer approves", async () => {
    const { repo, s } = await fresh();
    const change = testChange(ID, { implementer: { name: "Kenji Sato", email: "kenji.sato@plant.example" } });
    const { digest } = await s.submit(change);
    const self = await s.decide(ID, digest, "kenji.sato@plant.example", "cab-member");
    expect(kinds((await verify(repo.dir)).findings)).toEqual([at("self-approval", self)]);
  });

  it("no-change-reference and unknown-change on release commits", async () => {
    const { repo, s } = await fresh();
    const bare = await s.release(null);
    const unknown = await s.release("CHG-2026-0999");
    expect(kinds((await verify(repo.dir)).findings)).toEqual([
      at("no-change-reference", bare, null),
      at("unknown-change", unknown, "CHG-2026-0999"),
    ]);
  });

  it("stale-approval for each approval of an earlier revision (a stale rejection no longer stands), quorum-not-met", async () => {
    const { repo, s } = await fresh();
    const { digest } = await s.submit(testChange(ID));
    await s.decide(ID, digest, "raj.patel@plant.example", "cab-member");
    await s.decide(ID, digest, "ana.ortiz@plant.example", "plant-ops-leader");
    await s.decide(ID, digest, "kenji.sato@plant.example", "cab-member", { reject: true });
    // The change is edited after Raj approved: his approval is now for an earlier revision.
    const revised = writeChange({ ...testChange(ID), rollback: "Restore snapshot" });
    await s.write("lena.weber@plant.example", `changes/${ID}/change.yaml`, revised);
    const release = await s.release(ID);
    const result = await verify(repo.dir);
    expect(kinds(result.findings)).toEqual([
      at("stale-approval", release),
      at("stale-approval", release),
      at("stale-approval", release),
      at("quorum-not-met", release),
    ]);
  });

  it("a rejection that defeats the quorum blocks the release", async () => {
    const { repo, s } = await fresh();
    const { digest } = await approved(s);
    // Ana, Berlin's only plant-ops-leader, replaces her approval with a rejection: no one else can fill her rule.
    await s.decide(ID, digest, "ana.ortiz@plant.example", "plant-ops-leader", { reject: true });
    const release = await s.release(ID);
    const result = await verify(repo.dir);
    expect(kinds(result.findings)).toEqual([at("rejected", release), at("quorum-not-met", release)]);
    expect(result.findings[0]?.message).toContain("Ana Ortiz rejected");
  });

  it("a rejection the quorum outvotes does not block the release (one rule with the register)", async () => {
    const { repo, s } = await fresh();
    const { digest } = await approved(s);
    await s.decide(ID, digest, "sofia.rossi@plant.example", "cab-member", { reject: true });
    await s.release(ID);
    const result = await verify(repo.dir);
    expect(kinds(result.findings)).toEqual([]);
  });

  it("a rejection overwritten by an approval no longer stands", async () => {
    const { repo, s } = await fresh();
    const { digest } = await approved(s);
    await s.decide(ID, digest, "sofia.rossi@plant.example", "cab-member", { reject: true });
    await s.decide(ID, digest, "sofia.rossi@plant.example", "cab-member");
    await s.release(ID);
    expect((await verify(repo.dir)).findings).toEqual([]);
  });

  it("sod-conflict when one person approves both the db migration and the deploy", async () => {
    const { repo, s } = await fresh();
    const { digest } = await approved(s, testChange(ID, { dbMigration: true }));
    const policy = demoPolicy();
    const dana = {
      ...policy,
      people: policy.people.map((p) =>
        p.email === "dana.kim@plant.example" ? { ...p, roles: ["dba", "cab-member"] } : p,
      ),
    };
    await s.write(ADMIN, ".shiftgate/policy.yaml", writePolicy(dana));
    await s.decide(ID, digest, "dana.kim@plant.example", "dba", { scope: "db-migration" });
    await s.decide(ID, digest, "dana.kim@plant.example", "cab-member");
    const release = await s.release(ID);
    expect(kinds((await verify(repo.dir)).findings)).toEqual([at("sod-conflict", release)]);
  });

  it("outside-window and blackout on the release", async () => {
    const { repo, s } = await fresh();
    await s.write(ADMIN, ".shiftgate/calendars/berlin.ics", blackoutIcs("20261205T230000Z", "20261206T000000Z"));
    await approved(s);
    const late = await s.release(ID, "2026-12-06T03:00:00Z");
    const inBlackout = await s.release(ID, "2026-12-05T23:30:00Z");
    const atEnd = await s.release(ID, "2026-12-06T00:00:00Z");
    expect(kinds((await verify(repo.dir)).findings)).toEqual([at("outside-window", late), at("blackout", inBlackout)]);
    expect(atEnd).toBeTruthy();
  });

  it("an emergency with an exception may overlap a blackout; its review is overdue after 48h", async () => {
    const { repo, s } = await fresh();
    await s.write(ADMIN, ".shiftgate/calendars/berlin.ics", blackoutIcs("20261205T000000Z", "20261207T000000Z"));
    const change = testChange(ID, { type: "emergency" });
    const { digest } = await s.submit(change);
    await s.write("raj.patel@plant.example", `changes/${ID}/exception.yaml`, exceptionYaml());
    await s.decide(ID, digest, "kenji.sato@plant.example", "it-manager");
    await s.decide(ID, digest, "ana.ortiz@plant.example", "plant-ops-leader");
    const release = await s.release(ID, "2026-12-05T22:30:00Z");
    expect((await verify(repo.dir, new Date("2026-12-07T22:29:00Z"))).findings).toEqual([]);
    const late = await verify(repo.dir, new Date("2026-12-07T22:31:00Z"));
    expect(kinds(late.findings)).toEqual([at("review-overdue", release)]);
    // A review by the implementer does not count (and is itself reported); one by a cab-member does.
    const byImplementer = await s.write(
      "tom.fischer@plant.example",
      `changes/${ID}/review.yaml`,
      reviewYaml("Tom Fischer", "tom.fischer@plant.example", "release-manager"),
      [],
      new Date("2026-12-06T10:00:00Z"),
    );
    expect(kinds((await verify(repo.dir, new Date("2026-12-08T00:00:00Z"))).findings)).toEqual([
      at("role-not-held", byImplementer),
      at("self-approval", byImplementer),
      at("review-overdue", release),
    ]);
  });

  it("an emergency reviewed in time has no findings", async () => {
    const { repo, s } = await fresh();
    const change = testChange(ID, { type: "emergency" });
    const { digest } = await s.submit(change);
    await s.write("raj.patel@plant.example", `changes/${ID}/exception.yaml`, exceptionYaml());
    await s.decide(ID, digest, "kenji.sato@plant.example", "it-manager");
    await s.decide(ID, digest, "ana.ortiz@plant.example", "plant-ops-leader");
    await s.release(ID, "2026-12-05T22:30:00Z");
    await s.write(
      "sofia.rossi@plant.example",
      `changes/${ID}/review.yaml`,
      reviewYaml("Sofia Rossi", "sofia.rossi@plant.example", "cab-member"),
      [],
      new Date("2026-12-06T10:00:00Z"),
    );
    expect((await verify(repo.dir, new Date("2026-12-10T00:00:00Z"))).findings).toEqual([]);
  });

  it("a review signed by the emergency's logger or requester does not count and is reported", async () => {
    const { repo, s } = await fresh();
    const { digest } = await s.submit(testChange(ID, { type: "emergency" }));
    await s.write("raj.patel@plant.example", `changes/${ID}/exception.yaml`, exceptionYaml());
    await s.decide(ID, digest, "kenji.sato@plant.example", "it-manager");
    await s.decide(ID, digest, "ana.ortiz@plant.example", "plant-ops-leader");
    const release = await s.release(ID, "2026-12-05T22:30:00Z");
    // Raj logged it and holds cab-member: his own review is the same hand twice.
    const byLogger = await s.write(
      "raj.patel@plant.example",
      `changes/${ID}/review.yaml`,
      reviewYaml("Raj Patel", "raj.patel@plant.example", "cab-member"),
      [],
      new Date("2026-12-06T10:00:00Z"),
    );
    const late = await verify(repo.dir, new Date("2026-12-10T00:00:00Z"));
    expect(kinds(late.findings)).toEqual([at("self-approval", byLogger), at("review-overdue", release)]);
    expect(late.findings[0]?.message).toBe(`Raj Patel reviewed ${ID}, but they logged its exception.`);
  });

  it("an approval or rejection signed by the emergency's logger does not count and is reported", async () => {
    const { repo, s } = await fresh();
    const { digest } = await s.submit(testChange(ID, { type: "emergency" }));
    await s.write("raj.patel@plant.example", `changes/${ID}/exception.yaml`, exceptionYaml());
    // Raj logged it and holds it-manager: his approval would be the same hand twice, so the quorum lacks it.
    const byLogger = await s.decide(ID, digest, "raj.patel@plant.example", "it-manager");
    await s.decide(ID, digest, "ana.ortiz@plant.example", "plant-ops-leader");
    const release = await s.release(ID, "2026-12-05T22:30:00Z");
    const result = await verify(repo.dir, new Date("2026-12-06T08:00:00Z"));
    expect(kinds(result.findings)).toEqual([at("self-approval", byLogger), at("quorum-not-met", release)]);
    expect(result.findings[0]?.message).toBe(`Raj Patel approved ${ID}, but they logged its exception.`);
    expect(result.findings[1]?.message).toContain("needs 1 it-manager");
    // His rejection is no decision either: it is reported and does not stand against Kenji's approval.
    const { repo: other, s: t } = await fresh();
    await t.submit(testChange(ID, { type: "emergency" }));
    await t.write("raj.patel@plant.example", `changes/${ID}/exception.yaml`, exceptionYaml());
    const rejection = await t.decide(ID, digest, "raj.patel@plant.example", "it-manager", { reject: true });
    await t.decide(ID, digest, "kenji.sato@plant.example", "it-manager");
    await t.decide(ID, digest, "ana.ortiz@plant.example", "plant-ops-leader");
    await t.release(ID, "2026-12-05T22:30:00Z");
    const rejected = await verify(other.dir, new Date("2026-12-06T08:00:00Z"));
    expect(kinds(rejected.findings)).toEqual([at("self-approval", rejection)]);
    expect(rejected.findings[0]?.message).toBe(`Raj Patel rejected ${ID}, but they logged its exception.`);
  });

  it("approvals merged from another laptop keep their signer; an unsigned merge that only carries them is not judged", async () => {
    const { repo: a, s: sa } = await fresh();
    const { digest } = await sa.submit(testChange(ID));
    await sa.decide(ID, digest, "raj.patel@plant.example", "cab-member");
    await git(world.ctx, a.dir, ["push", "--quiet", "origin", "HEAD:refs/heads/side"]);
    const { repo: b, s: sb } = await fresh();
    await git(world.ctx, b.dir, ["fetch", "--quiet", "origin", "side"]);
    await git(world.ctx, b.dir, ["reset", "--quiet", "--hard", "FETCH_HEAD~1"]);
    await sb.decide(ID, digest, "kenji.sato@plant.example", "cab-member");
    await sb.decide(ID, digest, "ana.ortiz@plant.example", "plant-ops-leader");
    await git(world.ctx, b.dir, ["merge", "--quiet", "--no-edit", "--no-ff", "FETCH_HEAD"], {
      config: ["user.name=Merger", "user.email=merger@ci.example", "commit.gpgsign=false"],
    });
    const release = await sb.release(ID);
    expect(await verify(b.dir)).toMatchObject({ ok: true, findings: [] });
    // Without the merged approval the same release lacks one cab-member.
    await git(world.ctx, b.dir, ["reset", "--quiet", "--hard", `${release}^`]);
    await git(world.ctx, b.dir, ["reset", "--quiet", "--hard", "HEAD^1"]);
    const bare = await sb.release(ID);
    expect(kinds((await verify(b.dir)).findings)).toEqual([at("quorum-not-met", bare)]);
  });

  it("--trust-root: commits before the named root are not judged", async () => {
    const { repo, s } = await fresh();
    await s.unsigned("raj.patel@plant.example", "changes/note.txt", "x");
    const root = await s.write(
      ADMIN,
      ".shiftgate/policy.yaml",
      writePolicy({ ...demoPolicy(), roles: ["auditor-lead"] }),
    );
    const { digest } = await s.submit(testChange(ID));
    const late = await s.decide(ID, digest, "tom.fischer@plant.example", "cab-member");
    expect(kinds((await verify(repo.dir)).findings).map((f) => f[0])).toEqual([
      "unsigned",
      "role-not-held",
      "self-approval",
    ]);
    const out = await runCliCaptured(["gitops", "verify", "--repo", repo.dir, "--trust-root", root, "--json"]);
    const json = JSON.parse(out.stdout) as { findings: Finding[]; checked: number };
    expect(json.findings.map((f) => [f.kind, f.commit])).toEqual([
      ["role-not-held", late],
      ["self-approval", late],
    ]);
    expect(json.checked).toBe(2);
  });

  it("the CLI prints the contract's JSON and exits 1 on findings, 0 clean, 2 on bad input", async () => {
    const { repo, s } = await fresh();
    const { digest } = await s.submit(testChange(ID));
    await s.decide(ID, digest, "raj.patel@plant.example", "cab-member");
    const release = await s.release(ID);
    const out = await runCliCaptured(["gitops", "verify", "--repo", repo.dir, "--now", NOW.toISOString(), "--json"]);
    expect(out.code).toBe(1);
    const json = JSON.parse(out.stdout) as { ok: boolean; checked: number; findings: Finding[] };
    expect(Object.keys(json)).toEqual(["ok", "checked", "trustRoot", "findings"]);
    expect(Object.keys(json.findings[0] ?? {})).toEqual(["commit", "change", "kind", "severity", "message"]);
    expect(json).toMatchObject({
      ok: false,
      checked: 4,
      trustRoot: { commit: world.root, source: "committed" },
      findings: [{ commit: release, change: ID, kind: "quorum-not-met", severity: "error" }],
    });
    // Judged from the root of trust named explicitly, the same; before any change, clean.
    const head = await runCliCaptured(["gitops", "verify", "--repo", repo.dir, "--rev", `${release}~2`, "--json"]);
    expect(head.code).toBe(0);
    expect((await runCliCaptured(["gitops", "verify", "--repo", repo.dir, "--now", "yesterday", "--json"])).code).toBe(
      2,
    );
    // A pinned root that is not in the history is a finding (the history was replaced), not bad input.
    const missing = await runCliCaptured([
      "gitops",
      "verify",
      "--repo",
      repo.dir,
      "--trust-root",
      "deadbeef",
      "--json",
    ]);
    expect(missing.code).toBe(1);
    expect((JSON.parse(missing.stdout) as { findings: Finding[] }).findings[0]?.kind).toBe("trust-root-missing");
    expect((await runCliCaptured(["gitops", "verify", "--json"])).code).toBe(2);
    // A shallow clone cannot be verified: its oldest commit would pose as the root of trust.
    const shallow = `${repo.dir}-shallow`;
    await git(world.ctx, world.dir, ["clone", "--quiet", "--depth", "1", `file://${repo.dir}`, shallow]);
    const refused = await runCliCaptured(["gitops", "verify", "--repo", shallow, "--json"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("shallow clone");
  });
});

function blackoutIcs(start: string, end: string): string {
  return [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//test//EN",
    "X-WR-CALNAME:Berlin Assembly",
    "X-WR-TIMEZONE:Europe/Berlin",
    "BEGIN:VEVENT",
    "UID:blackout-1@test",
    "DTSTAMP:20261101T000000Z",
    `DTSTART:${start}`,
    `DTEND:${end}`,
    "SUMMARY:Month-end close",
    "CATEGORIES:BLACKOUT",
    "END:VEVENT",
    "END:VCALENDAR",
    "",
  ].join("\r\n");
}

function exceptionYaml(): string {
  return [
    `change: ${ID}`,
    "justification: Scanners reject lot numbers; shipping stopped",
    "incident: INC-1",
    "breakGlass: {start: 2026-12-05T22:00:00Z, end: 2026-12-06T01:00:00Z}",
    "loggedBy: {name: Raj Patel, email: raj.patel@plant.example, role: it-manager}",
    "loggedAt: 2026-12-05T21:50:00Z",
    "",
  ].join("\n");
}

function reviewYaml(name: string, email: string, role: string): string {
  return `change: ${ID}\noutcome: accepted\nnotes: fine\nreviewer: {name: ${name}, email: ${email}, role: ${role}}\nreviewedAt: 2026-12-06T10:00:00Z\n`;
}
