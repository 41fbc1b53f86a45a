import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { AppError } from "../../../shared/contract/index";
import type {
  ClusterConfig,
  ClusterContexts,
  EnvironmentName,
  KubeconfigSource,
} from "../../../shared/contract/methods/cluster";
import type { Handlers } from "../dispatch";
import type { CoreServices } from "../services";
import { createClusterApi } from "./client";
import type { ApprovedEnvironment } from "./drift";
import {
  execTrustStore,
  loadKubeconfigChecked,
  loadKubeconfigListChecked,
  loadKubeconfigTextChecked,
} from "./exec-trust";
import { forContext, kubeconfigFiles, type LoadedKubeconfig, listContexts } from "./kubeconfig";
import { ClusterService, type ClusterServiceDeps, type ConnectCluster } from "./service";
import { clusterSettings } from "./settings";

type ClusterMethodName = "cluster.contexts" | "cluster.config" | "cluster.configure" | "cluster.environments";

/** Effects the cluster handlers use beyond the core services; tests shorten the timeout and backoff. */
interface ClusterHandlerOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly home?: string;
  /** Bound on every request to a cluster, so a silent cluster never holds a call for long. */
  readonly timeoutMs?: number;
  readonly backoffMs?: number;
  readonly connect?: ConnectCluster;
  /**
   * What approved changes allow per environment, for drift; null while unknown. Wiring (core.ts):
   * `approved: (environment) => approvedFromRepo({ ctx, dir: services.gitopsDir, environment, now: clock.now() })`.
   */
  readonly approved?: (
    environment: EnvironmentName,
  ) => ApprovedEnvironment | null | Promise<ApprovedEnvironment | null>;
  /** Releases awaiting post-release validation per environment; the view shows each with its verdict. */
  readonly pendingReleases?: ClusterServiceDeps["pendingReleases"];
  /** Live updates by watch; false turns them off (each poll then lists again once results are 5 s old). */
  readonly live?: false | { readonly sleep: (ms: number) => Promise<void>; readonly idleMs: number };
}

/** A wait that does not keep the process alive: watches run in the background of the app, never of a CLI run. */
const backgroundSleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms).unref();
  });

/**
 * The cluster view's service over the register's settings. Post-release validation (judgeRelease) reads the same
 * service, so whoever wires it creates the service once and hands it to clusterHandlers too.
 */
export function createClusterService(services: CoreServices, options: ClusterHandlerOptions = {}): ClusterService {
  const env = options.env ?? process.env;
  const home = options.home ?? homedir();
  const settings = clusterSettings(services.register.db);
  const trust = execTrustStore(services.register.db);
  const connect: ConnectCluster =
    options.connect ??
    (async (config, context) => {
      // A login program runs only from a file the user confirmed on this computer (CLI `cluster trust-exec`).
      const loaded = await loadKubeconfigListChecked(kubeconfigPathOf(config.kubeconfig, env, home), trust.list());
      return createClusterApi(await forContext(loaded.config, context), { timeoutMs: options.timeoutMs ?? 5000 });
    });
  return new ClusterService({
    clock: services.clock,
    readConfig: () => settings.read(),
    connect,
    backoffMs: options.backoffMs,
    approved: options.approved,
    pendingReleases: options.pendingReleases,
    live: options.live === false ? undefined : (options.live ?? { sleep: backgroundSleep, idleMs: 120_000 }),
  });
}

// A chosen file is read alone (kubectl --kubeconfig); the default is every file of KUBECONFIG, merged as kubectl does.
export function kubeconfigPathOf(
  config: ClusterConfig["kubeconfig"],
  env: Readonly<Record<string, string | undefined>>,
  home: string,
): string[] {
  return config.kind === "file" && config.path ? [config.path] : kubeconfigFiles(env, home);
}

/** Handlers for the `cluster.*` methods. */
export function clusterHandlers(
  services: CoreServices,
  options: ClusterHandlerOptions & { readonly service?: ClusterService } = {},
): Pick<Handlers, ClusterMethodName> {
  const env = options.env ?? process.env;
  const home = options.home ?? homedir();
  const settings = clusterSettings(services.register.db);
  const kubeconfigPath = (config: ClusterConfig["kubeconfig"]) => kubeconfigPathOf(config, env, home);
  const service = options.service ?? createClusterService(services, options);
  const trust = execTrustStore(services.register.db);

  // Every kubeconfig a door names is checked: one that would run a program is refused unless confirmed (exec-trust).
  const loadFile = (path: string) => loadKubeconfigChecked(path, trust.list());
  const loadList = (paths: readonly string[]) => loadKubeconfigListChecked(paths, trust.list());
  const load = (source: KubeconfigSource): Promise<LoadedKubeconfig> => {
    switch (source.kind) {
      case "default":
        return loadList(kubeconfigFiles(env, home));
      case "file":
        return loadFile(source.path);
      case "content":
        return loadKubeconfigTextChecked(source.text);
    }
  };

  return {
    "cluster.contexts": {
      async: async (input): Promise<ClusterContexts> => {
        const stored = settings.read();
        const loaded = await (input.source
          ? load(input.source)
          : loadList(kubeconfigPath(stored?.kubeconfig ?? { kind: "default", path: null })));
        return {
          kubeconfigPath: loaded.path,
          currentContext: loaded.config.getCurrentContext() || null,
          contexts: listContexts(loaded.config),
        };
      },
    },
    "cluster.config": () => settings.read(),
    "cluster.configure": {
      async: async (input, ctx): Promise<ClusterConfig> => {
        // The kubeconfig is read before the transaction: loading the client library and the file takes a while.
        const loaded = await load(input.kubeconfig);
        const known = new Set(loaded.config.getContexts().map((c) => c.name));
        for (const e of input.environments) {
          for (const context of [e.context, e.argocd.context]) {
            if (!known.has(context)) {
              throw new AppError(
                "invalid-input",
                `The kubeconfig has no context "${context}" (environment ${e.name}).`,
              );
            }
          }
        }
        // Pasted text is kept as a private file in the data folder: the register stores only its path.
        const path =
          loaded.path ?? savePasted(services.dataDir, input.kubeconfig.kind === "content" ? input.kubeconfig.text : "");
        const config: ClusterConfig = {
          kubeconfig: input.kubeconfig.kind === "default" ? { kind: "default", path: null } : { kind: "file", path },
          environments: input.environments,
        };
        ctx.transact(() => {
          const before = settings.read();
          settings.write(config);
          ctx.audit({ action: "cluster.configure", entity: "cluster", entityId: null, before, after: config });
        });
        service.reset();
        return config;
      },
    },
    "cluster.environments": { async: (input) => service.environments(input.refresh ?? false) },
  };
}

function savePasted(dataDir: string, text: string): string {
  const dir = join(dataDir, "cluster");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, "kubeconfig.yaml");
  writeFileSync(file, text, { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}
