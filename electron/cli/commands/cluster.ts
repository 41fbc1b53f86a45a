import { homedir } from "node:os";
import type { ClusterStatus } from "../../../shared/contract/methods/cluster";
import { createClusterApi } from "../../core/cluster/client";
import { defaultKubeconfigPath, forContext, loadKubeconfigFile } from "../../core/cluster/kubeconfig";
import { readClusterStatus, realSleep } from "../../core/cluster/read";
import { parseFlags, UsageError } from "../args";
import { type CliIo, type ExitCode, printJson } from "../io";
import type { Command } from "./index";

const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * `shiftgate cluster status`: what runs in the cluster. It reads the cluster directly, without opening the
 * register, so a CI job can run it with nothing but a kubeconfig.
 */
export async function clusterStatusCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const flags = parseFlags(argv, {
    kubeconfig: { type: "string" },
    context: { type: "string" },
    namespace: { type: "string", multiple: true },
    timeout: { type: "string" },
    json: { type: "boolean" },
  });
  for (const ns of flags.namespace ?? []) {
    if (!NAMESPACE.test(ns) || ns.length > 63) throw new UsageError(`'${ns}' is not a namespace name`);
  }
  const timeoutSeconds = flags.timeout === undefined ? 10 : Number(flags.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0 || timeoutSeconds > 300) {
    throw new UsageError("--timeout takes seconds between 0 and 300");
  }
  const path = flags.kubeconfig ?? defaultKubeconfigPath(io.env, homedir());
  // A missing file, unreadable YAML or unknown context is an AppError: main prints one line and exits 2.
  const loaded = await loadKubeconfigFile(path, io.cwd);
  const api = await createClusterApi(await forContext(loaded.config, flags.context), {
    timeoutMs: timeoutSeconds * 1000,
  });
  const status = await readClusterStatus(api, {
    namespaces: flags.namespace,
    policy: { attempts: 3, baseDelayMs: 250, sleep: realSleep },
  });
  if (flags.json) printJson(io, status);
  else io.stdout(formatStatus(status));
  for (const error of status.errors) if (!flags.json) io.stderr(`shiftgate cluster status: ${error.message}\n`);
  return status.errors.length > 0 ? 1 : 0;
}

function formatStatus(status: ClusterStatus): string {
  const lines = [`Context: ${status.context}`, "", "Deployments:"];
  if (status.deployments.length === 0) lines.push("  (none readable)");
  for (const d of status.deployments) {
    lines.push(
      `  ${d.namespace}/${d.name}  ${d.ready}/${d.desired}${d.available ? "" : "  NOT AVAILABLE"}  ${d.images.join(", ")}`,
    );
  }
  lines.push("", "Argo CD applications:");
  if (status.applications.length === 0) lines.push("  (none readable)");
  for (const a of status.applications) {
    lines.push(
      `  ${a.namespace}/${a.name}  ${a.sync} ${a.revision?.slice(0, 12) ?? "-"}  ${a.health}  ${a.operation ?? ""}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/** The `shiftgate cluster ...` sub-commands. */
export const clusterCommands: readonly Command[] = [
  {
    words: ["cluster", "status"],
    usage: "cluster status [--kubeconfig FILE] [--context NAME] [--namespace NS ...] [--timeout S] [--json]",
    summary: "Odoo deployments and Argo CD applications running in a cluster (exit 1 if a source failed)",
    run: clusterStatusCommand,
  },
];
