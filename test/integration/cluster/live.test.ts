import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fixedClock } from "../../../electron/core/clock";
import { createClusterApi } from "../../../electron/core/cluster/client";
import { forContext, loadKubeconfigFile } from "../../../electron/core/cluster/kubeconfig";
import { ClusterService } from "../../../electron/core/cluster/service";
import type { ClusterConfig, ClusterEnvironments } from "../../../shared/contract/methods/cluster";
import { argoApplication, odooDeployment, writeKubeconfig } from "../../helpers/kube-fixtures";
import { type KubeServer, startKubeServer } from "../../helpers/kube-server";
import { tempDir } from "../../helpers/temp";
import { waitFor } from "../../helpers/wait";

describe("the cluster view kept current by watches", () => {
  let server: KubeServer;
  let service: ClusterService;
  let cleanup: () => void;
  const clock = fixedClock("2026-12-01T08:00:00Z");

  beforeEach(async () => {
    server = await startKubeServer();
    const dir = tempDir();
    cleanup = dir.cleanup;
    const file = writeKubeconfig(dir.dir, { server: server.url, token: server.token });
    const kubeconfig = (await loadKubeconfigFile(file)).config;
    server.store.put(
      "deployments",
      odooDeployment({ namespace: "odoo-prod", name: "odoo-web", image: "reg/odoo:17.0-1" }),
    );
    server.store.put("applications", argoApplication({ name: "odoo-prod", destinationNamespace: "odoo-prod" }));
    const config: ClusterConfig = {
      kubeconfig: { kind: "file", path: file },
      environments: [
        {
          name: "production",
          context: "plant",
          namespaces: ["odoo-prod"],
          argocd: { context: "plant", namespace: "argocd" },
        },
      ],
    };
    service = new ClusterService({
      clock,
      readConfig: () => config,
      connect: async (_c, context) => createClusterApi(await forContext(kubeconfig, context), { timeoutMs: 2000 }),
      live: { sleep: async () => undefined, idleMs: 60_000 },
    });
  });

  afterEach(async () => {
    service.reset();
    await server.close();
    cleanup();
  });

  const images = (view: ClusterEnvironments) => view.environments[0]?.deployments.map((d) => d.images[0]);
  let latest: ClusterEnvironments | null = null;
  const poll = async () => {
    latest = await service.environments(false);
    return latest;
  };

  it("shows a change the watch delivered without listing again, and resumes after a drop", async () => {
    await service.environments(true);
    await waitFor(() => server.openWatches() === 3, "watches on deployments, applications and projects");
    const lists = () => server.requests.filter((r) => !r.watch && r.path.endsWith("/deployments")).length;
    const listed = lists();

    server.store.put(
      "deployments",
      odooDeployment({ namespace: "odoo-prod", name: "odoo-web", image: "reg/odoo:17.0-2" }),
    );
    await expect.poll(async () => images(await poll())?.[0], { timeout: 10_000 }).toBe("reg/odoo:17.0-2");
    expect(latest && images(latest)).toEqual(["reg/odoo:17.0-2"]);
    expect(lists()).toBe(listed);

    const resumeFrom = String(server.store.resourceVersion);
    server.dropWatches();
    server.store.put(
      "deployments",
      odooDeployment({ namespace: "odoo-prod", name: "odoo-worker", role: "worker", image: "reg/odoo:17.0-2" }),
    );
    await waitFor(
      () => server.requests.some((r) => r.watch && r.query.resourceVersion === resumeFrom),
      "resumed watch",
    );
    await expect.poll(async () => (await poll()).environments[0]?.deployments.length, { timeout: 10_000 }).toBe(2);
    expect(latest && images(latest)).toEqual(["reg/odoo:17.0-2", "reg/odoo:17.0-2"]);
  });

  it("stops watching once nobody looked for longer than the idle time", async () => {
    await service.environments(true);
    await waitFor(() => server.openWatches() === 3, "watches open");
    clock.set("2026-12-01T08:05:00Z");
    server.store.put(
      "deployments",
      odooDeployment({ namespace: "odoo-prod", name: "odoo-web", image: "reg/odoo:17.0-3" }),
    );
    await waitFor(() => server.openWatches() < 3, "idle deployment watch stopped");
    clock.set("2026-12-01T08:00:00Z");
  });
});
