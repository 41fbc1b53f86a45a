import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Core } from "../../../electron/core/core";
import { startGitops } from "../../../electron/core/gitops/first-run";
import { git, isolatedGitContext } from "../../../electron/core/gitops/git";
import { generateSshKey } from "../../../electron/core/gitops/keys";
import type { Signer } from "../../../electron/core/gitops/signing";
import { dataPaths } from "../../../electron/core/paths";
import { recordDecision, setupGitopsRepo } from "../../helpers/ledger-writes";
import { tempCore, tempDir } from "../../helpers/temp";
import { call } from "../approvals/support";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

const ctx = isolatedGitContext();
const CHG = "CHG-2026-0003";

async function laptopA(): Promise<{ core: Core; dir: string }> {
  const t = await tempCore({});
  cleanups.push(t.cleanup);
  await startGitops(t.core.services);
  return { core: t.core, dir: t.dir };
}

function demoSigner(dataDir: string, email: string, name: string): Signer {
  return { name, email, key: { format: "ssh", keyFile: join(dataPaths(dataDir).keys, `${email}.key`) } };
}

const decision = (meaning: string) => ({
  change: CHG,
  scope: "deploy" as const,
  decision: "approved" as const,
  meaning,
  role: "change-manager",
  signedAt: "2026-12-01T10:00:00+01:00",
});

