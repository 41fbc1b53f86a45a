import { AppsV1Api, CustomObjectsApi } from "@kubernetes/client-node";
import { systemClock } from "../../electron/core/clock";
import { createClusterApi } from "../../electron/core/cluster/client";
import { forContext, loadKubeconfigFile } from "../../electron/core/cluster/kubeconfig";
import { ClusterService } from "../../electron/core/cluster/service";
import { type ClusterConfig, ENVIRONMENT_NAMES } from "../../shared/contract/methods/cluster";
import { argoApplication, argoProject, odooDeployment, writeKubeconfig } from "../helpers/kube-fixtures";
import { startKubeServer } from "../helpers/kube-server";
import { tempDir } from "../helpers/temp";
import { type BenchRun, lowerIsBetter, medianMs } from "./harness";

/**
 * 500 deployments across 20 namespaces and 100 Argo CD applications, read through a real kubeconfig from the
 * local test API server and turned into the five-environment view, beside the raw client list calls alone.
 */
export const run: BenchRun = async (report) => {
  const server = await startKubeServer();
  const dir = tempDir();
  try {
    const namespaces = Array.from({ length: 20 }, (_, i) => `odoo-${String(i).padStart(2, "0")}`);
    for (const [n, ns] of namespaces.entries()) {
      for (let d = 0; d < 25; d++) {
        const role = d % 2 === 0 ? "web" : "worker";
        server.store.put(
          "deployments",
          odooDeployment({ namespace: ns, name: `odoo-${role}-${d}`, role, image: `reg/odoo:17.0-${n}` }),
        );
      }
      for (let a = 0; a < 5; a++) {
        server.store.put("applications", argoApplication({ name: `${ns}-app-${a}`, destinationNamespace: ns }));
      }
    }
    server.store.put(
      "appprojects",
      argoProject({
        name: "odoo",
        windows: [{ kind: "allow", schedule: "0 2 * * 0", duration: "2h", applications: ["*"] }],
      }),
    );
    const file = writeKubeconfig(dir.dir, { server: server.url, token: server.token });
    const loaded = await loadKubeconfigFile(file);
    const config: ClusterConfig = {
      kubeconfig: { kind: "file", path: file },
      environments: ENVIRONMENT_NAMES.map((name, i) => ({
        name,
        context: "plant",
        namespaces: namespaces.slice(i * 4, i * 4 + 4),
        argocd: { context: "plant", namespace: "argocd" },
      })),
    };
    const service = new ClusterService({
      clock: systemClock,
      readConfig: () => config,
      connect: async (_config, context) =>
        createClusterApi(await forContext(loaded.config, context), { timeoutMs: 10_000 }),
    });
    const view = await service.environments(true);
    const deployments = view.environments.reduce((n, e) => n + e.deployments.length, 0);
    const applications = view.environments.reduce((n, e) => n + e.applications.length, 0);
    if (deployments !== 500 || applications !== 100) {
      throw new Error(`bench setup wrong: ${deployments} deployments, ${applications} applications in the view`);
    }

    const kc = await forContext(loaded.config, undefined);
    const apps = kc.makeApiClient(AppsV1Api);
    const custom = kc.makeApiClient(CustomObjectsApi);
    const raw = await medianMs(
      () =>
        Promise.all([
          apps.listDeploymentForAllNamespaces(),
          custom.listClusterCustomObject({ group: "argoproj.io", version: "v1alpha1", plural: "applications" }),
        ]),
      21,
      3,
    );
    const full = await medianMs(() => service.environments(true), 21, 3);
    report(
      lowerIsBetter(
        "cluster view: 500 deployments/20 ns + 100 apps → 5 envs vs raw list calls (median)",
        full,
        "ms",
        raw,
        "< 300 ms",
      ),
    );
    // With live watches (the app's default), polls are answered from memory once the watches hold the state.
    const live = new ClusterService({
      clock: systemClock,
      readConfig: () => config,
      connect: async (_config, context) =>
        createClusterApi(await forContext(loaded.config, context), { timeoutMs: 10_000 }),
      live: { sleep: (ms) => new Promise((r) => setTimeout(r, ms)), idleMs: 600_000 },
    });
    await live.environments(true);
    const started = Date.now();
    while (server.openWatches() < 22 && Date.now() - started < 30_000) await new Promise((r) => setTimeout(r, 20));
    const fromMemory = await medianMs(() => live.environments(false), 21, 3);
    live.reset();
    report(
      lowerIsBetter(
        "cluster view answered from memory (watched state) vs raw list calls (median)",
        fromMemory,
        "ms",
        raw,
      ),
    );

    const rawDeployments = await medianMs(() => apps.listDeploymentForAllNamespaces(), 21, 3);
    // The wire alone: the same list fetched and parsed without the client, to show what the client itself adds.
    const wire = await medianMs(async () => {
      const res = await fetch(`${server.url}/apis/apps/v1/deployments`, {
        headers: { Authorization: `Bearer ${server.token}` },
      });
      await res.json();
    });
    report(
      lowerIsBetter(
        "raw client: listDeploymentForAllNamespaces, 500 items vs plain fetch (median)",
        rawDeployments,
        "ms",
        wire,
      ),
    );
  } finally {
    await server.close();
    dir.cleanup();
  }
};
