import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Core } from "../../../electron/core/core";
import { canonicalChangeYaml } from "../../../electron/core/gitops/change-doc";
import { commitFiles, digestOf } from "../../../electron/core/gitops/commit";
import { git, isolatedGitContext } from "../../../electron/core/gitops/git";
import { allowedSignersText, generateSshKey, type SshKeyPair } from "../../../electron/core/gitops/keys";
import { assignChangeNumber } from "../../../electron/core/register/change-ops";
import { findChange } from "../../../electron/core/register/change-rows";
import { parseApproval } from "../../../shared/domain/policy/index";
import { recordDecision } from "../../helpers/ledger-writes";
import { tempCore } from "../../helpers/temp";
import { call, changeAwaitingApproval, refused, who } from "./support";

const policyText = readFileSync(fileURLToPath(new URL("../../fixtures/policy/clean.yaml", import.meta.url)), "utf8");
const ctx = isolatedGitContext();
const NUMBER = "CHG-2026-0001";
const SOFIA_PASSPHRASE = "s3cret phrase";

let core: Core;
let cleanup: () => void;
let repoDir: string;
let keys: Record<string, SshKeyPair>;

beforeEach(async () => {
  let dir: string;
  ({ core, cleanup, dir } = await tempCore({ demo: false }));
  repoDir = join(dir, "gitops", "work");
  mkdirSync(join(repoDir, ".shiftgate"), { recursive: true });
  const keysDir = join(dir, "people-keys");
  keys = {
    sofia: await generateSshKey(keysDir, who("sofia").email, SOFIA_PASSPHRASE),
    lena: await generateSshKey(keysDir, who("lena").email, ""),
    ana: await generateSshKey(keysDir, who("ana").email, ""),
    olivia: await generateSshKey(keysDir, who("olivia").email, ""),
  };
  writeFileSync(join(repoDir, ".shiftgate", "policy.yaml"), policyText);
  writeFileSync(join(repoDir, ".shiftgate", "allowed_signers"), allowedSignersText(Object.values(keys)));
  await git(ctx, repoDir, ["init", "--quiet", "-b", "main"]);
  await git(ctx, repoDir, ["add", "."]);
  await git(ctx, repoDir, ["-c", "user.name=Setup", "-c", "user.email=setup@plant.example", "commit", "-qm", "Policy"]);
});
afterEach(() => cleanup());

/** Selects Sofia's key; it proves itself by signing, so her passphrase unlocks it once here. */
async function useSofia(): Promise<void> {
  await call(core, "identity.use", { keyFile: keys.sofia?.privateKey ?? "", passphrase: SOFIA_PASSPHRASE });
}

/** Submits the register change to the repository as CHG-2026-0001 (what the GitOps capability does). */
async function submit(id: string): Promise<string> {
  const db = core.services.register.db;
  db.transaction(() =>
    assignChangeNumber(
      {
        db,
        now: new Date(),
        actor: who("lena").email,
        door: "direct",
        newId: () => "01JAAAAAAAAAAAAAAAAAAAAAAA",
        roles: () => [],
        audit: () => undefined,
      },
      { id, number: NUMBER },
    ),
  )();
  const row = findChange(db, id);
  if (!row) throw new Error("change vanished");
  const content = canonicalChangeYaml(row);
  await commitFiles(
    { dir: repoDir, branch: "main", remote: "origin", ctx },
    { name: "Lena Weber", email: who("lena").email, key: { format: "ssh", keyFile: keys.lena?.privateKey ?? "" } },
    [{ path: `changes/${NUMBER}/change.yaml`, content }],
    `Submit ${NUMBER}`,
  );
  return digestOf(content);
}

