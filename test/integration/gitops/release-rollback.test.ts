import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../../electron/core/clock";
import { demoDigest } from "../../../electron/core/gitops/demo-policy";
import { startGitops } from "../../../electron/core/gitops/first-run";
import { git, isolatedGitContext } from "../../../electron/core/gitops/git";
import { dataPaths } from "../../../electron/core/paths";
import { promoteToPreproduction } from "../../helpers/demo-release";
import { openDoors, refusedAtEveryDoor } from "../../helpers/doors";
import { cnpgBackup, writeKubeconfig } from "../../helpers/kube-fixtures";
import { type KubeServer, startKubeServer } from "../../helpers/kube-server";
import { openGitopsRepo } from "../../helpers/ledger-writes";
import { tempCore } from "../../helpers/temp";
import { actAs, call, changeAwaitingApproval, decideAs, refused, who } from "../approvals/support";
import { contentHash } from "../register/register-fixtures";

// Issue #15 item 6 at release: a migration's snapshot is checked again when the release is made (it may have failed
// or aged since approval), and the signed release commit names the rollback checkpoint: the image it replaces and the
// snapshot to restore, so a rollback is one signed revert away.

const ctx = isolatedGitContext();
const PROD = "apps/odoo/overlays/prod/kustomization.yaml";
const IMAGE = "registry.plant.example/odoo";
const NS = "odoo-prod";
const REF = "odoo-prod-pre-release"; // the snapshot approvals/support.ts records on a migration
const HOUR = 3_600_000;

