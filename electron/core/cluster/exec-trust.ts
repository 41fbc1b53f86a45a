import { createHash } from "node:crypto";
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { KubeConfig } from "@kubernetes/client-node";
import type { Clock } from "../clock";
import { osActor } from "../register/actor";
import { appendAudit } from "../register/audit";
import type { Db } from "../register/db";
import { ClusterReadError } from "./errors";
import { kubeLib } from "./kube-lib";
import {
  type LoadedKubeconfig,
  loadKubeconfigFile,
  loadKubeconfigFiles,
  loadKubeconfigText,
  readListedKubeconfig,
  resolveExecCommands,
} from "./kubeconfig";

const TRUST_KEY = "cluster.exec-trust";

/** A kubeconfig file whose login programs the user confirmed (CLI `cluster trust-exec`), bound to its exact bytes. */
interface TrustedKubeconfig {
  /** The file's real path (links resolved). */
  readonly path: string;
  readonly sha256: string;
  readonly programs: readonly string[];
  readonly trustedAt: string;
}

/**
 * The confirmations, kept in the register's settings. Only the CLI writes them (no contract method does), so a
 * page can never confirm a program for itself.
 */
interface ExecTrustStore {
  list(): readonly TrustedKubeconfig[];
  /** Records (or replaces, for the same file) a confirmation; call inside a transaction with its audit row. */
  trust(entry: TrustedKubeconfig): void;
}

