import { z } from "zod";
import { boundedText, filePath } from "../bounds";
import { method } from "../define";

/** The environments a release travels through, in order. */
export const ENVIRONMENT_NAMES = ["development", "integration", "qa", "preproduction", "production"] as const;
export type EnvironmentName = (typeof ENVIRONMENT_NAMES)[number];

/** Why a cluster source could not be read; the UI words its state from this. */
export type ClusterErrorKind =
  | "unreachable"
  | "timeout"
  | "unauthorised"
  | "forbidden"
  | "not-found"
  | "garbage"
  | "expired"
  | "server"
  | "kubeconfig";

/** One source (deployments, applications, appprojects, kubeconfig) that failed, in words a plant manager reads. */
export interface ClusterSourceError {
  readonly source: string;
  readonly kind: ClusterErrorKind;
  readonly message: string;
}

/** A condition of a deployment's rollout as Kubernetes reports it. */
export interface RolloutCondition {
  readonly type: string;
  readonly status: string;
  readonly reason: string | null;
  readonly message: string | null;
}

/** An Odoo (or other) deployment as running now. */
export interface DeploymentView {
  readonly namespace: string;
  readonly name: string;
  /** web or worker by the chart's component label or the name; other for the rest. */
  readonly role: "web" | "worker" | "other";
  readonly images: readonly string[];
  readonly ready: number;
  readonly desired: number;
  readonly available: boolean;
  /** complete: all replicas updated and available; stalled: progress deadline exceeded. */
  readonly rollout: "complete" | "progressing" | "stalled";
  readonly conditions: readonly RolloutCondition[];
  readonly lastChange: string | null;
}

/** One entry of an Argo CD Application's deployment history. */
interface ApplicationHistoryEntry {
  readonly revision: string;
  readonly deployedAt: string | null;
}

/** An Argo CD Application: what it syncs, at which revision, and how healthy it is. */
export interface ApplicationView {
  readonly namespace: string;
  readonly name: string;
  readonly project: string;
  readonly destinationNamespace: string | null;
  readonly sync: string;
  readonly revision: string | null;
  readonly health: string;
  /** Phase of the last operation (Running, Succeeded, Failed, Error), null when none ran. */
  readonly operation: string | null;
  readonly operationMessage: string | null;
  readonly operationFinishedAt: string | null;
  readonly history: readonly ApplicationHistoryEntry[];
  readonly images: readonly string[];
}

/** One AppProject sync window and whether it is open now. */
export interface SyncWindowView {
  readonly kind: "allow" | "deny";
  readonly schedule: string;
  readonly duration: string;
  readonly timeZone: string;
  readonly manualSync: boolean;
  readonly active: boolean;
}

/** Whether Argo CD would let an application sync now, and why. */
export interface SyncPermission {
  readonly allowed: boolean;
  readonly reason: string;
  readonly windows: readonly SyncWindowView[];
}

/** A running image or synced revision that no approved change explains. */
export interface DriftItem {
  readonly environment: string;
  readonly namespace: string;
  readonly name: string;
  readonly kind: "image" | "revision";
  readonly running: string;
  readonly approved: string | null;
  readonly message: string;
}

/** A release awaiting post-release validation, and how it stands. */
export interface ReleaseCheck {
  readonly changeId: string;
  readonly application: string;
  readonly revision: string;
  readonly deadline: string;
  readonly state: "pending" | "passed" | "failed";
  /** Why it failed: degraded, operation-failed, other-revision, timed-out or missing. */
  readonly reason: string | null;
  readonly message: string;
}

