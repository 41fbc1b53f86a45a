import { homedir } from "node:os";
import type { ClusterStatus } from "../../../shared/contract/methods/cluster";
import { createClusterApi } from "../../core/cluster/client";
import { confirmKubeconfigPrograms, inspectKubeconfigFile } from "../../core/cluster/exec-trust";
import {
  defaultKubeconfigPath,
  forContext,
  kubeconfigFiles,
  loadKubeconfigFile,
  loadKubeconfigFiles,
} from "../../core/cluster/kubeconfig";
import { readClusterStatus, realSleep } from "../../core/cluster/read";
import { parseFlags, UsageError } from "../args";
import { type CliIo, type ExitCode, printJson } from "../io";
import { openCliCore } from "../open-core";
import type { Command } from "./index";

const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * `shiftgate cluster status`: what runs in the cluster. It reads the cluster directly, without opening the
 * register, so a CI job can run it with nothing but a kubeconfig.
 */
async function clusterStatusCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
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
  // As kubectl: --kubeconfig is one file; else every file of KUBECONFIG, merged; else ~/.kube/config.
  const paths = flags.kubeconfig !== undefined ? [flags.kubeconfig] : kubeconfigFiles(io.env, homedir());
  // A missing file, unreadable YAML or unknown context is an AppError: main prints one line and exits 2.
  const loaded =
    paths.length === 1
      ? await loadKubeconfigFile(paths[0] as string, io.cwd)
      : await loadKubeconfigFiles(paths, io.cwd);
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

/**
 * `shiftgate cluster trust-exec --kubeconfig FILE [--yes] [--data-dir DIR]`: shows the programs a kubeconfig runs
 * to log in and, with --yes, lets the app run them for exactly this file's bytes. The only way to confirm one: no
 * page can, so a compromised page cannot choose a program to execute.
 */
async function clusterTrustExecCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const flags = parseFlags(argv, {
    kubeconfig: { type: "string" },
    yes: { type: "boolean" },
    "data-dir": { type: "string" },
  });
  const path = flags.kubeconfig ?? defaultKubeconfigPath(io.env, homedir());
  const print = await inspectKubeconfigFile(path, io.cwd);
  const programs = print.programs;
  if (programs.length === 0) {
    io.stdout(`${print.path} runs no program to log in; there is nothing to confirm.\n`);
    return 0;
  }
  const shown = [`Kubeconfig: ${print.path}`, `SHA-256:    ${print.sha256}`, "Programs it runs to log in:"];
  shown.push(...programs.map((p) => `  ${p}`));
  if (!flags.yes) {
    io.stdout(`${shown.join("\n")}\nIf these are the programs you expect, run this again with --yes.\n`);
    return 1;
  }
  const core = await openCliCore(io, flags["data-dir"], undefined, "write");
  try {
    confirmKubeconfigPrograms(core.services.register.db, core.services.clock, print, programs);
  } finally {
    await core.close();
  }
  io.stdout(`${shown.join("\n")}\nConfirmed: Shiftgate may run these programs for this file until it changes.\n`);
  return 0;
}

/** The `shiftgate cluster ...` sub-commands. */
export const clusterCommands: readonly Command[] = [
  {
    words: ["cluster", "status"],
    usage: "cluster status [--kubeconfig FILE] [--context NAME] [--namespace NS ...] [--timeout S] [--json]",
    summary: "Odoo deployments and Argo CD applications running in a cluster (exit 1 if a source failed)",
    run: clusterStatusCommand,
  },
  {
    words: ["cluster", "trust-exec"],
    usage: "cluster trust-exec [--kubeconfig FILE] [--yes] [--data-dir DIR]",
    summary: "Show the programs a kubeconfig runs to log in; --yes lets the app run them for this exact file",
    run: clusterTrustExecCommand,
  },
];
