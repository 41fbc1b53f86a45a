import { existsSync, readFileSync, statSync } from "node:fs";
import { delimiter, dirname, isAbsolute, join, resolve, sep } from "node:path";
import type { Cluster, KubeConfig, User } from "@kubernetes/client-node";
import type { KubeContextInfo } from "../../../shared/contract/methods/cluster";
import { ClusterReadError } from "./errors";
import { kubeLib } from "./kube-lib";

/** A loaded kubeconfig and the file it came from (null for pasted text not yet saved). */
export interface LoadedKubeconfig {
  readonly config: KubeConfig;
  readonly path: string | null;
}

/** The files kubectl reads and merges: every entry of $KUBECONFIG, else ~/.kube/config. */
export function kubeconfigFiles(env: Readonly<Record<string, string | undefined>>, home: string): string[] {
  const listed = (env.KUBECONFIG ?? "").split(delimiter).filter((p) => p.length > 0);
  return listed.length > 0 ? listed : [join(home, ".kube", "config")];
}

/** The first existing file of $KUBECONFIG, else ~/.kube/config (where a single file is wanted). */
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
  const config = await readKubeconfig(file, unusable);
  if (config.getContexts().length === 0) throw unusable;
  return { config, path: file };
}

async function readKubeconfig(file: string, unusable: ClusterReadError): Promise<KubeConfig> {
  const stat = statSync(file, { throwIfNoEntry: false });
  if (!stat?.isFile() || stat.size > MAX_KUBECONFIG_BYTES) throw unusable;
  const config = new (await kubeLib()).KubeConfig();
  try {
    // loadFromFile resolves certificate files against the file's folder, as kubectl does.
    config.loadFromFile(file);
  } catch {
    throw unusable;
  }
  resolveExecCommands(config, dirname(file));
  return config;
}

/**
 * kubectl (client-go ResolveLocalPaths) resolves an exec plugin's command against the folder of the kubeconfig
 * that names it when the command holds a path separator (`./bin/login`); a bare name is looked up in PATH.
 */
export function resolveExecCommands(config: KubeConfig, folder: string): void {
  for (const user of config.getUsers()) {
    const exec: unknown = user.exec;
    if (typeof exec !== "object" || exec === null) continue;
    const e = exec as { command?: unknown };
    if (typeof e.command === "string" && e.command.includes(sep) && !isAbsolute(e.command))
      e.command = resolve(folder, e.command);
  }
}

/**
 * Loads the kubeconfig files kubectl would read and merges them by kubectl's rules (client-go's loader): files
 * that do not exist are skipped; for clusters, users and contexts the first file to name one wins; the first file
 * that sets current-context wins. Paths in each file are resolved against that file's folder.
 */
export async function loadKubeconfigFiles(
  paths: readonly string[],
  cwd = process.cwd(),
  readOne: (file: string) => Promise<KubeConfig> = readListedKubeconfig,
): Promise<LoadedKubeconfig> {
  const files = paths.map((p) => resolve(cwd, p));
  const present = files.filter((f) => statSync(f, { throwIfNoEntry: false }) !== undefined);
  if (present.length === 0)
    throw new ClusterReadError(
      "kubeconfig",
      "kubeconfig",
      `There is no kubeconfig file: none of ${files.join(", ")} (KUBECONFIG) exists. Set KUBECONFIG or --kubeconfig to the file your cluster administrator gave you.`,
    );
  const clusters = new Map<string, Cluster>();
  const users = new Map<string, User>();
  const contexts = new Map<string, ReturnType<KubeConfig["getContexts"]>[number]>();
  let current = "";
  for (const file of present) {
    const config = await readOne(file);
    for (const c of config.getClusters()) if (!clusters.has(c.name)) clusters.set(c.name, c);
    for (const u of config.getUsers()) if (!users.has(u.name)) users.set(u.name, u);
    for (const c of config.getContexts()) if (!contexts.has(c.name)) contexts.set(c.name, c);
    if (!current) current = config.getCurrentContext() ?? "";
  }
  const merged = new (await kubeLib()).KubeConfig();
  merged.loadFromOptions({
    clusters: [...clusters.values()],
    users: [...users.values()],
    contexts: [...contexts.values()],
    currentContext: current,
  });
  checkUsable(merged, present.join(delimiter));
  return { config: merged, path: present[0] ?? null };
}