/** One environment as the cluster view shows it. */
export interface EnvironmentView {
  readonly name: EnvironmentName;
  readonly context: string;
  readonly namespaces: readonly string[];
  readonly argocdNamespace: string;
  /** ok: every source read; partial: some failed; error: nothing could be read. */
  readonly state: "ok" | "partial" | "error";
  readonly errors: readonly ClusterSourceError[];
  /** When Shiftgate will ask the cluster again after a failure (backoff), else null. */
  readonly retryAt: string | null;
  readonly checkedAt: string | null;
  readonly deployments: readonly DeploymentView[];
  readonly applications: readonly ApplicationView[];
  readonly sync: SyncPermission | null;
  /** Releases awaiting post-release validation here, each with its current verdict. */
  readonly pendingReleases: readonly ReleaseCheck[];
  readonly drift: readonly DriftItem[];
}

/** The cluster view: environments side by side, development → production. */
export interface ClusterEnvironments {
  readonly configured: boolean;
  readonly kubeconfigPath: string | null;
  readonly generatedAt: string;
  readonly environments: readonly EnvironmentView[];
}

/** The machine-readable answer of `shiftgate cluster status --json`. */
export interface ClusterStatus {
  readonly context: string;
  readonly deployments: readonly {
    readonly namespace: string;
    readonly name: string;
    readonly images: readonly string[];
    readonly ready: number;
    readonly desired: number;
    readonly available: boolean;
  }[];
  readonly applications: readonly {
    readonly namespace: string;
    readonly name: string;
    readonly sync: string;
    readonly revision: string | null;
    readonly health: string;
    readonly operation: string | null;
  }[];
  readonly errors: readonly { readonly source: string; readonly message: string }[];
}

/** A context of the kubeconfig, without its credentials. */
export interface KubeContextInfo {
  readonly name: string;
  readonly cluster: string;
  readonly server: string | null;
  readonly namespace: string | null;
}

export interface ClusterContexts {
  readonly kubeconfigPath: string | null;
  readonly currentContext: string | null;
  readonly contexts: readonly KubeContextInfo[];
}

const name = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "a Kubernetes name: lower-case letters, digits, '-' and '.'");

/**
 * Where the kubeconfig comes from; pasted content is saved as a file in the data folder. One that logs in by running
 * a program is refused unless the user allowed that file's programs outside any page (CLI or desktop menu).
 */
const kubeconfigSource = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("default") }).strict(),
  z.object({ kind: z.literal("file"), path: filePath }).strict(),
  z.object({ kind: z.literal("content"), text: z.string().min(1).max(1_000_000) }).strict(),
]);
export type KubeconfigSource = z.infer<typeof kubeconfigSource>;

const environmentConfig = z
  .object({
    name: z.enum(ENVIRONMENT_NAMES),
    context: boundedText(253),
    namespaces: z.array(name).min(1).max(50),
    argocd: z.object({ context: boundedText(253), namespace: name }).strict(),
  })
  .strict();
export type EnvironmentConfig = z.infer<typeof environmentConfig>;

/** What Shiftgate stores about the cluster: the kubeconfig's path and names, never credentials. */
export interface ClusterConfig {
  readonly kubeconfig: { readonly kind: "default" | "file"; readonly path: string | null };
  readonly environments: readonly EnvironmentConfig[];
}

/** The `cluster.*` methods of the contract. */
export const clusterMethods = {
  "cluster.contexts": method<ClusterContexts>()({
    input: z.object({ source: kubeconfigSource.optional() }).strict(),
    mutates: false,
  }),
  "cluster.config": method<ClusterConfig | null>()({ input: z.object({}).strict(), mutates: false }),
  "cluster.configure": method<ClusterConfig>()({
    input: z
      .object({
        kubeconfig: kubeconfigSource,
        environments: z
          .array(environmentConfig)
          .max(ENVIRONMENT_NAMES.length)
          .refine((list) => new Set(list.map((e) => e.name)).size === list.length, "each environment once"),
      })
      .strict(),
    mutates: true,
  }),
  "cluster.environments": method<ClusterEnvironments>()({
    input: z.object({ refresh: z.boolean().optional() }).strict(),
    mutates: false,
  }),
} as const;
