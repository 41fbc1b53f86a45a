import { existsSync, statSync } from "node:fs";
import { delimiter, join, resolve } from "node:path";
import type { KubeConfig } from "@kubernetes/client-node";
import type { KubeContextInfo } from "../../../shared/contract/methods/cluster";
import { ClusterReadError } from "./errors";
import { kubeLib } from "./kube-lib";

/** A loaded kubeconfig and the file it came from (null for pasted text not yet saved). */
export interface LoadedKubeconfig {
  readonly config: KubeConfig;
  readonly path: string | null;
}

/** Where `kubectl` looks: the first existing file of $KUBECONFIG, else ~/.kube/config. */
export function defaultKubeconfigPath(env: Readonly<Record<string, string | undefined>>, home: string): string {
  const listed = (env.KUBECONFIG ?? "").split(delimiter).filter((p) => p.length > 0);
  return listed.find((p) => existsSync(p)) ?? listed[0] ?? join(home, ".kube", "config");
}

// A kubeconfig is kilobytes; a bound keeps a device or a huge file from being read whole.
const MAX_KUBECONFIG_BYTES = 1024 * 1024;

/**
 * Loads a kubeconfig file. A path that cannot be one (missing, a folder, unreadable, too large, not a kubeconfig)
 * gets one and the same answer, so a page that may name any path cannot learn which files exist.
 */
export async function loadKubeconfigFile(path: string, cwd = process.cwd()): Promise<LoadedKubeconfig> {
  const file = resolve(cwd, path);
  const unusable = new ClusterReadError(
    "kubeconfig",
    "kubeconfig",
    `There is no kubeconfig at ${file} that Shiftgate can use. Choose the file your cluster administrator gave you.`,
  );
  const stat = statSync(file, { throwIfNoEntry: false });
  if (!stat?.isFile() || stat.size > MAX_KUBECONFIG_BYTES) throw unusable;
  const config = new (await kubeLib()).KubeConfig();
  try {
    config.loadFromFile(file);
  } catch {
    throw unusable;
  }
  if (config.getContexts().length === 0) throw unusable;
  return { config, path: file };
}

/** Loads pasted kubeconfig text (checked before it is saved anywhere). */
export async function loadKubeconfigText(text: string): Promise<LoadedKubeconfig> {
  const config = new (await kubeLib()).KubeConfig();
  try {
    config.loadFromString(text);
  } catch (error) {
    throw unreadable("the pasted text", error);
  }
  checkUsable(config, "the pasted text");
  return { config, path: null };
}

function unreadable(where: string, error: unknown): ClusterReadError {
  const detail = error instanceof Error ? error.message.split("\n")[0]?.slice(0, 200) : String(error);
  return new ClusterReadError(
    "kubeconfig",
    "kubeconfig",
    `The kubeconfig in ${where} cannot be read (${detail}). It must be the YAML file kubectl uses.`,
  );
}

function checkUsable(config: KubeConfig, where: string): void {
  if (config.getContexts().length === 0) {
    throw new ClusterReadError("kubeconfig", "kubeconfig", `The kubeconfig in ${where} holds no contexts.`);
  }
}

/** The contexts of a kubeconfig, without users or credentials. */
export function listContexts(config: KubeConfig): KubeContextInfo[] {
  return config.getContexts().map((c) => ({
    name: c.name,
    cluster: c.cluster,
    server: config.getCluster(c.cluster)?.server ?? null,
    namespace: c.namespace ?? null,
  }));
}

/** A copy of the kubeconfig switched to one context, so several contexts can be read side by side. */
export async function forContext(config: KubeConfig, context: string | undefined): Promise<KubeConfig> {
  const name = context ?? config.getCurrentContext();
  const ctx = config.getContextObject(name);
  if (!ctx) {
    const known = config
      .getContexts()
      .map((c) => c.name)
      .join(", ");
    throw new ClusterReadError(
      "kubeconfig",
      "kubeconfig",
      `The kubeconfig has no context "${name}" (it has: ${known || "none"}).`,
    );
  }
  const copy = new (await kubeLib()).KubeConfig();
  copy.loadFromOptions({
    clusters: config.getClusters(),
    users: config.getUsers(),
    contexts: config.getContexts(),
    currentContext: name,
  });
  return copy;
}
