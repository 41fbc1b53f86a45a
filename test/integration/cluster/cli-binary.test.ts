import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runShiftgate } from "../../helpers/cli";
import { writeKubeconfig } from "../../helpers/kube-fixtures";
import { tempDir } from "../../helpers/temp";

const root = fileURLToPath(new URL("../../..", import.meta.url));

describe("the shiftgate binary: cluster status exit codes", () => {
  let child: ChildProcess;
  let dir: { dir: string; cleanup: () => void };
  let kubeconfig: string;

  beforeAll(async () => {
    child = spawn(process.execPath, ["--import", "tsx", "test/helpers/kube-server-process.ts"], {
      cwd: root,
      stdio: ["pipe", "pipe", "inherit"],
    });
    const line = await new Promise<string>((resolve, reject) => {
      if (!child.stdout) return reject(new Error("no stdout"));
      createInterface({ input: child.stdout }).once("line", resolve);
      child.once("exit", () => reject(new Error("the test API server process exited")));
    });
    const { url, token } = JSON.parse(line) as { url: string; token: string };
    dir = tempDir();
    kubeconfig = writeKubeconfig(dir.dir, { server: url, token });
  });

  afterAll(() => {
    child.stdin?.end();
    dir.cleanup();
  });

  it("exits 0 and prints the JSON document when it read the cluster", () => {
    const result = runShiftgate(["cluster", "status", "--kubeconfig", kubeconfig, "--json"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      context: "plant",
      deployments: [
        {
          namespace: "odoo-prod",
          name: "odoo-web",
          images: ["reg/odoo:17.0-5"],
          ready: 2,
          desired: 2,
          available: true,
        },
      ],
      applications: [
        { namespace: "argocd", name: "odoo-prod", sync: "Synced", health: "Healthy", operation: "Succeeded" },
      ],
      errors: [],
    });
  });

  it("exits 1 when a source fails, 2 on bad input", () => {
    const refused = writeKubeconfig(dir.dir, { server: "http://127.0.0.1:9", token: "t", file: "closed.yaml" });
    const failed = runShiftgate(["cluster", "status", "--kubeconfig", refused, "--json", "--timeout", "2"]);
    expect(failed.code).toBe(1);
    expect(JSON.parse(failed.stdout)).toMatchObject({ deployments: [], applications: [] });
    const bad = runShiftgate(["cluster", "status", "--kubeconfig", `${dir.dir}/missing.yaml`]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
  });
});
