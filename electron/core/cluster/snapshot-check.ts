import { homedir } from "node:os";
import { AppError, type ErrorCode } from "../../../shared/contract/index";
import type { ClusterConfig, EnvironmentConfig } from "../../../shared/contract/methods/cluster";
import type { CoreServices } from "../services";
import { type ClusterApi, type CustomResource, createClusterApi } from "./client";
import { translateKubeError } from "./errors";
import { execTrustStore, loadKubeconfigListChecked } from "./exec-trust";
import { kubeconfigPathOf } from "./handlers";
import { forContext } from "./kubeconfig";
import { clusterSettings } from "./settings";

// Issue #15 item 6: a migration's pre-deployment snapshot is checked where it lives. CloudNativePG keeps a database
// backup as a `Backup` (postgresql.cnpg.io/v1, status.phase "completed"); a CSI snapshot of its volume is a
// `VolumeSnapshot` (snapshot.storage.k8s.io/v1, status.readyToUse). Either counts when it is newer than policy's limit.
const BACKUPS: CustomResource = { group: "postgresql.cnpg.io", version: "v1", plural: "backups" };
const SNAPSHOTS: CustomResource = { group: "snapshot.storage.k8s.io", version: "v1", plural: "volumesnapshots" };

/** One Backup or VolumeSnapshot as the check reads it. */
interface SnapshotObject {
  readonly kind: "Backup" | "VolumeSnapshot";
  readonly namespace: string;
  readonly name: string;
  /** Completed (Backup) or ready to use (VolumeSnapshot). */
  readonly ready: boolean;
  /** Its phase in words, for the refusal ("failed", "running", "not ready"). */
  readonly state: string;
  /** When it was taken (stoppedAt / creationTime, else the object's creation), ms since the epoch. */
  readonly takenAt: number | null;
}

/** What a snapshot check is asked: the change's environment and reference, the step, the clock and the age limit. */
interface SnapshotQuestion {
  readonly environment: string;
  readonly ref: string;
  readonly now: Date;
  readonly maxAgeMs: number;
  readonly maxAge: string;
  /** The refusal's code: gate-failed when approval is requested, forbidden at release. */
  readonly code: ErrorCode;
}

/** Checks a change's snapshot reference on its environment's cluster; resolves when fine or when none is configured. */
export type SnapshotCheck = (question: SnapshotQuestion) => Promise<void>;

/** Judges what was found against the reference; returns the problem in words, or null when it may be relied on. */
function judgeSnapshot(found: readonly SnapshotObject[], q: SnapshotQuestion, where: string): string | null {
  const [ns, name] = q.ref.includes("/") ? q.ref.split("/", 2) : [null, q.ref];
  const matches = found.filter((o) => o.name === name && (ns === null || o.namespace === ns));
  if (matches.length === 0) {
    return `there is no CloudNativePG Backup or VolumeSnapshot named "${q.ref}" in ${where}: take the snapshot, or record the name of one that exists`;
  }
  const ready = matches.filter((o) => o.ready);
  if (ready.length === 0) {
    const o = matches[0] as SnapshotObject;
    return `the ${o.kind} ${o.namespace}/${o.name} is ${o.state}, not usable: take a new one and record its name`;
  }
  const newest = Math.max(...ready.map((o) => o.takenAt ?? Number.NEGATIVE_INFINITY));
  if (!(newest >= q.now.getTime() - q.maxAgeMs)) {
    const o = ready.find((x) => (x.takenAt ?? Number.NEGATIVE_INFINITY) === newest) as SnapshotObject;
    const at = o.takenAt === null ? "at an unknown time" : `at ${new Date(o.takenAt).toISOString()}`;
    return `the ${o.kind} ${o.namespace}/${o.name} was taken ${at}, more than ${q.maxAge} ago (policy.yaml rollback.snapshotMaxAge): take a fresh one and record its name`;
  }
  return null;
}

