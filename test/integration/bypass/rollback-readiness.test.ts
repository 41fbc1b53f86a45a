import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChangeDetail } from "../../../shared/contract/index";
import { bypassWorld } from "../../helpers/bypass-world";
import { cnpgBackup, volumeSnapshot, writeKubeconfig } from "../../helpers/kube-fixtures";
import { type KubeServer, startKubeServer } from "../../helpers/kube-server";
import { actAs } from "../approvals/support";
import {
  CHANGE_MANAGER,
  call,
  GATE_RECORDER,
  lowRiskAnswers,
  newChange,
  recordGates,
} from "../register/register-fixtures";

// Issue #15 item 6: a production change with an empty rollback plan and no database snapshot went to implementing.
// Approval is not requested without a plan (production) and, for a migration, a pre-deployment snapshot; where a
// cluster is configured the snapshot is checked there (a completed CloudNativePG Backup or a ready VolumeSnapshot,
// newer than policy's 24h). Each refusal holds at every door and changes nothing.

const NOW = new Date("2026-12-01T08:00:00Z"); // tempCore's clock
const HOUR = 3_600_000;
const NS = "odoo-prod";
const REF = "odoo-prod-pre-release";
const LENA = "lena.weber@plant.example";

const world = bypassWorld();
let kube: KubeServer;
beforeAll(async () => {
  kube = await startKubeServer();
});
afterAll(async () => {
  await kube.close();
});

/** A change walked to assessed; the requester (Lena) is left selected to ask for approval. */
async function assessed(overrides: Record<string, unknown>): Promise<ChangeDetail> {
  await actAs(world.core, LENA);
  const c = await call<ChangeDetail>(world.core, "change.create", newChange({ validation: [], ...overrides }));
  await actAs(world.core, CHANGE_MANAGER);
  await call(world.core, "change.transition", { id: c.id, to: "submitted" });
  await call(world.core, "risk.assess", { changeId: c.id, answers: lowRiskAnswers() });
  await call(world.core, "change.transition", { id: c.id, to: "assessed" });
  if (c.environment === "production") {
    // The policy's pre-production gates (no change drops them), recorded by a plant-ops-leader.
    await actAs(world.core, GATE_RECORDER);
    await recordGates(world.core, c.id, "preproduction");
  }
  await actAs(world.core, LENA);
  return c;
}

const request = (id: string) => ({ id, to: "awaiting-approval" });

describe("approval is not requested for a change that cannot be rolled back", () => {
  it("a production change with an empty rollback plan is refused at every door", async () => {
    const c = await assessed({ rollbackPlan: "   " });
    await world.refused("change.transition", request(c.id), {
      code: "gate-failed",
      message:
        /^Approval cannot be requested until it can be rolled back: a change bound for production needs a rollback plan/,
    });
    // A QA change needs none (policy.yaml rollback.planRequiredFor defaults to production).
    const qa = await assessed({ rollbackPlan: "", environment: "qa" });
    expect((await call<ChangeDetail>(world.core, "change.transition", request(qa.id))).status).toBe(
      "awaiting-approval",
    );
  });

  it("a change with a database migration and no pre-deployment snapshot is refused at every door", async () => {
    const c = await assessed({ dbMigration: true });
    await world.refused("change.transition", request(c.id), {
      code: "gate-failed",
      message: /a change with a database migration needs a pre-deployment snapshot or backup/,
    });
  });

  it("without a configured cluster, the recorded snapshot reference is what approval is requested on", async () => {
    const c = await assessed({ dbMigration: true, snapshotRef: REF });
    expect((await call<ChangeDetail>(world.core, "change.transition", request(c.id))).status).toBe("awaiting-approval");
  });
});

describe("with a cluster configured, the snapshot is checked there", () => {
  beforeAll(async () => {
    const dir = world.core.services.dataDir;
    await actAs(world.core, CHANGE_MANAGER);
    await call(world.core, "cluster.configure", {
      kubeconfig: { kind: "file", path: writeKubeconfig(dir, { server: kube.url, token: kube.token }) },
      environments: [
        { name: "production", context: "plant", namespaces: [NS], argocd: { context: "plant", namespace: "argocd" } },
      ],
    });
  });

  it("a missing, failed or stale snapshot is refused at every door, naming what is wrong", async () => {
    const c = await assessed({ dbMigration: true, snapshotRef: REF });
    await world.refused("change.transition", request(c.id), {
      code: "gate-failed",
      message: new RegExp(
        `no CloudNativePG Backup or VolumeSnapshot named "${REF}" in production's namespaces \\(${NS}\\)`,
      ),
    });
    kube.store.put("backups", cnpgBackup({ namespace: NS, name: REF, phase: "failed", stoppedAt: NOW }));
    await world.refused("change.transition", request(c.id), {
      code: "gate-failed",
      message: new RegExp(`the Backup ${NS}/${REF} is failed, not usable`),
    });
    const stale = new Date(NOW.getTime() - 30 * HOUR);
    kube.store.put("backups", cnpgBackup({ namespace: NS, name: REF, phase: "completed", stoppedAt: stale }));
    await world.refused("change.transition", request(c.id), {
      code: "gate-failed",
      message: new RegExp(`the Backup ${NS}/${REF} was taken at ${stale.toISOString()}, more than 24h ago`),
    });
    kube.store.delete("backups", NS, REF);
    kube.store.put("volumesnapshots", volumeSnapshot({ namespace: NS, name: REF, readyToUse: false, createdAt: NOW }));
    await world.refused("change.transition", request(c.id), {
      code: "gate-failed",
      message: new RegExp(`the VolumeSnapshot ${NS}/${REF} is not ready`),
    });
  });

  it("a completed Backup or a ready VolumeSnapshot newer than the limit lets approval be requested", async () => {
    const fresh = new Date(NOW.getTime() - 2 * HOUR);
    kube.store.put("volumesnapshots", volumeSnapshot({ namespace: NS, name: REF, readyToUse: true, createdAt: fresh }));
    const a = await assessed({ dbMigration: true, snapshotRef: REF });
    expect((await call<ChangeDetail>(world.core, "change.transition", request(a.id))).status).toBe("awaiting-approval");
    kube.store.put(
      "backups",
      cnpgBackup({ namespace: NS, name: "odoo-db-backup-0600", phase: "completed", stoppedAt: fresh }),
    );
    const b = await assessed({ dbMigration: true, snapshotRef: `${NS}/odoo-db-backup-0600` });
    expect((await call<ChangeDetail>(world.core, "change.transition", request(b.id))).status).toBe("awaiting-approval");
  });

  it("an unreachable cluster does not wave a migration through", async () => {
    const c = await assessed({ dbMigration: true, snapshotRef: REF });
    kube.inject({ kind: "status", code: 500, message: "etcd leader changed" }, { path: "volumesnapshots", times: 20 });
    try {
      await world.refused("change.transition", request(c.id), {
        code: "cluster",
        message: /^The pre-deployment snapshot "odoo-prod-pre-release" could not be checked on production's namespaces/,
      });
    } finally {
      kube.clearFaults();
    }
  });
});
