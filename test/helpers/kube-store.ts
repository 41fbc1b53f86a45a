/** The resource kinds the test API server serves. */
export type KubeKind =
  | "deployments"
  | "applications"
  | "appprojects"
  | "namespaces"
  | "pods"
  // CloudNativePG backups and CSI volume snapshots: a migration's pre-deployment snapshot (issue #15 item 6).
  | "backups"
  | "volumesnapshots";

/** A stored object: plain Kubernetes JSON with at least metadata.name. */
export interface KubeObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly resourceVersion?: string;
    readonly [key: string]: unknown;
  };
  readonly [key: string]: unknown;
}

/** One change as a watch stream sends it. */
export interface KubeEvent {
  readonly type: "ADDED" | "MODIFIED" | "DELETED";
  readonly kind: KubeKind;
  readonly rv: number;
  readonly object: KubeObject;
}

const TYPE_META: Record<KubeKind, { apiVersion: string; kind: string }> = {
  deployments: { apiVersion: "apps/v1", kind: "Deployment" },
  applications: { apiVersion: "argoproj.io/v1alpha1", kind: "Application" },
  appprojects: { apiVersion: "argoproj.io/v1alpha1", kind: "AppProject" },
  namespaces: { apiVersion: "v1", kind: "Namespace" },
  pods: { apiVersion: "v1", kind: "Pod" },
  backups: { apiVersion: "postgresql.cnpg.io/v1", kind: "Backup" },
  volumesnapshots: { apiVersion: "snapshot.storage.k8s.io/v1", kind: "VolumeSnapshot" },
};

/** The apiVersion and kind of one item of a kind's list. */
export function typeMeta(kind: KubeKind): { apiVersion: string; kind: string } {
  return TYPE_META[kind];
}

function key(kind: KubeKind, namespace: string | undefined, name: string): string {
  return `${kind}/${namespace ?? ""}/${name}`;
}

/**
 * The server's state: objects, one global resourceVersion counter and the event history that watches replay.
 * Like etcd, history before `compactedAt` is gone: a watch from there gets 410 Gone.
 */
export class KubeStore {
  private readonly objects = new Map<string, { kind: KubeKind; object: KubeObject }>();
  private readonly history: KubeEvent[] = [];
  private revision = 100;
  compactedAt = 0;
  private readonly listeners = new Set<(event: KubeEvent) => void>();

  /** The current resourceVersion as a number. */
  get resourceVersion(): number {
    return this.revision;
  }

  /** Creates or replaces an object (ADDED or MODIFIED); namespaces are created on demand. */
  put(kind: KubeKind, object: KubeObject): KubeObject {
    const ns = object.metadata.namespace;
    if (kind !== "namespaces" && ns && !this.objects.has(key("namespaces", undefined, ns))) {
      this.put("namespaces", { metadata: { name: ns } });
    }
    const k = key(kind, ns, object.metadata.name);
    const existed = this.objects.has(k);
    this.revision++;
    const stored: KubeObject = {
      ...typeMeta(kind),
      ...object,
      metadata: {
        uid: `uid-${k}`,
        creationTimestamp: "2026-11-01T00:00:00Z",
        ...object.metadata,
        resourceVersion: String(this.revision),
      },
    };
    this.objects.set(k, { kind, object: stored });
    this.record({ type: existed ? "MODIFIED" : "ADDED", kind, rv: this.revision, object: stored });
    return stored;
  }

  /** Deletes an object if present (DELETED). */
  delete(kind: KubeKind, namespace: string | undefined, name: string): void {
    const k = key(kind, namespace, name);
    const entry = this.objects.get(k);
    if (!entry) return;
    this.objects.delete(k);
    this.revision++;
    const object = { ...entry.object, metadata: { ...entry.object.metadata, resourceVersion: String(this.revision) } };
    this.record({ type: "DELETED", kind, rv: this.revision, object });
  }

  /** One object, or undefined. */
  get(kind: KubeKind, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.objects.get(key(kind, namespace, name))?.object;
  }

  /** Objects of a kind, in one namespace or all, in a stable order. */
  list(kind: KubeKind, namespace?: string): KubeObject[] {
    const out: KubeObject[] = [];
    for (const entry of this.objects.values()) {
      if (entry.kind !== kind) continue;
      if (namespace !== undefined && entry.object.metadata.namespace !== namespace) continue;
      out.push(entry.object);
    }
    const k = (o: KubeObject) => `${o.metadata.namespace ?? ""}/${o.metadata.name}`;
    return out.sort((a, b) => (k(a) < k(b) ? -1 : k(a) > k(b) ? 1 : 0));
  }

  /** Events after a resourceVersion, or null when that history was compacted away (410 Gone). */
  since(rv: number): KubeEvent[] | null {
    if (rv < this.compactedAt) return null;
    return this.history.filter((e) => e.rv > rv);
  }

  /** Forgets the event history up to now: older resourceVersions become "too old". */
  compact(): void {
    this.compactedAt = this.revision;
    this.history.length = 0;
  }

  /** Subscribes to new events; returns the unsubscribe function. */
  subscribe(listener: (event: KubeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private record(event: KubeEvent): void {
    this.history.push(event);
    for (const listener of this.listeners) listener(event);
  }
}
