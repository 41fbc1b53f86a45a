import type {
  ApplicationView,
  ClusterSourceError,
  ClusterStatus,
  DeploymentView,
} from "../../../shared/contract/methods/cluster";
import type { ArgoPlural, ClusterApi, KubeList } from "./client";
import { ClusterReadError, isTransient, translateKubeError } from "./errors";
import { type ProjectView, toApplicationView, toDeploymentView, toProjectView } from "./model";

/** How often to ask again within one read, and how to wait (injected: tests do not sleep). */
interface RetryPolicy {
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly sleep: (ms: number) => Promise<void>;
}

/** The real wait. */
export const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** No retries: for callers that retry on their own schedule (the cluster view's backoff). */
export const noRetry: RetryPolicy = { attempts: 1, baseDelayMs: 0, sleep: async () => undefined };

/** Runs one read, translating its error and retrying transient failures with exponential backoff. */
async function withRetry<T>(
  api: ClusterApi,
  source: string,
  what: string,
  policy: RetryPolicy,
  read: () => Promise<T>,
): Promise<T> {
  const subject = { source, what, context: api.context, server: api.server, timeoutMs: api.timeoutMs };
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      const translated = translateKubeError(error, subject);
      if (attempt >= policy.attempts || !isTransient(translated.kind)) throw translated;
      await policy.sleep(policy.baseDelayMs * 2 ** (attempt - 1));
    }
  }
}

function mapItems<T>(list: KubeList, map: (item: unknown) => T | null): T[] {
  const out: T[] = [];
  for (const item of list.items) {
    const mapped = map(item);
    if (mapped !== null) out.push(mapped);
  }
  return out;
}

/**
 * Reads namespaces one by one. With `denied` given, namespaces the credentials may not read (403) or where the
 * resource does not exist (404) are skipped; if none could be read at all, `denied` is thrown instead.
 */
async function perNamespace<T>(
  namespaces: readonly string[],
  read: (namespace: string) => Promise<T[]>,
  denied?: ClusterReadError,
): Promise<T[]> {
  let readable = 0;
  const results = await Promise.all(
    namespaces.map(async (ns) => {
      try {
        const items = await read(ns);
        readable++;
        return items;
      } catch (error) {
        if (denied && error instanceof ClusterReadError && (error.kind === "forbidden" || error.kind === "not-found")) {
          return [];
        }
        throw error;
      }
    }),
  );
  if (denied && readable === 0) throw denied;
  return results.flat();
}

/**
 * Reads deployments in the given namespaces, or in every namespace the credentials may list:
 * cluster-wide when allowed, else namespace by namespace.
 */
export async function readDeployments(
  api: ClusterApi,
  namespaces: readonly string[] | undefined,
  policy: RetryPolicy,
): Promise<DeploymentView[]> {
  const one = (ns: string) =>
    withRetry(api, "deployments", `the deployments in namespace ${ns}`, policy, () => api.listDeployments(ns)).then(
      (list) => mapItems(list, toDeploymentView),
    );
  if (namespaces) return perNamespace(namespaces, one);
  try {
    const list = await withRetry(api, "deployments", "the deployments of all namespaces", policy, () =>
      api.listDeployments(),
    );
    return mapItems(list, toDeploymentView);
  } catch (error) {
    if (!(error instanceof ClusterReadError) || error.kind !== "forbidden") throw error;
    const all = await withRetry(api, "deployments", "the list of namespaces", policy, () => api.listNamespaces()).catch(
      () => Promise.reject(error),
    );
    return perNamespace(all, one, error);
  }
}

/** Reads Argo CD custom resources in one namespace, or in every namespace that holds them. */
async function readArgo<T>(
  api: ClusterApi,
  plural: ArgoPlural,
  namespace: string | undefined,
  policy: RetryPolicy,
  map: (item: unknown) => T | null,
): Promise<T[]> {
  const label = plural === "applications" ? "Argo CD applications" : "Argo CD projects";
  const one = (ns: string) =>
    withRetry(api, plural, `the ${label} in namespace ${ns}`, policy, () => api.listArgo(plural, ns)).then((list) =>
      mapItems(list, map),
    );
  if (namespace) return one(namespace);
  try {
    return mapItems(await withRetry(api, plural, `the ${label}`, policy, () => api.listArgo(plural)), map);
  } catch (error) {
    if (!(error instanceof ClusterReadError) || error.kind !== "forbidden") throw error;
    const all = await withRetry(api, plural, "the list of namespaces", policy, () => api.listNamespaces()).catch(() =>
      Promise.reject(error),
    );
    return perNamespace(all, one, error);
  }
}

/** Reads the applications (all namespaces unless one is named). */
export const readApplications = (api: ClusterApi, namespace: string | undefined, policy: RetryPolicy) =>
  readArgo<ApplicationView>(api, "applications", namespace, policy, toApplicationView);

/** Reads the AppProjects with their sync windows. */
export const readProjects = (api: ClusterApi, namespace: string | undefined, policy: RetryPolicy) =>
  readArgo<ProjectView>(api, "appprojects", namespace, policy, toProjectView);

/** Settles a read into its value or its per-source error, so one failing source never hides the others. */
export async function settle<T>(
  read: Promise<T>,
  source: string,
): Promise<{ value: T | null; error: ClusterSourceError | null }> {
  try {
    return { value: await read, error: null };
  } catch (error) {
    const translated =
      error instanceof ClusterReadError
        ? error
        : new ClusterReadError("server", source, error instanceof Error ? error.message : String(error));
    return { value: null, error: translated.toSourceError() };
  }
}

/** What `shiftgate cluster status` prints: deployments and applications, with every source that failed. */
export async function readClusterStatus(
  api: ClusterApi,
  options: { readonly namespaces?: readonly string[]; readonly policy: RetryPolicy },
): Promise<ClusterStatus> {
  // Named namespaces are read one by one, so one that cannot be read does not hide the others.
  const deploymentReads = options.namespaces
    ? options.namespaces.map((ns) => settle(readDeployments(api, [ns], options.policy), "deployments"))
    : [settle(readDeployments(api, undefined, options.policy), "deployments")];
  const [applications, ...deploymentResults] = await Promise.all([
    settle(readApplications(api, undefined, options.policy), "applications"),
    ...deploymentReads,
  ]);
  const deployments = {
    value: deploymentResults.flatMap((r) => r.value ?? []),
    errors: deploymentResults.flatMap((r) => (r.error ? [r.error] : [])),
  };
  const byKey = (a: { namespace: string; name: string }, b: { namespace: string; name: string }) =>
    compareKeys(`${a.namespace}/${a.name}`, `${b.namespace}/${b.name}`);
  return {
    context: api.context,
    deployments: deployments.value.sort(byKey).map((d) => ({
      namespace: d.namespace,
      name: d.name,
      images: d.images,
      ready: d.ready,
      desired: d.desired,
      available: d.available,
    })),
    applications: (applications.value ?? []).sort(byKey).map((a) => ({
      namespace: a.namespace,
      name: a.name,
      sync: a.sync,
      revision: a.revision,
      health: a.health,
      operation: a.operation,
    })),
    errors: [...deployments.errors, ...(applications.error ? [applications.error] : [])].map(
      (e: ClusterSourceError) => ({
        source: e.source,
        message: e.message,
      }),
    ),
  };
}

/** Byte-order comparison: the same order on every machine, whatever its locale. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
