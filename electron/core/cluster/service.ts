import { AppError } from "../../../shared/contract/errors";
import type {
  ClusterConfig,
  ClusterEnvironments,
  ClusterSourceError,
  DriftItem,
  EnvironmentName,
} from "../../../shared/contract/methods/cluster";
import type { Clock } from "../clock";
import type { ClusterApi } from "./client";
import { type ApprovedEnvironment, findDrift, type RunningEnvironment } from "./drift";
import {
  buildEnvironmentView,
  byPipelineOrder,
  type ReadKey,
  type ReadOutcome,
  readId,
  readsFor,
} from "./environments";
import { ClusterReadError, isTransient } from "./errors";
import { toApplicationView, toDeploymentView, toProjectView } from "./model";
import { noRetry, readApplications, readDeployments, readProjects } from "./read";
import type { PendingRelease } from "./release-judge";
import { type ResumableWatch, startResumableWatch } from "./watch";

/** How the service reaches a cluster: one client per context of the configured kubeconfig. */
export type ConnectCluster = (config: ClusterConfig, context: string) => Promise<ClusterApi>;

export interface ClusterServiceDeps {
  readonly clock: Clock;
  readonly readConfig: () => ClusterConfig | null;
  readonly connect: ConnectCluster;
  /** Results younger than this are served from memory (the view polls; the cluster need not be asked each time). */
  readonly freshMs?: number;
  /** First wait after a failure; doubled per failure up to maxBackoffMs. */
  readonly backoffMs?: number;
  readonly maxBackoffMs?: number;
  /**
   * What approved changes allow in an environment (e.g. approvedFromRepo over the GitOps working copy); drift is
   * empty while this is absent or answers null.
   */
  readonly approved?: (
    environment: EnvironmentName,
  ) => ApprovedEnvironment | null | Promise<ApprovedEnvironment | null>;
  /** Releases awaiting validation per environment (from the register's "validating" changes). */
  readonly pendingReleases?: (
    environment: EnvironmentName,
  ) => readonly PendingRelease[] | Promise<readonly PendingRelease[]>;
  /**
   * Keeps each source current by watch after its first read, so polls are answered from memory. Watches stop
   * once nobody asked for the view for idleMs.
   */
  readonly live?: { readonly sleep: (ms: number) => Promise<void>; readonly idleMs: number };
}

interface Slot {
  outcome: ReadOutcome | null;
  failures: number;
  inFlight: Promise<ReadOutcome> | null;
  watch: ResumableWatch | null;
  /** True while the watch holds the current state. */
  live: boolean;
}

const API_PATH: Record<ReadKey["kind"], string> = {
  deployments: "/apis/apps/v1/namespaces/{ns}/deployments",
  applications: "/apis/argoproj.io/v1alpha1/namespaces/{ns}/applications",
  appprojects: "/apis/argoproj.io/v1alpha1/namespaces/{ns}/appprojects",
};

function outcomeOf(kind: ReadKey["kind"], items: readonly unknown[], checkedAt: string): ReadOutcome {
  const base = { error: null, retryAt: null, checkedAt };
  const mapped = <T>(map: (item: unknown) => T | null) => items.map(map).filter((v): v is T => v !== null);
  switch (kind) {
    case "deployments":
      return { ...base, deployments: mapped(toDeploymentView) };
    case "applications":
      return { ...base, applications: mapped(toApplicationView) };
    case "appprojects":
      return { ...base, projects: mapped(toProjectView) };
  }
}

/**
 * Keeps the cluster view: reads what each environment needs, at most once at a time per source, serves fresh
 * results from memory and, after a failure, waits with exponential backoff before asking that source again.
 * Every read is bounded by the client's timeout, so a dead cluster never holds up a call for long.
 */
export class ClusterService {
  private readonly slots = new Map<string, Slot>();
  private readonly clients = new Map<string, Promise<ClusterApi>>();
  private configVersion: string | null = null;
  private lastAccess = 0;

  constructor(private readonly deps: ClusterServiceDeps) {}