describe("a release names its rollback checkpoint and needs its snapshot", () => {
  let t: Awaited<ReturnType<typeof tempCore>>;
  let kube: KubeServer;
  let remote: string;
  let id: string;
  const backup = (phase: "completed" | "failed", ageHours: number) =>
    kube.store.put(
      "backups",
      cnpgBackup({ namespace: NS, name: REF, phase, stoppedAt: new Date(Date.now() - ageHours * HOUR) }),
    );
  const head = async () => (await git(ctx, remote, ["rev-parse", "main"])).stdout.trim();
  const release = { image: IMAGE, tag: "17.0-20261204-mig", digest: demoDigest("17.0-20261204-mig") };

  beforeAll(async () => {
    kube = await startKubeServer();
    // The outbox commits at the wall clock: the core's clock is the same one, and the window holds it.
    t = await tempCore({ clock: systemClock });
    await startGitops(t.core.services);
    remote = dataPaths(t.dir).gitopsDemoRemote;
    await actAs(t.core, who("sofia").email);
    await call(t.core, "cluster.configure", {
      kubeconfig: { kind: "file", path: writeKubeconfig(t.dir, { server: kube.url, token: kube.token }) },
      environments: [
        { name: "production", context: "plant", namespaces: [NS], argocd: { context: "plant", namespace: "argocd" } },
      ],
    });
    backup("completed", 1);
    id = await changeAwaitingApproval(t.core, {
      risk: "low",
      dbMigration: true,
      windowStart: new Date(Date.now() - HOUR).toISOString(),
    });
    await actAs(t.core, who("lena").email);
    await call(t.core, "gitops.submit", { changeId: id });
    await decideAs(t.core, who("sofia").email, id);
    await decideAs(t.core, who("dana").email, id, "approved", "db-migration");
    expect((await call(t.core, "change.get", { id })).status).toBe("approved");
    // Production takes only a digest pre-production ran: Tom promotes the image through qa and pre-production.
    const number = (await call(t.core, "change.get", { id })).number ?? "";
    const repo = await openGitopsRepo(dataPaths(t.dir).gitopsWorkingCopy, ctx);
    const tom = { name: "Tom Fischer", email: who("tom").email };
    const key = { format: "ssh" as const, keyFile: join(dataPaths(t.dir).keys, `${tom.email}.key`) };
    await promoteToPreproduction(repo, { ...tom, key }, number, release.tag);
    // The decisions' commits are pushed now, so the refusals below are judged against a settled repository.
    expect(await call(t.core, "gitops.push", {})).toMatchObject({ pending: 0 });
    await git(ctx, repo.dir, ["push", "--quiet", "origin", "HEAD:refs/heads/main"]);
  }, 60_000);
  afterAll(async () => {
    await kube?.close();
    t?.cleanup();
  });

  it("is refused while the snapshot has failed or aged past the limit; nothing is committed or moved", async () => {
    await actAs(t.core, who("tom").email);
    const db = t.core.services.register.db;
    for (const [phase, age, message] of [
      ["failed", 1, `the Backup ${NS}/${REF} is failed, not usable`],
      ["completed", 30, `the Backup ${NS}/${REF} was taken at`],
    ] as const) {
      backup(phase, age);
      const before = { register: contentHash(db, []), head: await head() };
      const refusal = await refused(t.core, "gitops.release", { changeId: id, ...release });
      expect(refusal.code).toBe("forbidden");
      expect(refusal.message).toContain(message);
      expect({ register: contentHash(db, []), head: await head() }).toEqual(before);
    }
    expect((await call(t.core, "change.get", { id })).status).toBe("approved");
  });

  it("with a fresh completed backup the signed release commit carries Rollback-Image and Rollback-Snapshot", async () => {
    backup("completed", 1);
    const previous = /newTag: "?([^"\n]+)"?/.exec((await git(ctx, remote, ["show", `main:${PROD}`])).stdout)?.[1];
    expect(previous).toBeTruthy();
    await actAs(t.core, who("tom").email);
    const out = await call(t.core, "gitops.release", { changeId: id, ...release });
    expect(out).toMatchObject({ status: "implementing", pushed: true });
    const trailers = (await git(ctx, remote, ["log", "-1", "--format=%(trailers:only,unfold)", "main"])).stdout;
    expect(trailers).toContain(`Rollback-Image: ${IMAGE}:${previous}`);
    expect(trailers).toContain(`Rollback-Snapshot: ${REF}`);
    expect((await git(ctx, remote, ["log", "-1", "--format=%ce", "main"])).stdout.trim()).toBe(who("tom").email);
  });

  it("the rollback is one signed commit setting the checkpoint's image back, by the implementer or a release-manager", async () => {
    const released = await head();
    // The checkpoint pins what ran before by tag and digest (registry.../odoo:<tag>@sha256:…).
    const checkpoint = /Rollback-Image: (\S+)/.exec(
      (await git(ctx, remote, ["log", "-1", "--format=%(trailers:only,unfold)", "main"])).stdout,
    )?.[1];
    expect(checkpoint).toMatch(/^registry\.plant\.example\/odoo:[^@]+@sha256:[0-9a-f]{64}$/);
    const previous = checkpoint?.slice(`${IMAGE}:`.length);
    const reason = "MRP run fails after the release";
    // Raj (an it-manager and cab-member) is neither its implementer nor a release-manager: refused at every door
    // (direct, window, browser), the register and audit chain unchanged, nothing pushed.
    await actAs(t.core, who("raj").email);
    const doors = await openDoors(t.core, t.dir);
    try {
      await refusedAtEveryDoor(
        t.core,
        doors,
        "gitops.rollback",
        { changeId: id, reason },
        {
          code: "forbidden",
          message: /neither/,
        },
      );
    } finally {
      await doors.close();
    }
    expect(await head()).toBe(released);

    await actAs(t.core, who("tom").email);
    const out = await call(t.core, "gitops.rollback", { changeId: id, reason });
    expect(out).toMatchObject({
      status: "rolled-back",
      image: `${IMAGE}:${previous}`,
      snapshot: REF,
      pushed: true,
    });
    const commit = (await git(ctx, remote, ["log", "-1", "--format=%ce%n%(trailers:only,unfold)", "main"])).stdout;
    expect(commit).toContain(who("tom").email);
    expect(commit).toContain(`Reverts: ${released}`);
    expect(commit).toContain(`Rollback-Snapshot: ${REF}`);
    const [tag = "", digest = ""] = (previous ?? "").split("@");
    expect((await git(ctx, remote, ["show", `main:${PROD}`])).stdout).toContain(tag);
    expect((await git(ctx, remote, ["show", `main:${PROD}`])).stdout).toContain(digest);
    expect((await git(ctx, remote, ["show", `main:${PROD}`])).stdout).not.toContain(release.tag);
    expect((await call(t.core, "change.get", { id })).status).toBe("rolled-back");
  });
});
