import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../../electron/core/clock";
import { demoDigest } from "../../../electron/core/gitops/demo-policy";
import { startGitops } from "../../../electron/core/gitops/first-run";
import { git, isolatedGitContext } from "../../../electron/core/gitops/git";
import { dataPaths } from "../../../electron/core/paths";
import { PROMOTED_RELEASE } from "../../helpers/demo-release";
import { odooPod, writeKubeconfig } from "../../helpers/kube-fixtures";
import { type KubeServer, startKubeServer } from "../../helpers/kube-server";
import { tempCore } from "../../helpers/temp";
import { actAs, call, changeAwaitingApproval, decideAs, refused } from "../approvals/support";
import { contentHash } from "../register/register-fixtures";

// Where a cluster is configured for pre-production, production takes a digest only once pre-production's pods
// run it (their containerStatuses' imageID): the ledger says it was released there, the pods say it ran.

let kube: KubeServer;
let t: Awaited<ReturnType<typeof tempCore>>;
const ctx = isolatedGitContext();
const PREPROD_NS = "odoo-preprod";
const { image, digest } = PROMOTED_RELEASE;
beforeAll(async () => {
  kube = await startKubeServer();
  // The outbox commits at the wall clock: the change's window must hold the real time of the test run.
  t = await tempCore({ clock: systemClock });
  await startGitops(t.core.services);
  const kubeconfig = writeKubeconfig(t.dir, { server: kube.url, token: kube.token });
  await call(t.core, "cluster.configure", {
    kubeconfig: { kind: "file", path: kubeconfig },
    environments: [
      {
        name: "preproduction",
        context: "plant",
        namespaces: [PREPROD_NS],
        argocd: { context: "plant", namespace: "argocd" },
      },
    ],
  });
}, 60_000);
afterAll(async () => {
  await kube?.close();
  t?.cleanup();
});

describe("promotion asks the cluster what pre-production runs", () => {
  it("refused while pre-production's pods run another digest, nothing changed; released once they run it", async () => {
    const core = t.core;
    const remote = dataPaths(t.dir).gitopsDemoRemote;
    const id = await changeAwaitingApproval(core, { windowStart: new Date(Date.now() - 3_600_000).toISOString() });
    await actAs(core, "lena.weber@plant.example");
    await call(core, "gitops.submit", { changeId: id });
    await decideAs(core, "sofia.rossi@plant.example", id);
    await decideAs(core, "ana.ortiz@plant.example", id);
    await actAs(core, "tom.fischer@plant.example");
    await call(core, "gitops.push", {});
    const other = demoDigest("17.0-20261127-hotfix1");
    kube.store.put(
      "pods",
      odooPod({ namespace: PREPROD_NS, name: "odoo-web-1", image: `${image}:x`, imageID: `${image}@${other}` }),
    );
    const tip = async () => (await git(ctx, remote, ["rev-parse", "main"])).stdout.trim();
    const before = { tip: await tip(), register: contentHash(core.services.register.db) };

    const error = await refused(core, "gitops.release", { changeId: id, ...PROMOTED_RELEASE });
    expect(error.code).toBe("forbidden");
    expect(error.message).toContain(`${image}@${digest} is not running in preproduction`);
    expect(error.message).toContain(`they run ${image}@${other}`);
    expect({ tip: await tip(), register: contentHash(core.services.register.db) }).toEqual(before);

    kube.store.put(
      "pods",
      odooPod({ namespace: PREPROD_NS, name: "odoo-web-2", image: `${image}:x`, imageID: `${image}@${digest}` }),
    );
    const out = await call(core, "gitops.release", { changeId: id, ...PROMOTED_RELEASE });
    expect(out).toMatchObject({ environment: "production", status: "implementing", pushed: true });
  });
});