  /** The environments side by side, development → production. */
  async environments(refresh = false): Promise<ClusterEnvironments> {
    const config = this.deps.readConfig();
    const now = this.deps.clock.now();
    this.lastAccess = now.getTime();
    if (!config || config.environments.length === 0) {
      return {
        configured: false,
        kubeconfigPath: config?.kubeconfig.path ?? null,
        generatedAt: now.toISOString(),
        environments: [],
      };
    }
    this.resetOnChange(config);
    const keys = new Map<string, ReadKey>();
    for (const env of config.environments) for (const key of readsFor(env)) keys.set(readId(key), key);
    const outcomes = new Map<string, ReadOutcome>();
    const approvals = new Map<EnvironmentName, ApprovedEnvironment | null>();
    const pending = new Map<EnvironmentName, readonly PendingRelease[]>();
    await Promise.all([
      ...[...keys].map(async ([id, key]) => {
        outcomes.set(id, await this.outcome(config, id, key, refresh));
      }),
      ...config.environments.map(async (env) => {
        approvals.set(env.name, await this.approvedFor(env.name));
      }),
      ...config.environments.map(async (env) => {
        pending.set(env.name, await this.pendingFor(env.name));
      }),
    ]);
    const drift = (running: RunningEnvironment): readonly DriftItem[] => {
      const approved = approvals.get(running.environment) ?? null;
      return approved ? findDrift(running, approved) : [];
    };
    const at = this.deps.clock.now();
    return {
      configured: true,
      kubeconfigPath: config.kubeconfig.path,
      generatedAt: at.toISOString(),
      environments: [...config.environments]
        .sort(byPipelineOrder)
        .map((env) => buildEnvironmentView(env, outcomes, at, drift, pending.get(env.name) ?? [])),
    };
  }

  /** Stops the watches and forgets cached results and clients (after the configuration changed, or at exit). */
  reset(): void {
    for (const slot of this.slots.values()) slot.watch?.stop();
    this.slots.clear();
    this.clients.clear();
  }

  private resetOnChange(config: ClusterConfig): void {
    const version = JSON.stringify(config);
    if (version !== this.configVersion) this.reset();
    this.configVersion = version;
  }

  private outcome(config: ClusterConfig, id: string, key: ReadKey, refresh: boolean): Promise<ReadOutcome> {
    let slot = this.slots.get(id);
    if (!slot) {
      slot = { outcome: null, failures: 0, inFlight: null, watch: null, live: false };
      this.slots.set(id, slot);
    }
    if (slot.inFlight) return slot.inFlight;
    const now = this.deps.clock.now().getTime();
    const cached = slot.outcome;
    if (cached && !refresh) {
      const waiting = cached.error !== null && cached.retryAt !== null && now < Date.parse(cached.retryAt);
      const fresh =
        cached.error === null && (current(slot) || now - Date.parse(cached.checkedAt) < (this.deps.freshMs ?? 5000));
      if (waiting || fresh) return Promise.resolve(cached);
    }
    const target = slot;
    target.inFlight = this.read(config, key, target).finally(() => {
      target.inFlight = null;
    });
    return target.inFlight;
  }

  private async read(config: ClusterConfig, key: ReadKey, slot: Slot): Promise<ReadOutcome> {
    try {
      const api = await this.client(config, key.context);
      const base = { error: null, retryAt: null };
      let outcome: ReadOutcome;
      if (key.kind === "deployments") {
        const deployments = await readDeployments(api, [key.namespace], noRetry);
        outcome = { ...base, deployments, checkedAt: this.deps.clock.now().toISOString() };
      } else if (key.kind === "applications") {
        const applications = await readApplications(api, key.namespace, noRetry);
        outcome = { ...base, applications, checkedAt: this.deps.clock.now().toISOString() };
      } else {
        const projects = await readProjects(api, key.namespace, noRetry);
        outcome = { ...base, projects, checkedAt: this.deps.clock.now().toISOString() };
      }
      slot.failures = 0;
      slot.outcome = outcome;
      if (this.deps.live && !slot.watch) slot.watch = this.follow(key, api, slot, this.deps.live);
      return outcome;
    } catch (error) {
      slot.failures++;
      const sourceError = toSourceError(error, key.kind);
      const base = this.deps.backoffMs ?? 30_000;
      const max = this.deps.maxBackoffMs ?? 300_000;
      // Credentials and missing resources do not heal by themselves: ask again at the longest interval.
      const wait = isTransient(sourceError.kind) ? Math.min(base * 2 ** (slot.failures - 1), max) : max;
      const now = this.deps.clock.now();
      // Keep what was last read: a flaky cluster still shows its last known state beside the error.
      const previous = slot.outcome;
      const outcome: ReadOutcome = {
        deployments: previous?.deployments,
        applications: previous?.applications,
        projects: previous?.projects,
        error: sourceError,
        checkedAt: now.toISOString(),
        retryAt: new Date(now.getTime() + wait).toISOString(),
      };
      slot.outcome = outcome;
      return outcome;
    }
  }

