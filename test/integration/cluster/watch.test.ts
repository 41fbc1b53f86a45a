import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type ClusterApi, createClusterApi } from "../../../electron/core/cluster/client";
import type { ClusterReadError } from "../../../electron/core/cluster/errors";
import { forContext, loadKubeconfigFile } from "../../../electron/core/cluster/kubeconfig";
import { type ResumableWatch, startResumableWatch } from "../../../electron/core/cluster/watch";
import { odooDeployment, writeKubeconfig } from "../../helpers/kube-fixtures";
import { apiPath, type KubeServer, startKubeServer } from "../../helpers/kube-server";
import { tempDir } from "../../helpers/temp";
import { waitFor } from "../../helpers/wait";

describe("watching deployments through a real kubeconfig", () => {
  let server: KubeServer;
  let cleanup: () => void;
  let api: ClusterApi;
  let watch: ResumableWatch | null = null;
  let seen: ReadonlyMap<string, unknown> = new Map();
  const errors: ClusterReadError[] = [];

  beforeEach(async () => {
    server = await startKubeServer();
    const dir = tempDir();
    cleanup = dir.cleanup;
    const file = writeKubeconfig(dir.dir, { server: server.url, token: server.token });
    api = await createClusterApi(await forContext((await loadKubeconfigFile(file)).config, undefined), {
      timeoutMs: 2000,
    });
    server.store.put("deployments", odooDeployment({ namespace: "odoo-prod", name: "odoo-web" }));
    errors.length = 0;
  });

  afterEach(async () => {
    watch?.stop();
    await server.close();
    await watch?.stopped;
    watch = null;
    cleanup();
  });

  const start = () => {
    watch = startResumableWatch({
      api,
      path: apiPath("deployments", "odoo-prod"),
      source: "deployments",
      what: "the deployments in namespace odoo-prod",
      list: () => api.listDeployments("odoo-prod"),
      onChange: (objects) => {
        seen = new Map(objects);
      },
      onError: (error) => errors.push(error),
      sleep: async () => undefined,
    });
    return watch;
  };

  it("lists, then follows additions, changes and deletions", async () => {
    const w = start();
    await waitFor(() => seen.has("odoo-prod/odoo-web") && server.openWatches() === 1, "initial list and watch");
    server.store.put("deployments", odooDeployment({ namespace: "odoo-prod", name: "odoo-worker", role: "worker" }));
    await waitFor(() => seen.has("odoo-prod/odoo-worker"), "added worker");
    server.store.put("deployments", odooDeployment({ namespace: "odoo-prod", name: "odoo-web", image: "reg/odoo:18" }));
    await waitFor(() => JSON.stringify(seen.get("odoo-prod/odoo-web")).includes("reg/odoo:18"), "modified web");
    server.store.delete("deployments", "odoo-prod", "odoo-worker");
    await waitFor(() => !seen.has("odoo-prod/odoo-worker"), "deleted worker");
    server.store.put("deployments", odooDeployment({ namespace: "odoo-qa", name: "elsewhere" }));
    expect([...seen.keys()]).toEqual(["odoo-prod/odoo-web"]);
    expect(w.stats.lists).toBe(1);
  });

  it("resumes a dropped stream from the last resourceVersion without missing what changed meanwhile", async () => {
    const w = start();
    await waitFor(() => server.openWatches() === 1, "watch open");
    server.store.put("deployments", odooDeployment({ namespace: "odoo-prod", name: "odoo-worker", role: "worker" }));
    await waitFor(() => seen.has("odoo-prod/odoo-worker"), "worker");
    const resumeFrom = w.stats.lastResourceVersion;
    server.dropWatches();
    // Changed while (or just after) the stream was down: the resumed watch must replay it.
    server.store.put("deployments", odooDeployment({ namespace: "odoo-prod", name: "odoo-cron", role: "worker" }));
    await waitFor(() => seen.has("odoo-prod/odoo-cron"), "change made during the drop");
    const watches = server.requests.filter((r) => r.watch);
    expect(watches.length).toBeGreaterThanOrEqual(2);
    expect(watches[1]?.query.resourceVersion).toBe(resumeFrom);
    expect(w.stats.lists).toBe(1);
  });

  it("resumes after the server cuts the stream mid-way", async () => {
    server.inject({ kind: "drop-after", events: 1 }, { watch: true });
    const w = start();
    await waitFor(() => server.openWatches() === 1, "watch open");
    server.store.put("deployments", odooDeployment({ namespace: "odoo-prod", name: "a" }));
    server.store.put("deployments", odooDeployment({ namespace: "odoo-prod", name: "b" }));
    await waitFor(() => seen.has("odoo-prod/a") && seen.has("odoo-prod/b"), "both events");
    expect(w.stats.watches).toBeGreaterThanOrEqual(2);
  });

  it("lists again when its resourceVersion is too old (410 Gone)", async () => {
    const w = start();
    await waitFor(() => server.openWatches() === 1, "watch open");
    server.dropWatches();
    server.store.put("deployments", odooDeployment({ namespace: "odoo-prod", name: "after-compaction" }));
    server.store.compact();
    await waitFor(() => seen.has("odoo-prod/after-compaction") && w.stats.lists === 2, "relist after 410");
    expect(seen.has("odoo-prod/odoo-web")).toBe(true);
  });

  it("moves its resourceVersion forward on bookmarks", async () => {
    const w = start();
    await waitFor(() => server.openWatches() === 1, "watch open");
    server.store.put("deployments", odooDeployment({ namespace: "odoo-qa", name: "unrelated" }));
    server.bookmark();
    await waitFor(() => w.stats.lastResourceVersion === String(server.store.resourceVersion), "bookmark");
  });

  it("reports a refused token and keeps trying with backoff", async () => {
    const dir = tempDir();
    const file = writeKubeconfig(dir.dir, { server: server.url, token: "nope" });
    api = await createClusterApi(await forContext((await loadKubeconfigFile(file)).config, undefined), {
      timeoutMs: 2000,
    });
    start();
    await waitFor(() => errors.length >= 2, "two failed attempts");
    expect(errors[0]?.kind).toBe("unauthorised");
    dir.cleanup();
  });
});
