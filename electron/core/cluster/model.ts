import type { ApplicationView, DeploymentView, RolloutCondition } from "../../../shared/contract/methods/cluster";

// Objects arrive either as plain JSON (watch streams, custom resources) or as client-node models (typed lists,
// dates turned into Date). These readers accept both, so one mapping serves lists and watches alike.

type Obj = Readonly<Record<string, unknown>>;

function obj(value: unknown): Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Obj) : {};
}

function arr(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

function str(value: unknown): string | null {
  return typeof value === "string" && value.length > 0 ? value : null;
}

function num(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

/** A Kubernetes object's parts, or null for one without a name (nothing to show it by). */
function named(value: unknown): { name: string; metadata: Obj; spec: Obj; status: Obj } | null {
  const o = obj(value);
  const metadata = obj(o.metadata);
  const name = str(metadata.name);
  return name === null ? null : { name, metadata, spec: obj(o.spec), status: obj(o.status) };
}

function time(value: unknown): string | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  const text = str(value);
  if (text === null) return null;
  const parsed = new Date(text);
  return Number.isNaN(parsed.getTime()) ? null : parsed.toISOString();
}

/** namespace/name of any object, or null when it has none. */
export function objectKey(value: unknown): string | null {
  const metadata = obj(obj(value).metadata);
  const name = str(metadata.name);
  return name === null ? null : `${str(metadata.namespace) ?? ""}/${name}`;
}

/** The resourceVersion of an object or a bookmark. */
export function resourceVersionOf(value: unknown): string | null {
  return str(obj(obj(value).metadata).resourceVersion);
}

function roleOf(name: string, labels: Obj): DeploymentView["role"] {
  const component = str(labels["app.kubernetes.io/component"]) ?? str(labels.component) ?? "";
  if (/worker|cron|queue|job/.test(component) || /worker|cron|queue/.test(name)) return "worker";
  if (component === "web" || component === "http" || /odoo|web/.test(name)) return "web";
  return "other";
}

/** Maps an apps/v1 Deployment to what the cluster view shows; null for objects without a name. */
export function toDeploymentView(value: unknown): DeploymentView | null {
  const k8s = named(value);
  if (k8s === null) return null;
  const { name, metadata, spec, status } = k8s;
  const containers = arr(obj(obj(obj(spec.template).spec)).containers);
  const images = containers.map((c) => str(obj(c).image)).filter((i): i is string => i !== null);
  const desired = typeof spec.replicas === "number" ? spec.replicas : 1;
  const ready = num(status.readyReplicas);
  const available = num(status.availableReplicas);
  const updated = num(status.updatedReplicas);
  let lastChange: string | null = time(metadata.creationTimestamp);
  const conditions: RolloutCondition[] = arr(status.conditions).map((c) => {
    const cond = obj(c);
    const at = time(cond.lastUpdateTime) ?? time(cond.lastTransitionTime);
    if (at !== null && (lastChange === null || at > lastChange)) lastChange = at;
    return {
      type: str(cond.type) ?? "Unknown",
      status: str(cond.status) ?? "Unknown",
      reason: str(cond.reason),
      message: str(cond.message),
    };
  });
  const progressing = conditions.find((c) => c.type === "Progressing");
  const observed = num(status.observedGeneration) >= num(metadata.generation);
  const rollout: DeploymentView["rollout"] =
    progressing?.reason === "ProgressDeadlineExceeded"
      ? "stalled"
      : observed && updated >= desired && available >= desired && num(status.replicas) <= desired
        ? "complete"
        : "progressing";
  return {
    namespace: str(metadata.namespace) ?? "",
    name,
    role: roleOf(name, obj(metadata.labels)),
    images,
    ready,
    desired,
    available: desired === 0 || available >= desired,
    rollout,
    conditions,
    lastChange,
  };
}

/** Maps an Argo CD Application to what the cluster view shows; null for objects without a name. */
export function toApplicationView(value: unknown): ApplicationView | null {
  const k8s = named(value);
  if (k8s === null) return null;
  const { name, metadata, spec, status } = k8s;
  const operation = obj(status.operationState);
  const history = arr(status.history)
    .map((h) => ({ revision: str(obj(h).revision) ?? "", deployedAt: time(obj(h).deployedAt) }))
    .filter((h) => h.revision.length > 0)
    .reverse();
  return {
    namespace: str(metadata.namespace) ?? "",
    name,
    project: str(spec.project) ?? "default",
    destinationNamespace: str(obj(spec.destination).namespace),
    sync: str(obj(status.sync).status) ?? "Unknown",
    revision: str(obj(status.sync).revision),
    health: str(obj(status.health).status) ?? "Unknown",
    operation: str(operation.phase),
    operationMessage: str(operation.message),
    operationFinishedAt: time(operation.finishedAt),
    history,
    images: arr(obj(status.summary).images)
      .map(str)
      .filter((i): i is string => i !== null),
  };
}

/** A sync window of an AppProject, as Argo CD stores it. */
export interface SyncWindowSpec {
  readonly kind: "allow" | "deny";
  readonly schedule: string;
  readonly duration: string;
  readonly applications: readonly string[];
  readonly namespaces: readonly string[];
  readonly clusters: readonly string[];
  readonly manualSync: boolean;
  readonly timeZone: string;
}

/** An AppProject reduced to its name and sync windows. */
export interface ProjectView {
  readonly namespace: string;
  readonly name: string;
  readonly windows: readonly SyncWindowSpec[];
}

function strings(value: unknown): string[] {
  return arr(value)
    .map(str)
    .filter((s): s is string => s !== null);
}

/** Maps an Argo CD AppProject to its sync windows; null for objects without a name. */
export function toProjectView(value: unknown): ProjectView | null {
  const k8s = named(value);
  if (k8s === null) return null;
  const { name, metadata, spec } = k8s;
  const windows = arr(spec.syncWindows).flatMap((w): SyncWindowSpec[] => {
    const window = obj(w);
    const kind = window.kind === "allow" || window.kind === "deny" ? window.kind : null;
    const schedule = str(window.schedule);
    const duration = str(window.duration);
    if (kind === null || schedule === null || duration === null) return [];
    return [
      {
        kind,
        schedule,
        duration,
        applications: strings(window.applications),
        namespaces: strings(window.namespaces),
        clusters: strings(window.clusters),
        manualSync: window.manualSync === true,
        timeZone: str(window.timeZone) ?? "UTC",
      },
    ];
  });
  return { namespace: str(metadata.namespace) ?? "", name, windows };
}