  private follow(
    key: ReadKey,
    api: ClusterApi,
    slot: Slot,
    live: NonNullable<ClusterServiceDeps["live"]>,
  ): ResumableWatch {
    const idle = () => this.deps.clock.now().getTime() - this.lastAccess > live.idleMs;
    const stopIfIdle = () => {
      if (!idle()) return false;
      watch.stop();
      slot.watch = null;
      slot.live = false;
      return true;
    };
    const watch = startResumableWatch({
      api,
      path: API_PATH[key.kind].replace("{ns}", encodeURIComponent(key.namespace)),
      source: key.kind,
      what: `the ${key.kind} in namespace ${key.namespace}`,
      list: () =>
        key.kind === "deployments" ? api.listDeployments(key.namespace) : api.listArgo(key.kind, key.namespace),
      onChange: (objects) => {
        if (stopIfIdle()) return;
        slot.outcome = outcomeOf(key.kind, [...objects.values()], this.deps.clock.now().toISOString());
      },
      onLive: (isLive) => {
        if (!stopIfIdle()) slot.live = isLive;
      },
      sleep: live.sleep,
    });
    return watch;
  }

  private async approvedFor(environment: EnvironmentName): Promise<ApprovedEnvironment | null> {
    try {
      return (await this.deps.approved?.(environment)) ?? null;
    } catch {
      // Without a readable repository there is nothing to compare with: no drift is claimed either way.
      return null;
    }
  }

  private async pendingFor(environment: EnvironmentName): Promise<readonly PendingRelease[]> {
    try {
      return (await this.deps.pendingReleases?.(environment)) ?? [];
    } catch {
      return [];
    }
  }

  /**
   * The image ids (`registry/name@sha256:…`) the environment's pods run, read now from every namespace the cluster
   * settings give it; null when no cluster is configured for the environment. A failed read is an AppError
   * (cluster) that names the environment.
   */
  async imageIds(environment: EnvironmentName): Promise<readonly string[] | null> {
    const config = this.deps.readConfig();
    const env = config?.environments.find((e) => e.name === environment);
    if (!config || !env) return null;
    try {
      const api = await this.client(config, env.context);
      const ids: string[] = [];
      for (const namespace of env.namespaces)
        for (const pod of (await api.listPods(namespace)).items) ids.push(...podImageIds(pod));
      return ids;
    } catch (error) {
      const cause = toSourceError(error, "pods");
      throw new AppError(
        "cluster",
        `Could not read which images run in ${environment} (${env.context}): ${cause.message}. Try again when the cluster answers.`,
      );
    }
  }

  private client(config: ClusterConfig, context: string): Promise<ClusterApi> {
    let api = this.clients.get(context);
    if (!api) {
      api = this.deps.connect(config, context);
      // A kubeconfig that failed to load is tried again on the next read, not remembered as broken.
      api.catch(() => this.clients.delete(context));
      this.clients.set(context, api);
    }
    return api;
  }
}

function current(slot: Slot): boolean {
  return slot.watch !== null && slot.live;
}

function toSourceError(error: unknown, source: string): ClusterSourceError {
  if (error instanceof ClusterReadError) return error.toSourceError();
  return { source, kind: "server", message: error instanceof Error ? error.message : String(error) };
}

/** The image ids a pod's containers report (`status.containerStatuses[].imageID`, as the kubelet pulled them). */
function podImageIds(pod: unknown): string[] {
  const statuses = (pod as { status?: { containerStatuses?: unknown } }).status?.containerStatuses;
  if (!Array.isArray(statuses)) return [];
  return statuses.flatMap((c) => {
    const id = (c as { imageID?: unknown }).imageID;
    return typeof id === "string" && id ? [id] : [];
  });
}
