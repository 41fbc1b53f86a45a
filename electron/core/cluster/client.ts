import http from "node:http";
import https from "node:https";
import { createInterface } from "node:readline";
import type { KubeConfig, Middleware, RequestContext } from "@kubernetes/client-node";
import { credentialError } from "./errors";
import { type KubeLib, kubeLib } from "./kube-lib";

/** One list answer: raw items (plain JSON or client models) and the list's resourceVersion. */
export interface KubeList {
  readonly items: readonly unknown[];
  readonly resourceVersion: string;
}

/** The Argo CD custom resources Shiftgate reads. */
export type ArgoPlural = "applications" | "appprojects";

/** A custom resource collection by API group, version and plural. */
export interface CustomResource {
  readonly group: string;
  readonly version: string;
  readonly plural: string;
}

/** One watch event as the API server streams it. */
export interface KubeWatchEvent {
  readonly type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";
  readonly object: unknown;
}

/** An open watch stream; `done` settles when it ends (null: closed cleanly, else the error). */
export interface KubeWatchHandle {
  abort(): void;
  /** Settles true once the server accepted the watch (200), false if it never did. */
  readonly opened: Promise<boolean>;
  readonly done: Promise<Error | null>;
}

/** The cluster as the core sees it: the one side effect of this capability, injected everywhere. */
export interface ClusterApi {
  readonly context: string;
  readonly server: string | null;
  readonly timeoutMs: number;
  listDeployments(namespace?: string): Promise<KubeList>;
  listNamespaces(): Promise<string[]>;
  /** The pods of a namespace: their `status.containerStatuses[].imageID` say which image digest really runs. */
  listPods(namespace: string): Promise<KubeList>;
  listArgo(plural: ArgoPlural, namespace?: string): Promise<KubeList>;
  /** Lists another custom resource in a namespace (CloudNativePG backups, volume snapshots) as plain JSON. */
  listCustom(resource: CustomResource, namespace: string): Promise<KubeList>;
  /** Opens a watch on an API path (e.g. /apis/apps/v1/namespaces/x/deployments) from a resourceVersion. */
  watch(path: string, resourceVersion: string | undefined, onEvent: (event: KubeWatchEvent) => void): KubeWatchHandle;
}

function timeoutMiddleware(ms: number): Middleware {
  return {
    // client-node 1.x has no request timeout of its own: without this a silent cluster would hang the call forever.
    pre: async (context: RequestContext) => {
      context.setSignal(AbortSignal.timeout(ms));
      return context;
    },
    post: async (response) => response,
  };
}

function metaVersion(list: unknown): string {
  const metadata = (list as { metadata?: { resourceVersion?: unknown } }).metadata;
  return typeof metadata?.resourceVersion === "string" ? metadata.resourceVersion : "";
}

type CustomObjects = InstanceType<KubeLib["CustomObjectsApi"]>;

/** Lists a collection as plain JSON, in one namespace or across all of them. */
async function listJson(
  custom: CustomObjects,
  resource: { readonly group: string; readonly version: string; readonly plural: string },
  namespace: string | undefined,
): Promise<KubeList> {
  const list: unknown = namespace
    ? await custom.listNamespacedCustomObject({ ...resource, namespace })
    : await custom.listClusterCustomObject(resource);
  const items = (list as { items?: unknown }).items;
  if (!Array.isArray(items)) throw new SyntaxError(`The ${resource.plural} list has no items array`);
  return { items, resourceVersion: metaVersion(list) };
}

/** Builds the real client over a kubeconfig already switched to its context, with a bounded timeout per call. */
export async function createClusterApi(
  config: KubeConfig,
  options: { readonly timeoutMs: number },
): Promise<ClusterApi> {
  const { CoreV1Api, CustomObjectsApi, createConfiguration, ServerConfiguration } = await kubeLib();
  const cluster = config.getCurrentCluster();
  const server = cluster?.server ?? null;
  const command = execCommand(config);
  const where = { command, context: config.getCurrentContext() };
  const configuration = createConfiguration({
    baseServer: new ServerConfiguration(server ?? "https://invalid.invalid", {}),
    authMethods: {
      // Failures while preparing credentials (a login program, a certificate file) are named as such.
      default: {
        getName: () => "kubeconfig",
        applySecurityAuthentication: async (context: RequestContext) => {
          try {
            await config.applySecurityAuthentication(context);
          } catch (error) {
            throw credentialError(error, where);
          }
        },
      },
    },
    promiseMiddleware: [timeoutMiddleware(options.timeoutMs)],
  });
  const core = new CoreV1Api(configuration);
  const custom = new CustomObjectsApi(configuration);

  return {
    context: config.getCurrentContext(),
    server,
    timeoutMs: options.timeoutMs,
    // Deployments are listed as plain JSON through the generic endpoint: the typed list builds a model object for
    // every field, which doubles the time for a few hundred deployments, and the view maps plain JSON anyway.
    listDeployments: (namespace) =>
      listJson(custom, { group: "apps", version: "v1", plural: "deployments" }, namespace),
    listNamespaces: async () => {
      const list = await core.listNamespace();
      return list.items.map((n) => n.metadata?.name ?? "").filter((n) => n.length > 0);
    },
    listArgo: (plural, namespace) => listJson(custom, { group: "argoproj.io", version: "v1alpha1", plural }, namespace),
    listPods: async (namespace) => {
      const list = await core.listNamespacedPod({ namespace });
      return { items: list.items, resourceVersion: list.metadata?.resourceVersion ?? "" };
    },
    listCustom: (resource, namespace) => listJson(custom, resource, namespace),
    watch: (path, resourceVersion, onEvent) =>
      openWatch(config, server, path, resourceVersion, options.timeoutMs, onEvent),
  };
}

