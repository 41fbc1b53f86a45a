import { execFile, execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { fixedClock } from "../../../electron/core/clock";
import { clusterHandlers } from "../../../electron/core/cluster/handlers";
import { createDispatcher, type Handlers } from "../../../electron/core/dispatch";
import { runCliCaptured } from "../../helpers/cli";
import { odooDeployment } from "../../helpers/kube-fixtures";
import { type KubeServer, startKubeServer } from "../../helpers/kube-server";
import { makeClusterCa } from "../../helpers/kube-tls";
import { tempCore, tempDir } from "../../helpers/temp";

// kubectl reads these kubeconfigs; `shiftgate cluster status` now reads them the same way: merged KUBECONFIG lists,
// paths relative to the file that names them, exec plugins with KUBERNETES_EXEC_INFO, kubectl proxy on loopback
// http, and errors that name their cause. Each case also runs Debian's kubectl on the same files where it can tell.

interface StatusJson {
  context: string;
  deployments: { namespace: string; name: string }[];
  errors: { source: string; kind: string; message: string }[];
}

let tls: KubeServer;
let plain: KubeServer;
let tmp: { dir: string; cleanup: () => void };
let caPem: string;
const PLUGIN_TOKEN = "from-the-login-program";

/** A login program that, like kubelogin, insists on KUBERNETES_EXEC_INFO; it keeps what it was given. */
const PLUGIN = [
  "#!/bin/sh",
  'if [ -z "$KUBERNETES_EXEC_INFO" ]; then echo "KUBERNETES_EXEC_INFO is not set" >&2; exit 1; fi',
  'printf "%s" "$KUBERNETES_EXEC_INFO" > "$(dirname "$0")/exec-info.json"',
  `printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"${PLUGIN_TOKEN}"}}'`,
  "",
].join("\n");

function kubeconfig(file: string, doc: Record<string, unknown>): string {
  mkdirSync(join(file, ".."), { recursive: true });
  writeFileSync(file, stringify({ apiVersion: "v1", kind: "Config", ...doc }));
  return file;
}

const ctx = (name: string, cluster: string, user: string) => ({ name, context: { cluster, user } });

async function status(args: string[], env: Record<string, string | undefined> = {}) {
  const run = await runCliCaptured(["cluster", "status", "--json", "--timeout", "5", ...args], {
    cwd: tmp.dir,
    env: { PATH: process.env.PATH, HOME: tmp.dir, ...env },
  });
  return { ...run, json: run.code === 2 ? null : (JSON.parse(run.stdout) as StatusJson) };
}

/** Runs kubectl without blocking: the test API servers answer from this very process. */
function kubectl(
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      "kubectl",
      ["--request-timeout=5s", ...args],
      { cwd: tmp.dir, env: { PATH: process.env.PATH, HOME: tmp.dir, ...env }, encoding: "utf8" },
      (error, stdout, stderr) => done({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  tmp = tempDir();
  const pki = join(tmp.dir, "pki-src");
  mkdirSync(pki);
  const ca = makeClusterCa(pki);
  caPem = readFileSync(ca.caFile, "utf8");
  tls = await startKubeServer({ token: "admin-token", tls: { key: ca.key, cert: ca.cert } });
  tls.grant(PLUGIN_TOKEN, "*");
  plain = await startKubeServer({ token: "proxy-token" });
  for (const s of [tls, plain])
    s.store.put("deployments", odooDeployment({ namespace: "odoo-prod", name: "odoo-web" }));
});
afterAll(async () => {
  await tls?.close();
  await plain?.close();
  tmp?.cleanup();
});

describe("kubeconfig as kubectl reads it", () => {
  it("HTTPS with the cluster's CA and an exec plugin, both named relative to the kubeconfig's folder; the plugin gets KUBERNETES_EXEC_INFO as kubectl gives it", async () => {
    const folder = join(tmp.dir, "conf");
    mkdirSync(join(folder, "pki"), { recursive: true });
    mkdirSync(join(folder, "bin"), { recursive: true });
    writeFileSync(join(folder, "pki", "ca.crt"), caPem);
    writeFileSync(join(folder, "bin", "login.sh"), PLUGIN, { mode: 0o755 });
    kubeconfig(join(folder, "kubeconfig"), {
      "current-context": "plant",
      clusters: [{ name: "c", cluster: { server: tls.url, "certificate-authority": "pki/ca.crt" } }],
      users: [
        {
          name: "u",
          user: {
            exec: {
              apiVersion: "client.authentication.k8s.io/v1",
              command: "./bin/login.sh",
              interactiveMode: "Never",
            },
          },
        },
      ],
      contexts: [ctx("plant", "c", "u")],
    });
    const ours = await status(["--kubeconfig", "conf/kubeconfig"]);
    expect(ours.json?.errors).toEqual([]);
    expect(ours.json?.deployments.map((d) => d.name)).toEqual(["odoo-web"]);
    const ourInfo = JSON.parse(readFileSync(join(folder, "bin", "exec-info.json"), "utf8"));
    rmSync(join(folder, "bin", "exec-info.json"));

    const theirs = await kubectl(["--kubeconfig", "conf/kubeconfig", "get", "--raw", "/apis/apps/v1/deployments"]);
    expect(theirs.status, theirs.stderr).toBe(0);
    expect(JSON.parse(theirs.stdout).items.map((d: { metadata: { name: string } }) => d.metadata.name)).toEqual([
      "odoo-web",
    ]);
    expect(ourInfo).toEqual(JSON.parse(readFileSync(join(folder, "bin", "exec-info.json"), "utf8")));
  });

  it("merges a KUBECONFIG list by kubectl's rules (first file wins per name and for current-context; missing files skipped)", async () => {
    const a = kubeconfig(join(tmp.dir, "merge", "sub", "a.yaml"), {
      "current-context": "plant",
      clusters: [{ name: "c1", cluster: { server: tls.url, "certificate-authority": "ca.crt" } }],
      contexts: [ctx("plant", "c1", "u1")],
    });
    writeFileSync(join(tmp.dir, "merge", "sub", "ca.crt"), caPem);
    const b = kubeconfig(join(tmp.dir, "merge", "b.yaml"), {
      "current-context": "other",
      clusters: [
        { name: "c1", cluster: { server: "https://127.0.0.1:9", "insecure-skip-tls-verify": true } },
        { name: "c2", cluster: { server: plain.url } },
      ],
      users: [{ name: "u1", user: { token: "admin-token" } }],
      contexts: [ctx("other", "c2", "u1")],
    });
    const KUBECONFIG = [a, join(tmp.dir, "merge", "missing.yaml"), b].join(":");
    const ours = await status([], { KUBECONFIG });
    expect(ours.json?.context).toBe("plant");
    expect(ours.json?.errors).toEqual([]);
    expect(ours.json?.deployments.map((d) => d.name)).toEqual(["odoo-web"]);

    const view = JSON.parse((await kubectl(["config", "view", "--merge", "-o", "json"], { KUBECONFIG })).stdout);
    expect(view["current-context"]).toBe(ours.json?.context);
    expect(view.clusters.find((c: { name: string }) => c.name === "c1").cluster.server).toBe(tls.url);
    expect((await kubectl(["get", "--raw", "/apis/apps/v1/deployments"], { KUBECONFIG })).status).toBe(0);
  });

  it("accepts kubectl proxy's plain http on loopback without insecure-skip-tls-verify, and refuses plain http elsewhere", async () => {
    // kubectl proxy authenticates upstream: the kubeconfig for it carries no credentials.
    plain.grant("", "*");
    const proxy = kubeconfig(join(tmp.dir, "proxy", "kubeconfig"), {
      "current-context": "proxy",
      clusters: [{ name: "p", cluster: { server: plain.url } }],
      users: [{ name: "u", user: {} }],
      contexts: [ctx("proxy", "p", "u")],
    });
    const ours = await status(["--kubeconfig", proxy]);
    expect(ours.json?.errors).toEqual([]);
    expect(ours.json?.deployments.map((d) => d.name)).toEqual(["odoo-web"]);
    const viaKubectl = await kubectl(["--kubeconfig", proxy, "get", "--raw", "/apis/apps/v1/deployments"]);
    expect(viaKubectl.status, viaKubectl.stderr).toBe(0);

    const remote = kubeconfig(join(tmp.dir, "proxy", "remote"), {
      "current-context": "far",
      clusters: [{ name: "f", cluster: { server: "http://192.0.2.10:8001" } }],
      users: [{ name: "u", user: { token: "proxy-token" } }],
      contexts: [ctx("far", "f", "u")],
    });
    const refused = await status(["--kubeconfig", remote]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("talks to http://192.0.2.10:8001 over plain http");
  });
});

describe("cluster errors name their cause, not the network", () => {
  it("no file, a missing certificate file, a failing login program and a refused token", async () => {
    const none = await status([], { KUBECONFIG: [join(tmp.dir, "nope-1"), join(tmp.dir, "nope-2")].join(":") });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(
      `There is no kubeconfig file: none of ${join(tmp.dir, "nope-1")}, ${join(tmp.dir, "nope-2")}`,
    );

    const noCa = kubeconfig(join(tmp.dir, "errors", "no-ca"), {
      "current-context": "x",
      clusters: [{ name: "c", cluster: { server: tls.url, "certificate-authority": "missing-ca.crt" } }],
      users: [{ name: "u", user: { token: "admin-token" } }],
      contexts: [ctx("x", "c", "u")],
    });
    const caRun = await status(["--kubeconfig", noCa]);
    expect(caRun.json?.errors[0]?.message).toContain(
      `The file ${join(tmp.dir, "errors", "missing-ca.crt")} named in the kubeconfig`,
    );

    // A certificate authority that is not a certificate at all, and a real one that did not sign the server's.
    writeFileSync(join(tmp.dir, "errors", "garbage-ca.crt"), "not a certificate\n");
    const garbageCa = kubeconfig(join(tmp.dir, "errors", "garbage-ca"), {
      "current-context": "x",
      clusters: [{ name: "c", cluster: { server: tls.url, "certificate-authority": "garbage-ca.crt" } }],
      users: [{ name: "u", user: { token: "admin-token" } }],
      contexts: [ctx("x", "c", "u")],
    });
    const garbageRun = await status(["--kubeconfig", garbageCa]);
    expect(garbageRun.code).toBe(2);
    expect(garbageRun.stderr).toContain(
      `The certificate authority of context "x" (${join(tmp.dir, "errors", "garbage-ca.crt")}) is not a PEM certificate`,
    );
    mkdirSync(join(tmp.dir, "errors", "other-ca"), { recursive: true });
    const otherCa = makeClusterCa(join(tmp.dir, "errors", "other-ca"));
    const wrongCa = kubeconfig(join(tmp.dir, "errors", "wrong-ca"), {
      "current-context": "x",
      clusters: [{ name: "c", cluster: { server: tls.url, "certificate-authority": otherCa.caFile } }],
      users: [{ name: "u", user: { token: "admin-token" } }],
      contexts: [ctx("x", "c", "u")],
    });
    const wrongRun = await status(["--kubeconfig", wrongCa]);
    expect(wrongRun.json?.errors[0]?.message).toContain("presented a certificate Shiftgate does not trust");

    const failing = join(tmp.dir, "errors", "bin", "expired.sh");
    mkdirSync(join(failing, ".."), { recursive: true });
    writeFileSync(failing, "#!/bin/sh\necho 'session expired: run login again' >&2\nexit 3\n", { mode: 0o755 });
    const plugin = kubeconfig(join(tmp.dir, "errors", "plugin"), {
      "current-context": "x",
      clusters: [{ name: "c", cluster: { server: plain.url } }],
      users: [
        { name: "u", user: { exec: { apiVersion: "client.authentication.k8s.io/v1", command: "./bin/expired.sh" } } },
      ],
      contexts: [ctx("x", "c", "u")],
    });
    const pluginRun = await status(["--kubeconfig", plugin]);
    expect(pluginRun.json?.errors[0]?.message).toContain(
      `The login program of context "x" (${failing}) failed: session expired: run login again`,
    );

    const wrongToken = kubeconfig(join(tmp.dir, "errors", "token"), {
      "current-context": "x",
      clusters: [{ name: "c", cluster: { server: plain.url } }],
      users: [{ name: "u", user: { token: "stolen" } }],
      contexts: [ctx("x", "c", "u")],
    });
    const tokenRun = await status(["--kubeconfig", wrongToken]);
    expect(tokenRun.json?.errors[0]?.message).toContain("refused Shiftgate's credentials (401)");
    expect(garbageRun.stderr).not.toMatch(/network|VPN/);
    for (const run of [caRun, wrongRun, pluginRun, tokenRun])
      for (const e of run.json?.errors ?? []) expect(e.message).not.toMatch(/network|VPN/);
    expect(execFileSync("kubectl", ["version", "--client"], { encoding: "utf8" })).toContain("Client Version");
  });
});

describe("the app reads the default kubeconfig as kubectl does", () => {
  it("merges KUBECONFIG's files for cluster.contexts, and still refuses a listed file that runs an unconfirmed program", async () => {
    const clock = fixedClock("2026-12-01T08:00:00Z");
    const fresh = await tempCore({ clock, demo: false });
    try {
      const a = kubeconfig(join(tmp.dir, "app", "a.yaml"), {
        "current-context": "plant",
        clusters: [{ name: "c1", cluster: { server: tls.url } }],
        contexts: [ctx("plant", "c1", "u1")],
      });
      const b = kubeconfig(join(tmp.dir, "app", "b.yaml"), {
        "current-context": "other",
        clusters: [{ name: "c2", cluster: { server: plain.url } }],
        users: [{ name: "u1", user: { token: "admin-token" } }],
        contexts: [ctx("other", "c2", "u1")],
      });
      const dispatchWith = (KUBECONFIG: string) =>
        createDispatcher({
          handlers: clusterHandlers(fresh.core.services, {
            live: false,
            env: { KUBECONFIG },
            home: fresh.dir,
          }) as unknown as Handlers,
          clock,
        });
      const merged = await dispatchWith(`${a}:${b}`)("cluster.contexts", { source: { kind: "default" } });
      expect(merged).toMatchObject({
        ok: true,
        value: {
          kubeconfigPath: a,
          currentContext: "plant",
          contexts: [
            { name: "plant", server: tls.url },
            { name: "other", server: plain.url },
          ],
        },
      });
      const runs = kubeconfig(join(tmp.dir, "app", "runs.yaml"), {
        users: [
          { name: "u1", user: { exec: { apiVersion: "client.authentication.k8s.io/v1", command: "/bin/true" } } },
        ],
      });
      const refused = await dispatchWith(`${a}:${runs}`)("cluster.contexts", { source: { kind: "default" } });
      expect(refused).toMatchObject({
        ok: false,
        error: { code: "cluster", message: expect.stringContaining("runs.yaml logs in by running a program") },
      });
    } finally {
      fresh.cleanup();
    }
  });
});