describe("gitops.sync", () => {
  it("imports another laptop's approval verified, and shows an unverifiable one as such", async () => {
    const a = await laptopA();
    const other = tempDir();
    cleanups.push(other.cleanup);
    const b = await setupGitopsRepo({ source: dataPaths(a.dir).gitopsDemoRemote, dir: join(other.dir, "work"), ctx });
    // Sofia approves on laptop B with her listed key.
    await recordDecision(b, demoSigner(a.dir, "sofia.rossi@plant.example", "Sofia Rossi"), decision("Approved"));
    // Someone commits a rejection file as Kenji with a key the repository does not list.
    const forged = await generateSshKey(join(other.dir, "keys"), "kenji.sato@plant.example");
    await recordDecision(
      b,
      { name: "Kenji Sato", email: "kenji.sato@plant.example", key: { format: "ssh", keyFile: forged.privateKey } },
      { ...decision("Rejected"), decision: "rejected", role: "cab-member" },
    );
    await git(ctx, b.dir, ["push", "--quiet", "origin", "HEAD:main"]);

    const synced = await call(a.core, "gitops.sync", {});
    expect(synced.pulled).toBe(2);
    expect(synced.unverified).toBe(1);
    // The demo register already holds the repository's changes under their numbers: nothing to import.
    expect(synced.imported).toEqual([]);
    const bySigner = new Map(synced.commits.map((c) => [c.signer.email, c]));
    expect(bySigner.get("sofia.rossi@plant.example")).toMatchObject({ verified: true, verdict: "G" });
    expect(bySigner.get("sofia.rossi@plant.example")?.fingerprint).toMatch(/^SHA256:/);
    expect(bySigner.get("kenji.sato@plant.example")).toMatchObject({ verified: false, keyOwner: null });

    const sigs = await call(a.core, "gitops.changeSignatures", { change: CHG });
    expect(sigs.change).toBe(CHG);
    expect(sigs.commits.map((c) => [c.signer.email, c.verified])).toEqual([
      ["kenji.sato@plant.example", false],
      ["sofia.rossi@plant.example", true],
      ["lena.weber@plant.example", true],
    ]);

    // Approvals counts Sofia's decision and not the forged rejection.
    const row = a.core.services.register.db.prepare("SELECT id FROM changes WHERE number = ?").get(CHG) as {
      id: string;
    };
    const id = row.id;
    const preview = await call(a.core, "approval.preview", { changeId: id });
    const kenji = preview.approvals.find((r) => r.signature.email === "kenji.sato@plant.example");
    const sofia = preview.approvals.find((r) => r.signature.email === "sofia.rossi@plant.example");
    expect(sofia?.issue ?? null).toBeNull();
    expect(kenji?.issue ?? "not counted").toBeTruthy();
    expect(preview.quorum).toMatchObject({ met: true });

    // The demo register tells the repository's story: released changes implementing, the waiting one awaiting approval.
    const statusOf = (n: string) =>
      (
        a.core.services.register.db.prepare("SELECT status FROM changes WHERE number = ?").get(n) as {
          status: string;
        }
      ).status;
    expect(statusOf("CHG-2026-0001")).toBe("implementing");
    expect(statusOf("CHG-2026-0005")).toBe("implementing");
    expect(statusOf("CHG-2026-0002")).toBe("awaiting-approval");

    // A second sync has nothing new and imports nothing twice.
    expect(await call(a.core, "gitops.sync", {})).toMatchObject({ pulled: 0, imported: [] });
  });

  it("an approval made here goes through the outbox, is pushed once and shows as a verified signed commit", async () => {
    const a = await laptopA();
    await call(a.core, "gitops.sync", {});
    // The demo change still waiting for the Chicago plant-ops-leader; Marcus Reed gives it.
    const waiting = "CHG-2026-0002";
    const row = a.core.services.register.db.prepare("SELECT id FROM changes WHERE number = ?").get(waiting) as {
      id: string;
    };
    await call(a.core, "identity.use", { keyFile: join(dataPaths(a.dir).keys, "marcus.reed@plant.example.key") });
    const decided = await call(a.core, "approval.decide", {
      changeId: row.id,
      scope: "deploy",
      decision: "approved",
      meaning: "Approved for production release",
      passphrase: "",
    });
    expect(decided.approval.commit).toMatch(/^[0-9a-f]{40}$/);
    await call(a.core, "gitops.push", {});
    const outbox = await call(a.core, "gitops.outbox", {});
    expect(outbox.items).toEqual([]);
    expect(outbox.recent[0]).toMatchObject({ kind: "approval", state: "pushed", change: waiting, changeId: row.id });
    const remote = dataPaths(a.dir).gitopsDemoRemote;
    const onRemote = await git(ctx, remote, [
      "log",
      "--format=%H",
      `--grep=Shiftgate-Intent: ${outbox.recent[0]?.id}`,
      "main",
    ]);
    expect(onRemote.stdout.trim().split("\n")).toHaveLength(1);
    const sigs = await call(a.core, "gitops.changeSignatures", { change: row.id });
    expect(sigs.commits[0]).toMatchObject({
      signer: { email: "marcus.reed@plant.example" },
      keyOwner: "marcus.reed@plant.example",
      verified: true,
    });
  });

  it("drift flags an unauthorised change of a protected path", async () => {
    const a = await laptopA();
    const sigs = await call(a.core, "gitops.drift", {});
    // The demo's own unauthorised change (CHG-…-0020, released without its approvals) is there on purpose.
    expect(sigs.unauthorised.map((u) => [u.subject.split(" ")[1], u.findings.map((f) => f.kind)])).toEqual([
      [expect.stringMatching(/-0020$/), ["quorum-not-met"]],
      [expect.stringMatching(/-0020$/), ["quorum-not-met"]],
    ]);
    const known = new Set(sigs.unauthorised.map((u) => u.sha));
    // Someone moves the production image without a change reference, signed by a listed key.
    const repo = { dir: a.core.services.gitopsDir ?? "", branch: "main", remote: "origin", ctx };
    const { commitFiles } = await import("../../../electron/core/gitops/commit");
    await commitFiles(
      repo,
      demoSigner(a.dir, "tom.fischer@plant.example", "Tom Fischer"),
      [{ path: "apps/odoo/overlays/prod/kustomization.yaml", content: "images: []\n" }],
      "Quick fix in prod\n",
    );
    const drift = await call(a.core, "gitops.drift", {});
    const fresh = drift.unauthorised.filter((u) => !known.has(u.sha));
    expect(fresh).toHaveLength(1);
    expect(fresh[0]?.findings.map((f) => f.kind)).toContain("no-change-reference");
  });
});