/** The exec plugin the current user logs in with, as it will be run; null when none. */
function execCommand(config: KubeConfig): string | null {
  const exec: unknown = config.getCurrentUser()?.exec;
  const command = typeof exec === "object" && exec !== null ? (exec as { command?: unknown }).command : undefined;
  return typeof command === "string" ? command : null;
}

/**
 * A watch over plain node:http(s) with the kubeconfig's credentials and TLS settings.
 * client-node's own Watch cannot be bounded: its connect timeout is overwritten, so a silent cluster hangs it.
 */
function openWatch(
  config: KubeConfig,
  server: string | null,
  path: string,
  resourceVersion: string | undefined,
  connectTimeoutMs: number,
  onEvent: (event: KubeWatchEvent) => void,
): KubeWatchHandle {
  const controller = new AbortController();
  let markOpened: (ok: boolean) => void = () => undefined;
  const opened = new Promise<boolean>((resolve) => {
    markOpened = resolve;
  });
  const done = (async (): Promise<Error | null> => {
    if (!server) {
      markOpened(false);
      return new Error("The kubeconfig context names no cluster server");
    }
    const url = new URL(server.replace(/\/$/, "") + path);
    url.searchParams.set("watch", "1");
    url.searchParams.set("allowWatchBookmarks", "true");
    // The server ends the stream after this long; the resumed watch is where idle watchers notice and stop.
    url.searchParams.set("timeoutSeconds", "300");
    if (resourceVersion) url.searchParams.set("resourceVersion", resourceVersion);
    const options: https.RequestOptions = {};
    try {
      await config.applyToHTTPSOptions(options);
    } catch (error) {
      markOpened(false);
      return credentialError(error, { command: execCommand(config), context: config.getCurrentContext() });
    }
    return new Promise<Error | null>((resolve) => {
      let settled = false;
      const finish = (error: Error | null) => {
        if (settled) return;
        settled = true;
        clearTimeout(connectTimer);
        markOpened(false);
        resolve(error);
      };
      const transport = url.protocol === "https:" ? https : http;
      const req = transport.request(url, { ...options, method: "GET", signal: controller.signal }, (res) => {
        clearTimeout(connectTimer);
        if (res.statusCode === 200) markOpened(true);
        if (res.statusCode !== 200) {
          let body = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => {
            body += chunk.slice(0, 4096);
          });
          res.on("end", () =>
            finish(
              Object.assign(new Error(`watch answered ${res.statusCode}`), {
                code: res.statusCode,
                body,
              }),
            ),
          );
          res.on("error", (e) => finish(e));
          return;
        }
        const lines = createInterface({ input: res });
        lines.on("line", (line) => {
          if (line.trim() === "") return;
          let parsed: unknown;
          try {
            parsed = JSON.parse(line);
          } catch {
            controller.abort();
            finish(new SyntaxError("The watch stream sent a line that is not JSON"));
            return;
          }
          const type = (parsed as { type?: unknown }).type;
          if (
            type === "ADDED" ||
            type === "MODIFIED" ||
            type === "DELETED" ||
            type === "BOOKMARK" ||
            type === "ERROR"
          ) {
            onEvent({ type, object: (parsed as { object?: unknown }).object });
          }
        });
        res.on("aborted", () => finish(Object.assign(new Error("The watch stream was cut"), { code: "ECONNRESET" })));
        res.on("error", (e) => finish(e));
        // readline re-emits its input's errors: without this listener a cut stream would crash the process.
        lines.on("error", (e) => finish(e));
        lines.on("close", () => finish(null));
      });
      const connectTimer = setTimeout(() => {
        controller.abort();
        finish(Object.assign(new Error("The watch did not open in time"), { name: "TimeoutError" }));
      }, connectTimeoutMs);
      // A background watch must never keep a CLI run or a test process alive.
      req.on("socket", (socket) => socket.unref());
      req.on("error", (e) => finish(controller.signal.aborted && e.name === "AbortError" ? null : e));
      req.end();
    });
  })();
  return { abort: () => controller.abort(), opened, done };
}
