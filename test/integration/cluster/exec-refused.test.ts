import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { confirmKubeconfigFromDialog } from "../../../electron/shell/kubeconfig-confirm";
import { methods } from "../../../shared/contract/index";
import { runCliCaptured } from "../../helpers/cli";
import { odooDeployment, writeKubeconfig } from "../../helpers/kube-fixtures";
import { type KubeServer, startKubeServer } from "../../helpers/kube-server";
import { tempCore } from "../../helpers/temp";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});
let server: KubeServer;
beforeAll(async () => {
  server = await startKubeServer();
  server.store.put("deployments", odooDeployment({ namespace: "odoo-qa", name: "odoo-web", image: "odoo:17" }));
});
afterAll(() => server.close());

type Login = "exec" | "gcp-cmd-path" | "legacy-exec-provider";

// A kubeconfig whose login runs /bin/sh: it leaves a marker file, then answers with the test server's token.
function execKubeconfig(dir: string, login: Login, marker: string): string {
  const file = writeKubeconfig(dir, { server: server.url, token: server.token, file: `${login}.yaml` });
  const doc = parse(readFileSync(file, "utf8")) as { users: { name: string; user: unknown }[] };
  const credential = JSON.stringify({
    apiVersion: "client.authentication.k8s.io/v1beta1",
    kind: "ExecCredential",
    status: { token: server.token },
  });
  const script = `touch '${marker}'; echo '${credential}'`;
  const user =
    login === "exec"
      ? { exec: { apiVersion: "client.authentication.k8s.io/v1beta1", command: "/bin/sh", args: ["-c", script] } }
      : login === "gcp-cmd-path"
        ? {
            "auth-provider": {
              name: "gcp",
              config: {
                "access-token": "old",
                expiry: "2000-01-01T00:00:00Z",
                "cmd-path": "/bin/sh",
                "cmd-args": `-c "touch '${marker}'; echo {}"`,
                "token-key": "{.token}",
                "expiry-key": "{.expiry}",
              },
            },
          }
        : {
            "auth-provider": {
              name: "exec",
              config: {
                exec: { apiVersion: "client.authentication.k8s.io/v1beta1", command: "/bin/sh", args: ["-c", script] },
              },
            },
          };
  doc.users = [{ name: "tester", user }];
  writeFileSync(file, stringify(doc));
  return file;
}

async function laptop() {
  const t = await tempCore({});
  cleanups.push(t.cleanup);
  const dir = join(t.dir, "kube");
  mkdirSync(dir);
  const marker = join(t.dir, "program-ran");
  const env = [
    { name: "qa", context: "plant", namespaces: ["odoo-qa"], argocd: { context: "plant", namespace: "argocd" } },
  ];
  const db = t.core.services.register.db;
  const state = () => ({
    settings: db.prepare("SELECT key, value FROM settings WHERE key LIKE 'cluster.%' ORDER BY key").all(),
    audit: db.prepare("SELECT count(*) AS n FROM audit").get(),
  });
  return { ...t, kubeDir: dir, marker, env, state };
}