/** The confirmations over one register database. */
export function execTrustStore(db: Db): ExecTrustStore {
  const list = (): TrustedKubeconfig[] => {
    const row = db.prepare("SELECT value FROM settings WHERE key = ?").get(TRUST_KEY) as { value: string } | undefined;
    if (!row) return [];
    const parsed: unknown = JSON.parse(row.value);
    return Array.isArray(parsed) ? (parsed as TrustedKubeconfig[]) : [];
  };
  return {
    list,
    trust: (entry) => {
      const next = [...list().filter((e) => e.path !== entry.path), entry];
      db.prepare(
        "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      ).run(TRUST_KEY, JSON.stringify(next));
    },
  };
}

/**
 * Records the user's confirmation of a kubeconfig file's login programs, with its audit row (door cli). For the
 * CLI and the desktop shell's own dialogs only: it is no contract method, so no page can call it.
 */
export function confirmKubeconfigPrograms(
  db: Db,
  clock: Clock,
  file: { readonly path: string; readonly sha256: string },
  programs: readonly string[],
): TrustedKubeconfig {
  const at = clock.now();
  const entry = { path: file.path, sha256: file.sha256, programs, trustedAt: at.toISOString() };
  db.transaction(() => {
    execTrustStore(db).trust(entry);
    appendAudit(
      db,
      [{ action: "cluster.trust-exec", entity: "cluster", entityId: null, after: entry }],
      { door: "cli", at },
      osActor(),
    );
  }).immediate();
  return entry;
}

interface UserAuth {
  readonly exec?: { readonly command?: unknown; readonly args?: unknown };
  readonly authProvider?: { readonly name?: unknown; readonly config?: Record<string, unknown> };
}

/**
 * Every program the kubeconfig would start to log in, as the client library would run it: `exec` plugins, the
 * legacy exec auth-provider, and the `cmd-path` of the gcp and azure auth-providers (run through a shell).
 */
function kubeconfigPrograms(config: KubeConfig): string[] {
  const programs: string[] = [];
  for (const user of config.getUsers() as readonly UserAuth[]) {
    const exec = user.exec;
    if (exec) {
      const args = Array.isArray(exec.args) ? exec.args.map(String) : [];
      programs.push([String(exec.command ?? "(no command)"), ...args].join(" "));
    }
    const provider = user.authProvider;
    if (!provider) continue;
    const cfg = provider.config ?? {};
    if (provider.name === "exec" || cfg.exec) programs.push(`auth-provider exec ${JSON.stringify(cfg.exec ?? cfg)}`);
    if (cfg["cmd-path"]) programs.push(`${String(cfg["cmd-path"])} ${String(cfg["cmd-args"] ?? "")}`.trim());
  }
  return programs;
}

function runsPrograms(where: string, programs: readonly string[], file: string | null): ClusterReadError {
  const confirm = file
    ? `If you trust it, allow it in the desktop app (Go → Allow a Kubeconfig's Login Programs…) or with: shiftgate cluster trust-exec --kubeconfig "${file}"`
    : "Pasted text never runs a program: save it as a file, confirm it with 'shiftgate cluster trust-exec --kubeconfig FILE', then choose that file";
  return new ClusterReadError(
    "kubeconfig",
    "kubeconfig",
    `The kubeconfig in ${where} logs in by running a program (${programs.join("; ")}). Shiftgate runs it only after you confirm it. ${confirm}.`,
  );
}

/** The file's bytes, their SHA-256 and real path: what a confirmation is bound to. */
function kubeconfigFingerprint(path: string): {
  readonly path: string;
  readonly sha256: string;
  readonly bytes: Buffer;
} {
  const real = realpathSync(path);
  const bytes = readFileSync(real);
  return { path: real, sha256: createHash("sha256").update(bytes).digest("hex"), bytes };
}

/**
 * What a confirmation shows and binds: the file's real path, SHA-256 and the programs in those very bytes (a file
 * rewritten between the read and the hash cannot show one program and bind another).
 */
export async function inspectKubeconfigFile(
  path: string,
  cwd = process.cwd(),
): Promise<{ readonly path: string; readonly sha256: string; readonly programs: readonly string[] }> {
  const loaded = await loadKubeconfigFile(path, cwd);
  const print = kubeconfigFingerprint(loaded.path ?? resolve(cwd, path));
  const config = new (await kubeLib()).KubeConfig();
  config.loadFromString(print.bytes.toString("utf8"));
  return { path: print.path, sha256: print.sha256, programs: kubeconfigPrograms(config) };
}

/**
 * Loads a kubeconfig file for a call that came through a door (window, browser, or the contract from the CLI):
 * one that would run a program is refused unless the user confirmed exactly this file's bytes. The config returned
 * is parsed from the very bytes that were checked, so a file swapped in between cannot slip a program through.
 */
export async function loadKubeconfigChecked(
  path: string,
  trusted: readonly TrustedKubeconfig[],
  cwd = process.cwd(),
): Promise<LoadedKubeconfig> {
  const loaded = await loadKubeconfigFile(path, cwd);
  const file = loaded.path ?? resolve(cwd, path);
  return { config: await confirmedConfig(file, loaded.config, trusted), path: file };
}

/** The config itself when it runs no program; else re-read from the very bytes a confirmation names, or refused. */
async function confirmedConfig(
  file: string,
  config: KubeConfig,
  trusted: readonly TrustedKubeconfig[],
): Promise<KubeConfig> {
  if (kubeconfigPrograms(config).length === 0) return config;
  const print = existsSync(file) ? kubeconfigFingerprint(file) : null;
  const confirmed = print && trusted.some((t) => t.path === print.path && t.sha256 === print.sha256);
  if (!print || !confirmed) throw runsPrograms(file, kubeconfigPrograms(config), file);
  const checked = new (await kubeLib()).KubeConfig();
  checked.loadFromString(print.bytes.toString("utf8"));
  checked.makePathsAbsolute(dirname(print.path));
  resolveExecCommands(checked, dirname(print.path));
  return checked;
}

/**
 * The kubeconfig files kubectl would read (KUBECONFIG's list, merged by kubectl's rules), each checked as
 * loadKubeconfigChecked checks one: a file that would run a program must be confirmed, file by file.
 */
export async function loadKubeconfigListChecked(
  paths: readonly string[],
  trusted: readonly TrustedKubeconfig[],
  cwd = process.cwd(),
): Promise<LoadedKubeconfig> {
  if (paths.length === 1) return loadKubeconfigChecked(paths[0] as string, trusted, cwd);
  return loadKubeconfigFiles(paths, cwd, async (file) =>
    confirmedConfig(file, await readListedKubeconfig(file), trusted),
  );
}

/** Loads pasted kubeconfig text: one that would run a program is always refused (nobody chose it as a file). */
export async function loadKubeconfigTextChecked(text: string): Promise<LoadedKubeconfig> {
  const loaded = await loadKubeconfigText(text);
  const programs = kubeconfigPrograms(loaded.config);
  if (programs.length > 0) throw runsPrograms("the pasted text", programs, null);
  return loaded;
}