const field = (v: unknown, k: string): unknown =>
  typeof v === "object" && v !== null ? (v as Record<string, unknown>)[k] : undefined;
const time = (v: unknown): number | null =>
  typeof v === "string" && !Number.isNaN(Date.parse(v)) ? Date.parse(v) : null;

function toSnapshot(kind: SnapshotObject["kind"], item: unknown): SnapshotObject | null {
  const meta = field(item, "metadata");
  const status = field(item, "status");
  const name = field(meta, "name");
  if (typeof name !== "string") return null;
  const namespace = String(field(meta, "namespace") ?? "");
  const created = time(field(meta, "creationTimestamp"));
  if (kind === "Backup") {
    const phase = String(field(status, "phase") ?? "pending");
    return {
      kind,
      namespace,
      name,
      ready: phase === "completed",
      state: phase,
      takenAt: time(field(status, "stoppedAt")) ?? created,
    };
  }
  const ready = field(status, "readyToUse") === true;
  const error = field(field(status, "error"), "message");
  const state = ready ? "ready" : typeof error === "string" ? `failed (${error})` : "not ready";
  return { kind, namespace, name, ready, state, takenAt: time(field(status, "creationTime")) ?? created };
}

async function readSnapshots(api: ClusterApi, env: EnvironmentConfig): Promise<SnapshotObject[]> {
  const out: SnapshotObject[] = [];
  for (const namespace of env.namespaces) {
    for (const [kind, resource] of [
      ["Backup", BACKUPS],
      ["VolumeSnapshot", SNAPSHOTS],
    ] as const) {
      try {
        const list = await api.listCustom(resource, namespace);
        for (const item of list.items) {
          const s = toSnapshot(kind, item);
          if (s) out.push({ ...s, namespace: s.namespace || namespace });
        }
      } catch (error) {
        // A cluster without that kind installed (404) simply holds none of it; anything else is a failed check.
        if (field(error, "code") === 404) continue;
        throw translateKubeError(error, {
          source: resource.plural,
          what: `the ${resource.plural} in namespace ${namespace}`,
          context: api.context,
          server: api.server,
          timeoutMs: api.timeoutMs,
        });
      }
    }
  }
  return out;
}

/** The check over the register's cluster settings, through the same kubeconfig and client as the cluster view. */
export function clusterSnapshotCheck(
  services: Pick<CoreServices, "register">,
  options: {
    readonly env?: Readonly<Record<string, string | undefined>>;
    readonly home?: string;
    readonly timeoutMs?: number;
  } = {},
): SnapshotCheck {
  const settings = clusterSettings(services.register.db);
  const trust = execTrustStore(services.register.db);
  const connect = async (config: ClusterConfig, context: string): Promise<ClusterApi> => {
    const paths = kubeconfigPathOf(config.kubeconfig, options.env ?? process.env, options.home ?? homedir());
    const loaded = await loadKubeconfigListChecked(paths, trust.list());
    return createClusterApi(await forContext(loaded.config, context), { timeoutMs: options.timeoutMs ?? 5000 });
  };
  return async (q) => {
    const config = settings.read();
    const env = config?.environments.find((e) => e.name === q.environment);
    if (!config || !env) return;
    const where = `${q.environment}'s namespaces (${env.namespaces.join(", ")}) on context ${env.context}`;
    let found: SnapshotObject[];
    try {
      found = await readSnapshots(await connect(config, env.context), env);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new AppError(
        "cluster",
        `The pre-deployment snapshot "${q.ref}" could not be checked on ${where}: ${why} Try again once the cluster answers.`,
        { reason: "snapshot-unchecked" },
      );
    }
    const problem = judgeSnapshot(found, q, where);
    if (problem) {
      throw new AppError(q.code, `The pre-deployment snapshot is not ready: ${problem}.`, {
        reason: "snapshot-not-ready",
        ref: q.ref,
      });
    }
  };
}
