import {
  type ApplicationView,
  type ClusterSourceError,
  type DeploymentView,
  type DriftItem,
  ENVIRONMENT_NAMES,
  type EnvironmentConfig,
  type EnvironmentView,
} from "../../../shared/contract/methods/cluster";
import type { RunningEnvironment } from "./drift";
import type { ProjectView } from "./model";
import { compareKeys } from "./read";
import { checkReleases, type PendingRelease } from "./release-judge";
import { syncPermission } from "./sync-windows";

/** One read the cluster view needs: a kind in a namespace through a context. */
export interface ReadKey {
  readonly kind: "deployments" | "applications" | "appprojects";
  readonly context: string;
  readonly namespace: string;
}

/** The stable string form of a read, for deduplication and caching. */
export function readId(key: ReadKey): string {
  return `${key.kind}|${key.context}|${key.namespace}`;
}

/** The outcome of one read, as cached between refreshes. */
export interface ReadOutcome {
  readonly deployments?: readonly DeploymentView[];
  readonly applications?: readonly ApplicationView[];
  readonly projects?: readonly ProjectView[];
  readonly error: ClusterSourceError | null;
  readonly checkedAt: string;
  readonly retryAt: string | null;
}

/** Every read an environment needs: deployments per Odoo namespace, applications and projects where Argo CD runs. */
export function readsFor(env: EnvironmentConfig): ReadKey[] {
  return [
    ...env.namespaces.map((namespace) => ({ kind: "deployments" as const, context: env.context, namespace })),
    { kind: "applications", context: env.argocd.context, namespace: env.argocd.namespace },
    { kind: "appprojects", context: env.argocd.context, namespace: env.argocd.namespace },
  ];
}

/** Orders environments development → production. */
export function byPipelineOrder(a: { readonly name: string }, b: { readonly name: string }): number {
  const ix = (n: string) => (ENVIRONMENT_NAMES as readonly string[]).indexOf(n);
  return ix(a.name) - ix(b.name);
}

const byKey = (a: { namespace: string; name: string }, b: { namespace: string; name: string }) =>
  compareKeys(`${a.namespace}/${a.name}`, `${b.namespace}/${b.name}`);

/**
 * Builds one environment's view from the outcomes of its reads: what runs, Argo CD's state, whether a sync is
 * allowed now, and every source that failed with when it is retried.
 */
export function buildEnvironmentView(
  env: EnvironmentConfig,
  outcomes: ReadonlyMap<string, ReadOutcome>,
  now: Date,
  drift: (running: RunningEnvironment) => readonly DriftItem[] = () => [],
  pending: readonly PendingRelease[] = [],
): EnvironmentView {
  const reads = readsFor(env).map((key) => ({ key, outcome: outcomes.get(readId(key)) }));
  const errors: ClusterSourceError[] = [];
  const seen = new Set<string>();
  let retryAt: string | null = null;
  let checkedAt: string | null = null;
  for (const { outcome } of reads) {
    if (!outcome) continue;
    if (checkedAt === null || outcome.checkedAt < checkedAt) checkedAt = outcome.checkedAt;
    if (!outcome.error) continue;
    // The same failure (e.g. an unreachable cluster) on several namespaces is said once.
    if (!seen.has(outcome.error.message)) errors.push(outcome.error);
    seen.add(outcome.error.message);
    if (outcome.retryAt && (retryAt === null || outcome.retryAt < retryAt)) retryAt = outcome.retryAt;
  }
  const deployments = reads
    .flatMap(({ outcome }) => outcome?.deployments ?? [])
    .slice()
    .sort(byKey);
  const namespaces = new Set(env.namespaces);
  const appOutcome = reads.find((r) => r.key.kind === "applications")?.outcome;
  const applications = (appOutcome?.applications ?? [])
    .filter((a) => a.destinationNamespace !== null && namespaces.has(a.destinationNamespace))
    .slice()
    .sort(byKey);
  const projectOutcome = reads.find((r) => r.key.kind === "appprojects")?.outcome;
  const usedProjects = new Set(applications.map((a) => a.project));
  const sync = projectOutcome?.projects
    ? syncPermission(
        projectOutcome.projects.filter((p) => usedProjects.has(p.name)).flatMap((p) => p.windows),
        applications.map((a) => ({ name: a.name, namespace: a.destinationNamespace })),
        now,
      )
    : null;
  const failed = reads.filter((r) => r.outcome?.error).length;
  const state = failed === 0 ? "ok" : failed === reads.length ? "error" : "partial";
  return {
    name: env.name,
    context: env.context,
    namespaces: env.namespaces,
    argocdNamespace: env.argocd.namespace,
    state,
    errors,
    retryAt,
    checkedAt,
    deployments,
    applications,
    sync,
    // Judged only on what could be read: a release is not failed because the cluster did not answer.
    pendingReleases: state === "error" ? [] : checkReleases(pending, { applications, deployments }, now),
    drift: state === "error" ? [] : drift({ environment: env.name, deployments, applications }),
  };
}
