import {
  type ClusterConfig,
  ENVIRONMENT_NAMES,
  type EnvironmentConfig,
  type EnvironmentName,
} from "../../../shared/contract/methods/cluster";
import type { Db } from "../register/db";

const KUBECONFIG_KEY = "cluster.kubeconfig";

/** Where the cluster configuration is kept: the register's settings row and cluster_environments table. */
interface ClusterSettingsStore {
  read(): ClusterConfig | null;
  /** Replaces the whole configuration; call inside the dispatcher's transaction. */
  write(config: ClusterConfig): void;
}

interface EnvironmentRow {
  name: string;
  context: string;
  namespaces: string;
  argocd_context: string;
  argocd_namespace: string;
}

function isEnvironmentName(value: string): value is EnvironmentName {
  return (ENVIRONMENT_NAMES as readonly string[]).includes(value);
}

/** The cluster settings over one register database. */
export function clusterSettings(db: Db): ClusterSettingsStore {
  return {
    read: () => {
      const row = db.prepare("SELECT value FROM settings WHERE key = ?").get(KUBECONFIG_KEY) as
        | { value: string }
        | undefined;
      if (!row) return null;
      const stored = JSON.parse(row.value) as { kind?: unknown; path?: unknown };
      const kubeconfig = {
        kind: stored.kind === "file" ? ("file" as const) : ("default" as const),
        path: typeof stored.path === "string" ? stored.path : null,
      };
      const rows = db
        .prepare(
          "SELECT name, context, namespaces, argocd_context, argocd_namespace FROM cluster_environments ORDER BY position",
        )
        .all() as EnvironmentRow[];
      const environments: EnvironmentConfig[] = rows.flatMap((r) =>
        isEnvironmentName(r.name)
          ? [
              {
                name: r.name,
                context: r.context,
                namespaces: JSON.parse(r.namespaces) as string[],
                argocd: { context: r.argocd_context, namespace: r.argocd_namespace },
              },
            ]
          : [],
      );
      return { kubeconfig, environments };
    },
    write: (config) => {
      db.prepare(
        "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      ).run(KUBECONFIG_KEY, JSON.stringify(config.kubeconfig));
      db.prepare("DELETE FROM cluster_environments").run();
      const insert = db.prepare(
        "INSERT INTO cluster_environments (name, position, context, namespaces, argocd_context, argocd_namespace) VALUES (?, ?, ?, ?, ?, ?)",
      );
      for (const env of config.environments) {
        insert.run(
          env.name,
          ENVIRONMENT_NAMES.indexOf(env.name),
          env.context,
          JSON.stringify(env.namespaces),
          env.argocd.context,
          env.argocd.namespace,
        );
      }
    },
  };
}
