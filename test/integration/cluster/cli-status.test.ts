import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCliCaptured } from "../../helpers/cli";
import { argoApplication, odooDeployment, writeKubeconfig } from "../../helpers/kube-fixtures";
import { type KubeServer, startKubeServer } from "../../helpers/kube-server";
import { tempDir } from "../../helpers/temp";

interface StatusJson {
  context: string;
  deployments: {
    namespace: string;
    name: string;
    images: string[];
    ready: number;
    desired: number;
    available: boolean;
  }[];
  applications: {
    namespace: string;
    name: string;
    sync: string;
    revision: string | null;
    health: string;
    operation: string | null;
  }[];
  errors: { source: string; message: string }[];
}

describe("shiftgate cluster status", () => {
  let server: KubeServer;
  let dir: { dir: string; cleanup: () => void };
  let kubeconfig: string;

  beforeAll(async () => {
    server = await startKubeServer();
    dir = tempDir();
    kubeconfig = writeKubeconfig(dir.dir, {
      server: server.url,
      token: server.token,
      contexts: [{ name: "plant-prod" }, { name: "plant-dev" }],
    });
    server.store.put(
      "deployments",
      odooDeployment({ namespace: "odoo-prod", name: "odoo-web", image: "reg/odoo:17.0-5" }),
    );
    server.store.put(
      "deployments",
      odooDeployment({
        namespace: "odoo-prod",
        name: "odoo-worker",
        role: "worker",
        image: "reg/odoo:17.0-5",
        replicas: 2,
        ready: 1,
      }),
    );
    server.store.put(
      "deployments",
      odooDeployment({ namespace: "odoo-qa", name: "odoo-web", image: "reg/odoo:17.0-6" }),
    );
    server.store.put(
      "applications",
      argoApplication({ name: "odoo-prod", destinationNamespace: "odoo-prod", revision: "abc123" }),
    );
    server.store.put(
      "applications",
      argoApplication({
        namespace: "argocd-qa",
        name: "odoo-qa",
        destinationNamespace: "odoo-qa",
        sync: "OutOfSync",
        health: "Degraded",
        phase: "Failed",
      }),
    );
  });

  afterAll(async () => {
    await server.close();
    dir.cleanup();
  });

  const run = (...args: string[]) => runCliCaptured(["cluster", "status", "--kubeconfig", kubeconfig, ...args]);

  it("prints deployments of all namespaces and applications of every namespace, exit 0", async () => {
    const result = await run("--json");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const status = JSON.parse(result.stdout) as StatusJson;
    expect(status.context).toBe("plant-prod");
    expect(status.deployments).toEqual([
      { namespace: "odoo-prod", name: "odoo-web", images: ["reg/odoo:17.0-5"], ready: 2, desired: 2, available: true },
      {
        namespace: "odoo-prod",
        name: "odoo-worker",
        images: ["reg/odoo:17.0-5"],
        ready: 1,
        desired: 2,
        available: false,
      },
      { namespace: "odoo-qa", name: "odoo-web", images: ["reg/odoo:17.0-6"], ready: 2, desired: 2, available: true },
    ]);
    expect(status.applications).toEqual([
      // byte order: '-' sorts before '/'
      {
        namespace: "argocd-qa",
        name: "odoo-qa",
        sync: "OutOfSync",
        revision: expect.any(String),
        health: "Degraded",
        operation: "Failed",
      },
      {
        namespace: "argocd",
        name: "odoo-prod",
        sync: "Synced",
        revision: "abc123",
        health: "Healthy",
        operation: "Succeeded",
      },
    ]);
    expect(status.errors).toEqual([]);
  });

  it("limits deployments to --namespace and uses --context", async () => {
    const result = await run("--context", "plant-dev", "--namespace", "odoo-qa", "--json");
    expect(result.code).toBe(0);
    const status = JSON.parse(result.stdout) as StatusJson;
    expect(status.context).toBe("plant-dev");
    expect(status.deployments.map((d) => `${d.namespace}/${d.name}`)).toEqual(["odoo-qa/odoo-web"]);
  });

  it("reads only the namespaces a namespaced token may list", async () => {
    server.grant("qa-only", ["odoo-qa", "argocd-qa"]);
    const file = writeKubeconfig(dir.dir, { server: server.url, token: "qa-only", file: "qa.yaml" });
    const result = await runCliCaptured(["cluster", "status", "--kubeconfig", file, "--json"]);
    const status = JSON.parse(result.stdout) as StatusJson;
    // Namespaces cannot be listed with this token either, so the fallback has nothing to walk: an error, exit 1.
    expect(result.code).toBe(1);
    expect(status.errors.map((e) => e.source).sort()).toEqual(["applications", "deployments"]);
    expect(status.errors[0]?.message).toMatch(/403/);
    const named = await runCliCaptured(["cluster", "status", "--kubeconfig", file, "--namespace", "odoo-qa", "--json"]);
    const namedStatus = JSON.parse(named.stdout) as StatusJson;
    expect(namedStatus.deployments.map((d) => d.name)).toEqual(["odoo-web"]);
    // A named namespace it may not read is reported, and does not hide the one it may.
    const both = await runCliCaptured([
      "cluster",
      "status",
      "--kubeconfig",
      file,
      "--namespace",
      "odoo-qa",
      "odoo-prod",
      "--json",
    ]);
    const bothStatus = JSON.parse(both.stdout) as StatusJson;
    expect(both.code).toBe(1);
    expect(bothStatus.deployments.map((d) => `${d.namespace}/${d.name}`)).toEqual(["odoo-qa/odoo-web"]);
    expect(bothStatus.errors.filter((e) => e.source === "deployments")).toEqual([
      { source: "deployments", message: expect.stringContaining("namespace odoo-prod (403)") },
    ]);
  });

  it("walks the namespaces it may list when cluster-wide lists are forbidden", async () => {
    server.grant("reader", { namespaces: ["odoo-qa", "argocd-qa"], listNamespaces: true });
    const file = writeKubeconfig(dir.dir, { server: server.url, token: "reader", file: "reader.yaml" });
    const result = await runCliCaptured(["cluster", "status", "--kubeconfig", file, "--json"]);
    expect(result.code).toBe(0);
    const status = JSON.parse(result.stdout) as StatusJson;
    expect(status.deployments.map((d) => `${d.namespace}/${d.name}`)).toEqual(["odoo-qa/odoo-web"]);
    expect(status.applications.map((a) => `${a.namespace}/${a.name}`)).toEqual(["argocd-qa/odoo-qa"]);
    expect(status.errors).toEqual([]);
  });

  it("exits 1 and still prints what it read when one source fails", async () => {
    server.inject(
      { kind: "status", code: 403, reason: "Forbidden", message: "applications is forbidden" },
      { path: "applications", times: 10 },
    );
    try {
      const result = await run("--json");
      expect(result.code).toBe(1);
      const status = JSON.parse(result.stdout) as StatusJson;
      expect(status.deployments).toHaveLength(3);
      expect(status.applications).toEqual([]);
      expect(status.errors).toEqual([{ source: "applications", message: expect.stringContaining("may not read") }]);
    } finally {
      server.clearFaults();
    }
  });

  it("exits 1 with a 401 message when the token is refused", async () => {
    const file = writeKubeconfig(dir.dir, { server: server.url, token: "wrong", file: "wrong.yaml" });
    const result = await runCliCaptured(["cluster", "status", "--kubeconfig", file, "--json"]);
    expect(result.code).toBe(1);
    const status = JSON.parse(result.stdout) as StatusJson;
    expect(status.errors).toHaveLength(2);
    expect(status.errors[0]?.message).toMatch(/refused Shiftgate's credentials \(401\)/);
  });

  it("exits 1 when the cluster sends garbage or does not answer in time", async () => {
    server.inject({ kind: "malformed" }, { path: "deployments", times: 3 });
    server.inject({ kind: "hang" }, { path: "applications", times: 3 });
    try {
      const result = await run("--json", "--timeout", "1");
      expect(result.code).toBe(1);
      const status = JSON.parse(result.stdout) as StatusJson;
      const bySource = Object.fromEntries(status.errors.map((e) => [e.source, e.message]));
      expect(bySource.deployments).toMatch(/cannot read/);
      expect(bySource.applications).toMatch(/did not answer within 1 s/);
    } finally {
      server.clearFaults();
    }
  });

  it("exits 1 when nothing listens at the server address", async () => {
    const file = writeKubeconfig(dir.dir, { server: "http://127.0.0.1:9", token: "t", file: "closed.yaml" });
    const result = await runCliCaptured(["cluster", "status", "--kubeconfig", file, "--json", "--timeout", "2"]);
    expect(result.code).toBe(1);
    const status = JSON.parse(result.stdout) as StatusJson;
    // A loopback address is this computer (kubectl proxy, a tunnel): the message says so, not "network or VPN".
    expect(status.errors[0]?.message).toMatch(
      /Nothing answers at http:\/\/127\.0\.0\.1:9 on this computer \(ECONNREFUSED\)/,
    );
  });

  it("exits 2 with one line on bad input", async () => {
    const missing = await runCliCaptured(["cluster", "status", "--kubeconfig", `${dir.dir}/nope.yaml`, "--json"]);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe("");
    expect(missing.stderr.trim().split("\n")).toHaveLength(1);
    expect(missing.stderr).toMatch(/no kubeconfig at/);
    const context = await run("--context", "nowhere");
    expect(context.code).toBe(2);
    expect(context.stderr).toMatch(/no context "nowhere"/);
    const namespace = await run("--namespace", "Not_A_Namespace");
    expect(namespace.code).toBe(2);
    const flag = await run("--bogus");
    expect(flag.code).toBe(2);
  });
});
