import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import type { KubeObject } from "./kube-store";

/** An Odoo deployment as a Helm chart would render it (web or worker), with a rollout status. */
export function odooDeployment(options: {
  readonly namespace: string;
  readonly name: string;
  readonly image?: string;
  readonly role?: "web" | "worker";
  readonly replicas?: number;
  readonly ready?: number;
  readonly updatedAt?: string;
  readonly progressing?: "NewReplicaSetAvailable" | "ReplicaSetUpdated" | "ProgressDeadlineExceeded";
}): KubeObject {
  const replicas = options.replicas ?? 2;
  const ready = options.ready ?? replicas;
  const at = options.updatedAt ?? "2026-11-20T06:00:00Z";
  const progressing = options.progressing ?? "NewReplicaSetAvailable";
  return {
    metadata: {
      name: options.name,
      namespace: options.namespace,
      labels: { "app.kubernetes.io/name": "odoo", "app.kubernetes.io/component": options.role ?? "web" },
      generation: 3,
    },
    spec: {
      replicas,
      selector: { matchLabels: { app: options.name } },
      template: {
        metadata: { labels: { app: options.name } },
        spec: {
          containers: [{ name: "odoo", image: options.image ?? "registry.example.com/odoo:17.0-20261120" }],
        },
      },
    },
    status: {
      observedGeneration: 3,
      replicas,
      updatedReplicas: ready,
      readyReplicas: ready,
      availableReplicas: ready,
      conditions: [
        {
          type: "Available",
          status: ready >= replicas ? "True" : "False",
          reason: ready >= replicas ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
          message:
            ready >= replicas
              ? "Deployment has minimum availability."
              : "Deployment does not have minimum availability.",
          lastUpdateTime: at,
          lastTransitionTime: at,
        },
        {
          type: "Progressing",
          status: progressing === "ProgressDeadlineExceeded" ? "False" : "True",
          reason: progressing,
          message: `ReplicaSet "${options.name}-abc" ${progressing === "NewReplicaSetAvailable" ? "has successfully progressed" : "is progressing"}.`,
          lastUpdateTime: at,
          lastTransitionTime: at,
        },
      ],
    },
  };
}

/** An Argo CD Application with its sync, health, last operation and history. */
export function argoApplication(options: {
  readonly namespace?: string;
  readonly name: string;
  readonly destinationNamespace: string;
  readonly project?: string;
  readonly sync?: "Synced" | "OutOfSync" | "Unknown";
  readonly health?: "Healthy" | "Progressing" | "Degraded" | "Suspended" | "Missing" | "Unknown";
  readonly revision?: string;
  readonly phase?: "Running" | "Succeeded" | "Failed" | "Error";
  readonly images?: readonly string[];
  readonly finishedAt?: string;
}): KubeObject {
  const revision = options.revision ?? "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";
  const finishedAt = options.finishedAt ?? "2026-11-20T06:05:00Z";
  return {
    metadata: { name: options.name, namespace: options.namespace ?? "argocd" },
    spec: {
      project: options.project ?? "odoo",
      source: { repoURL: "https://git.example.com/plant/odoo-deploy.git", path: options.name, targetRevision: "main" },
      destination: { server: "https://kubernetes.default.svc", namespace: options.destinationNamespace },
    },
    status: {
      sync: { status: options.sync ?? "Synced", revision },
      health: { status: options.health ?? "Healthy" },
      summary: { images: options.images ?? ["registry.example.com/odoo:17.0-20261120"] },
      operationState: {
        phase: options.phase ?? "Succeeded",
        message: "successfully synced (all tasks run)",
        startedAt: "2026-11-20T06:04:00Z",
        finishedAt,
        syncResult: { revision },
      },
      history: [{ id: 1, revision, deployedAt: finishedAt, source: { path: options.name } }],
    },
  };
}

/** An Argo CD AppProject with sync windows. */
export function argoProject(options: {
  readonly namespace?: string;
  readonly name: string;
  readonly windows?: readonly Record<string, unknown>[];
}): KubeObject {
  return {
    metadata: { name: options.name, namespace: options.namespace ?? "argocd" },
    spec: { syncWindows: options.windows ?? [] },
  };
}

/** A CloudNativePG Backup of an Odoo database cluster, as the operator reports it (status.phase, stoppedAt). */
export function cnpgBackup(options: {
  readonly namespace: string;
  readonly name: string;
  readonly phase: "completed" | "failed" | "running";
  readonly stoppedAt: Date;
  readonly cluster?: string;
}): KubeObject {
  return {
    apiVersion: "postgresql.cnpg.io/v1",
    kind: "Backup",
    metadata: { name: options.name, namespace: options.namespace, creationTimestamp: options.stoppedAt.toISOString() },
    spec: { cluster: { name: options.cluster ?? "odoo-db" }, method: "barmanObjectStore" },
    status: {
      phase: options.phase,
      startedAt: new Date(options.stoppedAt.getTime() - 300_000).toISOString(),
      stoppedAt: options.stoppedAt.toISOString(),
      ...(options.phase === "failed" ? { error: "can't upload WAL: access denied" } : {}),
    },
  };
}

/** A CSI VolumeSnapshot of a database volume, ready to use or not. */
export function volumeSnapshot(options: {
  readonly namespace: string;
  readonly name: string;
  readonly readyToUse: boolean;
  readonly createdAt: Date;
  readonly pvc?: string;
}): KubeObject {
  return {
    apiVersion: "snapshot.storage.k8s.io/v1",
    kind: "VolumeSnapshot",
    metadata: { name: options.name, namespace: options.namespace, creationTimestamp: options.createdAt.toISOString() },
    spec: { source: { persistentVolumeClaimName: options.pvc ?? "odoo-db-1" } },
    status: { readyToUse: options.readyToUse, creationTime: options.createdAt.toISOString(), restoreSize: "20Gi" },
  };
}

/** Writes a real kubeconfig (token auth, plain http to 127.0.0.1) and returns its path. */
export function writeKubeconfig(
  dir: string,
  options: {
    readonly server: string;
    readonly token: string;
    readonly contexts?: readonly { readonly name: string; readonly namespace?: string }[];
    readonly currentContext?: string;
    readonly file?: string;
  },
): string {
  const contexts = options.contexts ?? [{ name: "plant" }];
  const config = {
    apiVersion: "v1",
    kind: "Config",
    // The client refuses http:// unless TLS verification is explicitly off; the test server speaks plain http.
    clusters: [{ name: "test", cluster: { server: options.server, "insecure-skip-tls-verify": true } }],
    users: [{ name: "tester", user: { token: options.token } }],
    contexts: contexts.map((c) => ({
      name: c.name,
      context: { cluster: "test", user: "tester", ...(c.namespace ? { namespace: c.namespace } : {}) },
    })),
    "current-context": options.currentContext ?? contexts[0]?.name ?? "plant",
  };
  const file = join(dir, options.file ?? "kubeconfig.yaml");
  writeFileSync(file, stringify(config), { mode: 0o600 });
  return file;
}

/** A running pod whose container reports the image the kubelet pulled (`imageID` is `name@sha256:…`). */
export function odooPod(options: {
  readonly namespace: string;
  readonly name: string;
  readonly image: string;
  readonly imageID: string;
}): KubeObject {
  return {
    metadata: { name: options.name, namespace: options.namespace, labels: { "app.kubernetes.io/name": "odoo" } },
    spec: { containers: [{ name: "odoo", image: options.image }] },
    status: {
      phase: "Running",
      containerStatuses: [{ name: "odoo", ready: true, image: options.image, imageID: options.imageID }],
    },
  };
}