/** One file of a KUBECONFIG list (it may hold only users or clusters: the merge must have a context). */
export function readListedKubeconfig(file: string): Promise<KubeConfig> {
  return readKubeconfig(
    file,
    new ClusterReadError(
      "kubeconfig",
      "kubeconfig",
      `The kubeconfig ${file} (listed in KUBECONFIG) cannot be read as one.`,
    ),
  );
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
  const cluster = config.getCluster(ctx.cluster);
  if (cluster?.server.startsWith("http:") && !isLoopback(cluster.server))
    throw new ClusterReadError(
      "kubeconfig",
      "kubeconfig",
      `The context "${name}" talks to ${cluster.server} over plain http: the credentials would cross the network unencrypted. Use the cluster's https address, or run kubectl proxy on this computer and use http://127.0.0.1.`,
    );
  if (cluster) checkCertificateAuthority(cluster, name);
  const copy = new (await kubeLib()).KubeConfig();
  copy.loadFromOptions({
    // A loopback http server (kubectl proxy) has no TLS to verify; the client refuses http unless told so.
    clusters: config
      .getClusters()
      .map((c) => (isLoopback(c.server) && c.server.startsWith("http:") ? { ...c, skipTLSVerify: true } : c)),
    users: config.getUsers().map((u) => (u.name === ctx.user ? withExecInfo(u, cluster) : u)),
    contexts: config.getContexts(),
    currentContext: name,
  });
  return copy;
}

/**
 * A certificate authority that is not a PEM certificate is ignored by TLS, and the server then "cannot be
 * verified": say what is wrong with the kubeconfig instead. (A missing file is reported when it is read.)
 */
function checkCertificateAuthority(cluster: Cluster, context: string): void {
  let text: string | null = null;
  try {
    text = cluster.caData
      ? Buffer.from(cluster.caData, "base64").toString("utf8")
      : cluster.caFile
        ? readFileSync(cluster.caFile, "utf8")
        : null;
  } catch {
    return;
  }
  if (text !== null && !text.includes("-----BEGIN CERTIFICATE-----"))
    throw new ClusterReadError(
      "kubeconfig",
      "kubeconfig",
      `The certificate authority of context "${context}" (${cluster.caFile ?? "certificate-authority-data"}) is not a PEM certificate. Ask the cluster administrator for the cluster's CA certificate.`,
    );
}

/** True for http(s)://127.x.x.x, ::1 and localhost. */
function isLoopback(server: string): boolean {
  let host: string;
  try {
    host = new URL(server).hostname;
  } catch {
    return false;
  }
  return host === "localhost" || host === "[::1]" || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * kubectl gives every exec plugin KUBERNETES_EXEC_INFO: an ExecCredential naming the API version it expects, that
 * no one can answer a prompt, and (provideClusterInfo) the cluster it logs in to. Plugins such as kubelogin and
 * aws-iam-authenticator read it.
 */
function withExecInfo(user: User, cluster: Cluster | null): User {
  const exec: unknown = user.exec;
  if (typeof exec !== "object" || exec === null) return user;
  const e = exec as { apiVersion?: unknown; provideClusterInfo?: unknown; env?: unknown };
  const spec: Record<string, unknown> = { interactive: false };
  if (e.provideClusterInfo === true && cluster) {
    let ca = cluster.caData;
    try {
      ca ??= cluster.caFile ? readFileSync(cluster.caFile).toString("base64") : undefined;
    } catch {
      ca = undefined;
    }
    spec.cluster = {
      server: cluster.server,
      ...(cluster.tlsServerName ? { "tls-server-name": cluster.tlsServerName } : {}),
      ...(cluster.skipTLSVerify ? { "insecure-skip-tls-verify": true } : {}),
      ...(ca ? { "certificate-authority-data": ca } : {}),
    };
  }
  const info = JSON.stringify({
    kind: "ExecCredential",
    apiVersion: typeof e.apiVersion === "string" ? e.apiVersion : "client.authentication.k8s.io/v1",
    spec,
  });
  const env = Array.isArray(e.env)
    ? (e.env as { name?: unknown }[]).filter((v) => v.name !== "KUBERNETES_EXEC_INFO")
    : [];
  return { ...user, exec: { ...e, env: [...env, { name: "KUBERNETES_EXEC_INFO", value: info }] } };
}