describe("with a GitOps repository configured", () => {
  it("identity comes from the repository's allowed signers and policy", async () => {
    await useSofia();
    expect(await call(core, "identity.current", {})).toMatchObject({
      known: true,
      source: "gitops",
      email: who("sofia").email,
      roles: ["cab-member", "change-manager"],
    });
    expect(await call(core, "identity.demoKeys", {})).toEqual([]);
  });

  it("lists the policy's people for the CAB room, and the meeting records them by the policy's names and roles", async () => {
    const nina =
      "  - { email: nina.kowalska@plant.example, name: Nina Kowalska, roles: [cab-member], plants: [berlin] }\n";
    const policy = join(repoDir, ".shiftgate", "policy.yaml");
    writeFileSync(policy, readFileSync(policy, "utf8").replace(/(people:\n)/, `$1${nina}`));
    const people = await call(core, "identity.people", {});
    expect(people).toContainEqual({
      email: "nina.kowalska@plant.example",
      name: "Nina Kowalska",
      roles: ["cab-member"],
      plants: ["berlin"],
    });
    // The demo roster's Priya is not in this policy, so she is not offered.
    expect(people.map((p) => p.email)).not.toContain(who("priya").email);
    const meeting = await call(core, "meeting.start", {
      horizonDays: 14,
      attendees: ["Nina.Kowalska@plant.example", who("sofia").email, "visitor@plant.example"],
    });
    expect(meeting.attendees.map((a) => [a.email, a.name, a.roles])).toEqual([
      ["nina.kowalska@plant.example", "Nina Kowalska", ["cab-member"]],
      [who("sofia").email, "Sofia Rossi", ["cab-member", "change-manager"]],
      ["visitor@plant.example", "visitor@plant.example", []],
    ]);
  });

  it("a working copy whose policy.yaml is gone is refused, never judged by the demo people's local keys", async () => {
    const id = await changeAwaitingApproval(core, { risk: "low" });
    await submit(id);
    await git(ctx, repoDir, ["rm", "-q", ".shiftgate/policy.yaml"]);
    await git(ctx, repoDir, [
      "-c",
      "user.name=Someone",
      "-c",
      "user.email=someone@plant.example",
      "commit",
      "-qm",
      "Drop policy",
    ]);
    const head = (await git(ctx, repoDir, ["rev-parse", "HEAD"])).stdout.trim();
    for (const [method, input] of [
      ["identity.demoKeys", {}],
      ["identity.current", {}],
      ["approval.preview", { changeId: id }],
      [
        "approval.decide",
        { changeId: id, scope: "deploy", decision: "approved", meaning: "Approved for production release" },
      ],
    ] as const) {
      const error = await refused(core, method, input);
      expect(error.code, method).toBe("unavailable");
      expect(error.message, method).toMatch(/has no \.shiftgate\/policy\.yaml.*Pull the repository/);
    }
    expect((await git(ctx, repoDir, ["rev-parse", "HEAD"])).stdout.trim()).toBe(head);
    expect(core.services.register.db.prepare("SELECT count(*) FROM approvals").pluck().get()).toBe(0);
  });

  it("re-authenticates with the key's passphrase and writes each decision as one signed commit", async () => {
    const id = await changeAwaitingApproval(core, { risk: "low" });
    const digest = await submit(id);
    await useSofia();
    const preview = await call(core, "approval.preview", { changeId: id });
    expect(preview.digest).toBe(digest);
    const head = (await git(ctx, repoDir, ["rev-parse", "HEAD"])).stdout.trim();

    const input = {
      changeId: id,
      scope: "deploy" as const,
      decision: "approved" as const,
      meaning: "Approved for production release",
    };
    const wrong = await refused(core, "approval.decide", { ...input, passphrase: "guess" });
    expect(wrong).toMatchObject({
      code: "signing",
      message: "The passphrase does not unlock your signing key; nothing was signed.",
      // The same reason git's own signing failure gives (gitops/faults.test.ts): one failure, one reason.
      details: { reason: "wrong-passphrase" },
    });
    expect((await git(ctx, repoDir, ["rev-parse", "HEAD"])).stdout.trim()).toBe(head);
    const audit = await call(core, "audit.list", { changeId: id });
    expect(audit.items.at(-1)).toMatchObject({ action: "signature.failed", actor: who("sofia").email });

    const done = await call(core, "approval.decide", {
      ...input,
      passphrase: SOFIA_PASSPHRASE,
      expectedDigest: digest,
    });
    expect(done.status).toBe("approved");
    expect(done.approval.commit).toMatch(/^[0-9a-f]{40}$/);
    const path = `changes/${NUMBER}/approvals/${who("sofia").email}--deploy.yaml`;
    const file = parseApproval(readFileSync(join(repoDir, path), "utf8"));
    expect(file).toMatchObject({
      change: NUMBER,
      decision: "approved",
      meaning: "Approved for production release",
      signer: { name: "Sofia Rossi", email: who("sofia").email, role: "change-manager" },
      changeDigest: digest,
    });
    const allowed = join(repoDir, ".shiftgate", "allowed_signers");
    const log = await git(ctx, repoDir, [
      "-c",
      `gpg.ssh.allowedSignersFile=${allowed}`,
      "log",
      "-1",
      "--format=%G?|%ae|%(trailers:key=Approved-by,valueonly)",
    ]);
    expect(log.stdout.trim()).toBe(`G|${who("sofia").email}|Sofia Rossi <${who("sofia").email}>`);
  });

  it("counts what other laptops pushed only when its commit is signed by the signer's own key", async () => {
    const id = await changeAwaitingApproval(core, { risk: "medium", plants: ["berlin"] });
    const digest = await submit(id);
    const repo = { dir: repoDir, branch: "main", remote: "origin", ctx };
    const decision = (role: string, signedAt: string) => ({
      change: NUMBER,
      scope: "deploy" as const,
      decision: "approved" as const,
      meaning: "Approved for production release",
      role,
      signedAt,
      changeDigest: digest,
    });
    // Ana approved on her laptop; the working copy has pulled her signed commit.
    await recordDecision(
      repo,
      { name: "Ana Ortiz", email: who("ana").email, key: { format: "ssh", keyFile: keys.ana?.privateKey ?? "" } },
      decision("plant-ops-leader", "2026-12-01T08:30:00+01:00"),
    );
    // Someone wrote an approval in Olivia's name, signed with a key the repository does not list.
    const stranger = await generateSshKey(join(repoDir, "..", "stranger"), "olivia.brown@plant.example", "");
    await recordDecision(
      repo,
      { name: "Olivia Brown", email: who("olivia").email, key: { format: "ssh", keyFile: stranger.privateKey } },
      decision("change-manager", "2026-12-01T08:40:00+01:00"),
    );
    await useSofia();
    const preview = await call(core, "approval.preview", { changeId: id });
    expect(preview.quorum.summary).toBe("needs 1 change-manager");
    expect(preview.quorum.issues).toEqual([
      "Olivia Brown's approval does not count: the commit of Olivia Brown's file has no good signature (U)",
    ]);
    const ana = preview.approvals.find((a) => a.signature.email === who("ana").email);
    expect(ana).toMatchObject({
      current: true,
      issue: null,
      commit: expect.stringMatching(/^[0-9a-f]{40}$/),
      signature: { name: "Ana Ortiz", role: "plant-ops-leader", timeZone: "UTC+01:00" },
    });
    const done = await call(core, "approval.decide", {
      changeId: id,
      scope: "deploy",
      decision: "approved",
      meaning: "Approved for production release",
      passphrase: SOFIA_PASSPHRASE,
    });
    expect(done).toMatchObject({ status: "approved", quorum: { met: true } });
  });

  it("settles a change whose quorum other laptops met, and refuses one whose quorum is not met", async () => {
    const id = await changeAwaitingApproval(core, { risk: "low" });
    const digest = await submit(id);
    await useSofia();
    const early = await refused(core, "approval.settle", { changeId: id });
    expect(early).toMatchObject({ code: "conflict", message: "The quorum is not met: needs 1 change-manager." });
    await recordDecision(
      { dir: repoDir, branch: "main", remote: "origin", ctx },
      {
        name: "Olivia Brown",
        email: who("olivia").email,
        key: { format: "ssh", keyFile: keys.olivia?.privateKey ?? "" },
      },
      {
        change: NUMBER,
        scope: "deploy",
        decision: "approved",
        meaning: "Approved for production release",
        role: "change-manager",
        signedAt: "2026-12-01T08:50:00+01:00",
        changeDigest: digest,
      },
    );
    const preview = await call(core, "approval.preview", { changeId: id });
    expect(preview).toMatchObject({ settleable: true, quorum: { met: true, summary: "approved" } });
    const settled = await call(core, "approval.settle", { changeId: id });
    expect(settled).toMatchObject({ status: "approved", met: true });
    const audit = await call(core, "audit.list", { changeId: id });
    expect(audit.items.at(-1)).toMatchObject({ action: "change.transition", actor: who("sofia").email });
  });
});
