import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fixedClock } from "../../../electron/core/clock";
import { clusterHandlers } from "../../../electron/core/cluster/handlers";
import { createDispatcher, type Dispatch, type Handlers } from "../../../electron/core/dispatch";
import type { ClusterEnvironments, EnvironmentConfig } from "../../../shared/contract/methods/cluster";
import { argoApplication, argoProject, odooDeployment, writeKubeconfig } from "../../helpers/kube-fixtures";
import { type KubeServer, startKubeServer } from "../../helpers/kube-server";
import { tempCore } from "../../helpers/temp";

const ENVS = ["development", "integration", "qa", "preproduction", "production"] as const;

describe("cluster.environments through the dispatcher, against the test API server", () => {
  let server: KubeServer;
  let core: Awaited<ReturnType<typeof tempCore>>;
  let call: Dispatch;
  let kubeconfig: string;
  const clock = fixedClock("2026-12-01T08:00:00Z");

  const environments: EnvironmentConfig[] = ENVS.map((name) => ({
    name,
    context: name === "production" ? "plant-prod" : "plant-nonprod",
    namespaces: [`odoo-${name}`],
    argocd: { context: "plant-prod", namespace: "argocd" },
  }));

  beforeAll(async () => {
    server = await startKubeServer();
    core = await tempCore({ clock });
    kubeconfig = writeKubeconfig(core.dir, {
      server: server.url,
      token: server.token,
      contexts: [{ name: "plant-prod" }, { name: "plant-nonprod" }],
    });
    for (const [i, name] of ENVS.entries()) {
      const image = `registry.example.com/odoo:17.0-${i}`;
      server.store.put("deployments", odooDeployment({ namespace: `odoo-${name}`, name: "odoo-web", image }));
      server.store.put(
        "deployments",
        odooDeployment({ namespace: `odoo-${name}`, name: "odoo-worker", role: "worker", image }),
      );
      server.store.put(
        "applications",
        argoApplication({ name: `odoo-${name}`, destinationNamespace: `odoo-${name}`, revision: `${i}`.repeat(40) }),
      );
    }
    // Production may sync only in the Sunday 02:00 window; it is Tuesday 08:00 in Berlin.
    server.store.put(
      "appprojects",
      argoProject({
        name: "odoo",
        windows: [
          {
            kind: "allow",
            schedule: "0 2 * * 0",
            duration: "2h",
            namespaces: ["odoo-production"],
            timeZone: "Europe/Berlin",
          },
        ],
      }),
    );
    // Live watches are tested on their own (live.test.ts): here every read must be a list the test can count.
    const handlers = clusterHandlers(core.core.services, { timeoutMs: 2000, backoffMs: 30_000, live: false });
    call = createDispatcher({ handlers: handlers as unknown as Handlers, clock });
    const configured = await call("cluster.configure", {
      kubeconfig: { kind: "file", path: kubeconfig },
      environments,
    });
    expect(configured).toMatchObject({ ok: true });
  });

  afterAll(async () => {
    await server.close();
    core.cleanup();
  });

  beforeEach(() => {
    server.clearFaults();
    clock.set("2026-12-01T08:00:00Z");
  });

  const read = async (refresh = true) => {
    const result = await call("cluster.environments", { refresh });
    if (!result.ok) throw new Error(result.error.message);
    return result.value as ClusterEnvironments;
  };

  it("lists contexts without credentials and stores only names and the path", async () => {
    const contexts = await call("cluster.contexts", { source: { kind: "file", path: kubeconfig } });
    expect(contexts).toMatchObject({ ok: true, value: { currentContext: "plant-prod" } });
    expect(JSON.stringify(contexts)).not.toContain(server.token);
    const stored = core.core.services.register.db.prepare("SELECT value FROM settings").all();
    expect(JSON.stringify(stored)).not.toContain(server.token);
    const config = await call("cluster.config", {});
    expect(config).toMatchObject({ ok: true, value: { kubeconfig: { kind: "file", path: kubeconfig } } });
  });

  it("refuses a context the kubeconfig does not have", async () => {
    const result = await call("cluster.configure", {
      kubeconfig: { kind: "file", path: kubeconfig },
      environments: [{ ...environments[0], context: "nowhere" }],
    });
    expect(result).toMatchObject({ ok: false, error: { code: "invalid-input" } });
  });

  it("shows environments side by side with what runs, sync state and sync windows", async () => {
    const view = await read();
    expect(view.configured).toBe(true);
    expect(view.environments.map((e) => e.name)).toEqual([...ENVS]);
    const prod = view.environments[4];
    expect(prod).toMatchObject({ state: "ok", errors: [], context: "plant-prod" });
    expect(prod?.deployments.map((d) => [d.name, d.role, d.images[0], d.ready, d.desired, d.rollout])).toEqual([
      ["odoo-web", "web", "registry.example.com/odoo:17.0-4", 2, 2, "complete"],
      ["odoo-worker", "worker", "registry.example.com/odoo:17.0-4", 2, 2, "complete"],
    ]);
    expect(prod?.applications).toEqual([
      expect.objectContaining({ name: "odoo-production", sync: "Synced", health: "Healthy", revision: "4".repeat(40) }),
    ]);
    expect(prod?.sync).toMatchObject({ allowed: false, windows: [{ kind: "allow", active: false }] });
    expect(view.environments[0]?.sync).toMatchObject({ allowed: true });
    expect(view.environments[0]?.applications.map((a) => a.name)).toEqual(["odoo-development"]);
  });

  it("shows a cluster that sends garbage as an error of that environment only", async () => {
    server.inject({ kind: "malformed" }, { path: "/namespaces/odoo-qa/deployments" });
    const view = await read();
    const qa = view.environments.find((e) => e.name === "qa");
    expect(qa?.state).toBe("partial");
    expect(qa?.errors[0]).toMatchObject({ source: "deployments", kind: "garbage" });
    expect(view.environments.filter((e) => e.state !== "ok").map((e) => e.name)).toEqual(["qa"]);
  });

  it("shows 401, 403 and 404 per source in words a plant manager reads", async () => {
    server.inject(
      { kind: "status", code: 401, reason: "Unauthorized", message: "Unauthorized" },
      { path: "odoo-development" },
    );
    server.inject({ kind: "status", code: 403, reason: "Forbidden", message: "no" }, { path: "odoo-integration" });
    server.inject(
      { kind: "status", code: 404, reason: "NotFound", message: 'namespaces "odoo-qa" not found' },
      { path: "odoo-qa" },
    );
    const view = await read();
    const kinds = view.environments.slice(0, 3).map((e) => e.errors[0]?.kind);
    expect(kinds).toEqual(["unauthorised", "forbidden", "not-found"]);
    expect(view.environments[0]?.errors[0]?.message).toMatch(/credentials \(401\)/);
    expect(view.environments[2]?.errors[0]?.message).toMatch(/check the namespace names/);
  });

  it("does not wait on a silent cluster longer than the timeout, and backs off before asking again", async () => {
    server.inject({ kind: "hang" }, { path: "odoo-preproduction", times: 1 });
    const first = await read();
    const pre = first.environments.find((e) => e.name === "preproduction");
    expect(pre?.errors[0]).toMatchObject({ kind: "timeout" });
    expect(pre?.retryAt).toBe("2026-12-01T08:00:30.000Z");
    expect(first.environments.find((e) => e.name === "production")?.state).toBe("ok");

    const asked = () => server.requests.filter((r) => r.path.includes("odoo-preproduction")).length;
    const before = asked();
    const second = await read(false);
    expect(asked()).toBe(before);
    expect(second.environments.find((e) => e.name === "preproduction")?.errors[0]?.kind).toBe("timeout");

    clock.set("2026-12-01T08:00:31Z");
    const third = await read(false);
    expect(asked()).toBe(before + 1);
    expect(third.environments.find((e) => e.name === "preproduction")?.state).toBe("ok");
  });

  it("keeps pasted kubeconfig text as a private file and stores only its path", async () => {
    const { readFileSync, statSync } = await import("node:fs");
    const text = readFileSync(kubeconfig, "utf8");
    const fresh = await tempCore({ clock });
    try {
      const dispatch = createDispatcher({
        handlers: clusterHandlers(fresh.core.services, { live: false }) as unknown as Handlers,
        clock,
      });
      const result = await dispatch("cluster.configure", {
        kubeconfig: { kind: "content", text },
        environments: [environments[4]],
      });
      if (!result.ok) throw new Error(result.error.message);
      const config = result.value as { kubeconfig: { kind: string; path: string } };
      expect(config.kubeconfig.kind).toBe("file");
      expect(config.kubeconfig.path.startsWith(fresh.dir)).toBe(true);
      expect(statSync(config.kubeconfig.path).mode & 0o777).toBe(0o600);
      const stored = fresh.core.services.register.db.prepare("SELECT value FROM settings").all();
      expect(JSON.stringify(stored)).not.toContain(server.token);
      const view = await dispatch("cluster.environments", {});
      expect(view).toMatchObject({ ok: true, value: { environments: [{ name: "production", state: "ok" }] } });
    } finally {
      fresh.cleanup();
    }
  });

  it("finds the default kubeconfig through KUBECONFIG, and refuses garbage text", async () => {
    const fresh = await tempCore({ clock });
    try {
      const dispatch = createDispatcher({
        handlers: clusterHandlers(fresh.core.services, {
          live: false,
          env: { KUBECONFIG: kubeconfig },
          home: fresh.dir,
        }) as unknown as Handlers,
        clock,
      });
      const contexts = await dispatch("cluster.contexts", { source: { kind: "default" } });
      expect(contexts).toMatchObject({
        ok: true,
        value: { kubeconfigPath: kubeconfig, contexts: [{ name: "plant-prod" }, { name: "plant-nonprod" }] },
      });
      const garbage = await dispatch("cluster.contexts", { source: { kind: "content", text: "{{{ not yaml" } });
      expect(garbage).toMatchObject({
        ok: false,
        error: { code: "cluster", message: expect.stringMatching(/cannot be read/) },
      });
    } finally {
      fresh.cleanup();
    }
  });

  it("flags drift against what approved changes allow", async () => {
    const approved = {
      images: [{ image: "registry.example.com/odoo:17.0-3", changeId: "CHG-2026-7" }],
      revisions: [{ revision: "4".repeat(40), changeId: "CHG-2026-7" }],
    };
    const dispatch = createDispatcher({
      handlers: clusterHandlers(core.core.services, {
        live: false,
        approved: (env) => (env === "production" ? approved : null),
      }) as unknown as Handlers,
      clock,
    });
    const result = await dispatch("cluster.environments", { refresh: true });
    if (!result.ok) throw new Error(result.error.message);
    const view = result.value as ClusterEnvironments;
    const prod = view.environments.find((e) => e.name === "production");
    expect(prod?.drift.map((d) => [d.kind, d.name, d.running, d.approved])).toEqual([
      ["image", "odoo-web", "registry.example.com/odoo:17.0-4", "registry.example.com/odoo:17.0-3"],
      ["image", "odoo-worker", "registry.example.com/odoo:17.0-4", "registry.example.com/odoo:17.0-3"],
    ]);
    expect(view.environments.find((e) => e.name === "qa")?.drift).toEqual([]);
  });

  it("reports an unconfigured install plainly", async () => {
    const fresh = await tempCore({ clock });
    const dispatch = createDispatcher({
      handlers: clusterHandlers(fresh.core.services, { live: false }) as unknown as Handlers,
      clock,
    });
    expect(await dispatch("cluster.environments", {})).toMatchObject({
      ok: true,
      value: { configured: false, environments: [] },
    });
    fresh.cleanup();
  });
});