describe("no page can make the core run a program from a kubeconfig", () => {
  it.each<Login>(["exec", "gcp-cmd-path", "legacy-exec-provider"])(
    "%s: every cluster method, and every method given the file or its text, through both page doors",
    async (login) => {
      const a = await laptop();
      const file = execKubeconfig(a.kubeDir, login, a.marker);
      const text = readFileSync(file, "utf8");
      const before = a.state();
      const sources = [
        { kind: "file", path: file },
        { kind: "content", text },
      ];
      const previous = process.env.KUBECONFIG;
      process.env.KUBECONFIG = file;
      try {
        for (const door of ["ipc", "web"] as const) {
          for (const source of [...sources, { kind: "default" }]) {
            const contexts = await a.core.call("cluster.contexts", { source }, door);
            expect(contexts).toMatchObject({ ok: false, error: { code: "cluster" } });
            if (!contexts.ok) expect(contexts.error.message).toMatch(/runs? a program|trust-exec/);
            const configure = await a.core.call("cluster.configure", { kubeconfig: source, environments: a.env }, door);
            expect(configure).toMatchObject({ ok: false });
          }
          await a.core.call("cluster.contexts", {}, door);
          await a.core.call("cluster.environments", { refresh: true }, door);
          // Any other method handed the file or its text, in the shapes methods take paths and content.
          const shapes = [
            { path: file },
            { file },
            { keyFile: file },
            { text },
            { content: text },
            { ics: text },
            { source: sources[0] },
            { kubeconfig: sources[0] },
          ];
          for (const name of Object.keys(methods)) {
            if (name === "cluster.configure") continue;
            for (const input of shapes) await a.core.call(name, input, door);
          }
        }
      } finally {
        if (previous === undefined) delete process.env.KUBECONFIG;
        else process.env.KUBECONFIG = previous;
      }
      expect(existsSync(a.marker)).toBe(false);
      expect(a.state().settings).toEqual(before.settings);
    },
    120_000,
  );

  it("a configuration an older version stored for such a file is not connected until the file is confirmed", async () => {
    const a = await laptop();
    const file = execKubeconfig(a.kubeDir, "exec", a.marker);
    // What an older version let a page store: the register then names a file that runs a program.
    a.core.services.register.db
      .prepare("INSERT INTO settings (key, value) VALUES ('cluster.kubeconfig', ?)")
      .run(JSON.stringify({ kind: "file", path: file }));
    a.core.services.register.db
      .prepare(
        "INSERT INTO cluster_environments (name, position, context, namespaces, argocd_context, argocd_namespace) VALUES ('qa', 2, 'plant', '[\"odoo-qa\"]', 'plant', 'argocd')",
      )
      .run();
    const view = await a.core.call("cluster.environments", { refresh: true }, "web");
    expect(JSON.stringify(view)).toContain("trust-exec");
    expect(existsSync(a.marker)).toBe(false);
  });

  it("the CLI shows the program, confirms only with --yes, and then only for this file's exact bytes", async () => {
    const a = await laptop();
    const file = execKubeconfig(a.kubeDir, "exec", a.marker);
    const before = a.state();
    const shown = await runCliCaptured(["cluster", "trust-exec", "--kubeconfig", file, "--data-dir", a.dir]);
    expect(shown.code).toBe(1);
    expect(shown.stdout).toContain("/bin/sh -c touch");
    expect(shown.stdout).toContain("--yes");
    expect(a.state()).toEqual(before);
    expect(existsSync(a.marker)).toBe(false);

    const yes = await runCliCaptured(["cluster", "trust-exec", "--kubeconfig", file, "--yes", "--data-dir", a.dir]);
    expect(yes).toMatchObject({ code: 0, stderr: "" });
    const audit = a.core.services.register.db
      .prepare("SELECT door FROM audit WHERE action = 'cluster.trust-exec'")
      .all();
    expect(audit).toEqual([{ door: "cli" }]);
    expect(existsSync(a.marker)).toBe(false);

    // Confirmed: the window may now use the file, and its program runs to log in.
    const configured = await a.core.call(
      "cluster.configure",
      { kubeconfig: { kind: "file", path: file }, environments: a.env },
      "ipc",
    );
    expect(configured).toMatchObject({ ok: true });
    const view = await a.core.call("cluster.environments", { refresh: true }, "ipc");
    expect(JSON.stringify(view)).toContain("odoo-web");
    expect(existsSync(a.marker)).toBe(true);

    // Its content pasted is still refused, and so is the file once it changes by one byte.
    const pasted = await a.core.call(
      "cluster.contexts",
      { source: { kind: "content", text: readFileSync(file, "utf8") } },
      "ipc",
    );
    expect(pasted).toMatchObject({ ok: false, error: { code: "cluster" } });
    writeFileSync(file, `${readFileSync(file, "utf8")}# edited\n`);
    const changed = await a.core.call("cluster.contexts", { source: { kind: "file", path: file } }, "ipc");
    expect(changed).toMatchObject({ ok: false, error: { code: "cluster" } });
  });

  it("the desktop's own dialogs confirm the same way: the file from the OS dialog, the yes from a message box", async () => {
    const a = await laptop();
    const file = execKubeconfig(a.kubeDir, "exec", a.marker);
    const before = a.state();
    const asked: string[][] = [];
    const dialogs = (answer: boolean) => ({
      chooseFile: async () => file,
      confirm: async (q: { readonly programs: readonly string[] }) => {
        asked.push([...q.programs]);
        return answer;
      },
      inform: async () => undefined,
    });
    expect(await confirmKubeconfigFromDialog(a.core, dialogs(false))).toBe("cancelled");
    expect(asked).toEqual([[expect.stringMatching(/^\/bin\/sh -c touch/)]]);
    expect(a.state()).toEqual(before);
    const source = { kind: "file", path: file };
    expect(await a.core.call("cluster.contexts", { source }, "ipc")).toMatchObject({ ok: false });

    expect(await confirmKubeconfigFromDialog(a.core, dialogs(true))).toBe("confirmed");
    expect(await a.core.call("cluster.contexts", { source }, "ipc")).toMatchObject({ ok: true });
    expect(existsSync(a.marker)).toBe(false);
  });
});
