import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { type KubeEvent, type KubeKind, KubeStore, typeMeta } from "./kube-store";

export type { KubeKind, KubeObject } from "./kube-store";

/** A fault the server injects instead of (or into) a normal answer. */
export type KubeFault =
  | { readonly kind: "hang" }
  | { readonly kind: "malformed" }
  | { readonly kind: "status"; readonly code: number; readonly reason?: string; readonly message?: string }
  /** Watch only: send this many events, then cut the connection mid-stream. */
  | { readonly kind: "drop-after"; readonly events: number };

interface FaultRule {
  readonly fault: KubeFault;
  readonly path: string | undefined;
  readonly watch: boolean | undefined;
  remaining: number;
}

/**
 * Which namespaces a bearer token may read: all ("*", cluster-wide lists too), the listed ones, or the listed ones
 * plus the list of namespaces itself (a common read-only role: see every namespace, read inside a few).
 */
export type KubeGrant =
  | "*"
  | readonly string[]
  | { readonly namespaces: readonly string[]; readonly listNamespaces: boolean };

function allows(grant: KubeGrant, kind: KubeKind, namespace: string | undefined, name: string | undefined): boolean {
  if (grant === "*") return true;
  const list = "namespaces" in grant ? grant.namespaces : grant;
  if (kind === "namespaces" && name === undefined && "listNamespaces" in grant) return grant.listNamespaces;
  return namespace !== undefined && list.includes(namespace);
}

/** One request the server saw, for asserting how the client behaved (e.g. resumed at a resourceVersion). */
export interface KubeRequest {
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly watch: boolean;
}

/** A running test API server on 127.0.0.1. */
export interface KubeServer {
  readonly url: string;
  readonly token: string;
  readonly store: KubeStore;
  readonly requests: KubeRequest[];
  /** Adds a bearer token with its grant ("" grants requests without credentials, as behind kubectl proxy). */
  grant(token: string, namespaces: KubeGrant): void;
  /** Answers the next `times` matching requests with a fault (path: substring of the URL path). */
  inject(fault: KubeFault, match?: { readonly path?: string; readonly watch?: boolean; readonly times?: number }): void;
  /** Removes every pending fault. */
  clearFaults(): void;
  /** Makes a kind unknown (404), as when the Argo CD CRDs are not installed. */
  uninstall(kind: KubeKind): void;
  /** Cuts every open watch stream, as a load balancer or API server restart does. */
  dropWatches(): void;
  /** Sends a BOOKMARK with the current resourceVersion on every open watch. */
  bookmark(): void;
  /** How many watch streams are open now. */
  openWatches(): number;
  close(): Promise<void>;
}

interface OpenWatch {
  readonly kind: KubeKind;
  readonly namespace: string | undefined;
  readonly res: ServerResponse;
  sent: number;
  dropAfter: number | null;
}

const ROUTE =
  /^\/(?:api\/v1|apis\/apps\/v1|apis\/argoproj\.io\/v1alpha1|apis\/postgresql\.cnpg\.io\/v1|apis\/snapshot\.storage\.k8s\.io\/v1)(?:\/namespaces\/([^/]+))?\/(deployments|applications|appprojects|namespaces|pods|backups|volumesnapshots)(?:\/([^/]+))?$/;
const GROUP_OF: Record<KubeKind, string> = {
  deployments: "/apis/apps/v1",
  applications: "/apis/argoproj.io/v1alpha1",
  appprojects: "/apis/argoproj.io/v1alpha1",
  namespaces: "/api/v1",
  pods: "/api/v1",
  backups: "/apis/postgresql.cnpg.io/v1",
  volumesnapshots: "/apis/snapshot.storage.k8s.io/v1",
};

/** A Kubernetes `Status` body, as the API server sends with every error. */
export function statusBody(code: number, reason: string, message: string): Record<string, unknown> {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code };
}

/** Starts a server speaking enough of the Kubernetes API for Shiftgate: lists, reads, watches, errors, faults. */
export async function startKubeServer(
  options: {
    readonly token?: string;
    /** Serve HTTPS with this key and certificate (PEM), as a real API server does. */
    readonly tls?: { readonly key: string; readonly cert: string };
  } = {},
): Promise<KubeServer> {
  const token = options.token ?? "test-token";
  const store = new KubeStore();
  const grants = new Map<string, KubeGrant>([[token, "*"]]);
  const faults: FaultRule[] = [];
  const uninstalled = new Set<KubeKind>();
  const watches = new Set<OpenWatch>();
  const requests: KubeRequest[] = [];

  const send = (res: ServerResponse, code: number, body: unknown) => {
    res.writeHead(code, { "Content-Type": "application/json" });
    res.end(JSON.stringify(body));
  };
  const fail = (res: ServerResponse, code: number, reason: string, message: string) =>
    send(res, code, statusBody(code, reason, message));

  const takeFault = (path: string, watch: boolean): KubeFault | null => {
    const rule = faults.find(
      (f) => f.remaining > 0 && (f.path === undefined || path.includes(f.path)) && (f.watch ?? watch) === watch,
    );
    if (!rule) return null;
    rule.remaining--;
    return rule.fault;
  };

  const writeEvent = (w: OpenWatch, type: string, object: unknown) => {
    w.res.write(`${JSON.stringify({ type, object })}\n`);
    w.sent++;
    if (w.dropAfter !== null && w.sent >= w.dropAfter) w.res.destroy();
  };

  const matches = (w: OpenWatch, e: KubeEvent) =>
    e.kind === w.kind && (w.namespace === undefined || e.object.metadata.namespace === w.namespace);

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const query = Object.fromEntries(url.searchParams);
    const watch = query.watch === "1" || query.watch === "true";
    requests.push({ path: url.pathname, query, watch });

    const auth = req.headers.authorization ?? "";
    // No credentials at all is the grant of "" (kubectl proxy: it authenticates upstream), when one was given.
    const grant = auth.startsWith("Bearer ") ? grants.get(auth.slice(7)) : auth === "" ? grants.get("") : undefined;
    if (grant === undefined) return fail(res, 401, "Unauthorized", "Unauthorized");

    const fault = takeFault(url.pathname, watch);
    if (fault?.kind === "hang") return; // the socket stays open until the client gives up or the server closes
    if (fault?.kind === "malformed") {
      res.writeHead(200, { "Content-Type": "application/json" });
      return res.end('{"kind": "DeploymentList", "items": [ {"metadata": ');
    }
    if (fault?.kind === "status") {
      return fail(res, fault.code, fault.reason ?? "InternalError", fault.message ?? "injected failure");
    }

    const route = ROUTE.exec(url.pathname);
    const kind = route?.[2] as KubeKind | undefined;
    if (!route || !kind || !url.pathname.startsWith(GROUP_OF[kind]) || uninstalled.has(kind)) {
      return fail(res, 404, "NotFound", "the server could not find the requested resource");
    }
    const namespace = kind === "namespaces" ? undefined : route[1];
    const name = kind === "namespaces" ? (route[1] ?? route[3]) : route[3];
    if (!allows(grant, kind, namespace, name)) {
      const scope = namespace ? `in the namespace "${namespace}"` : "at the cluster scope";
      return fail(res, 403, "Forbidden", `${kind} is forbidden: User cannot list resource "${kind}" ${scope}`);
    }
    if (name !== undefined) {
      const object = store.get(kind, namespace, name);
      if (!object) return fail(res, 404, "NotFound", `${kind} "${name}" not found`);
      return send(res, 200, object);
    }
    if (!watch) {
      const meta = typeMeta(kind);
      return send(res, 200, {
        apiVersion: meta.apiVersion,
        kind: `${meta.kind}List`,
        metadata: { resourceVersion: String(store.resourceVersion) },
        items: store.list(kind, namespace),
      });
    }
    startWatch(res, kind, namespace, query.resourceVersion, fault?.kind === "drop-after" ? fault.events : null);
  };

  const startWatch = (
    res: ServerResponse,
    kind: KubeKind,
    namespace: string | undefined,
    fromRv: string | undefined,
    dropAfter: number | null,
  ) => {
    res.writeHead(200, { "Content-Type": "application/json", "Transfer-Encoding": "chunked" });
    const w: OpenWatch = { kind, namespace, res, sent: 0, dropAfter };
    const backlog: KubeEvent[] = [];
    if (fromRv === undefined || fromRv === "" || fromRv === "0") {
      for (const object of store.list(kind, namespace)) {
        backlog.push({ type: "ADDED", kind, rv: Number(object.metadata.resourceVersion), object });
      }
    } else {
      const events = store.since(Number(fromRv));
      if (events === null) {
        // The real API server answers 200 and then an ERROR event carrying a 410 Status.
        res.end(
          `${JSON.stringify({ type: "ERROR", object: statusBody(410, "Expired", `too old resource version: ${fromRv} (${store.compactedAt})`) })}\n`,
        );
        return;
      }
      backlog.push(...events.filter((e) => matches(w, e)));
    }
    watches.add(w);
    const unsubscribe = store.subscribe((e) => {
      if (matches(w, e) && !res.destroyed) writeEvent(w, e.type, e.object);
    });
    res.on("close", () => {
      unsubscribe();
      watches.delete(w);
    });
    for (const e of backlog) if (!res.destroyed) writeEvent(w, e.type, e.object);
  };

  const server = options.tls ? createTlsServer(options.tls, handle) : createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `${options.tls ? "https" : "http"}://127.0.0.1:${port}`,
    token,
    store,
    requests,
    grant: (t, namespaces) => {
      grants.set(t, namespaces);
    },
    inject: (fault, match = {}) => {
      faults.push({ fault, path: match.path, watch: match.watch, remaining: match.times ?? 1 });
    },
    clearFaults: () => {
      faults.length = 0;
    },
    uninstall: (kind) => {
      uninstalled.add(kind);
    },
    dropWatches: () => {
      for (const w of watches) w.res.destroy();
    },
    bookmark: () => {
      const rv = String(store.resourceVersion);
      for (const w of watches) {
        writeEvent(w, "BOOKMARK", { ...typeMeta(w.kind), metadata: { resourceVersion: rv } });
      }
    },
    openWatches: () => watches.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const w of watches) w.res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The server's base path for a kind (for tests that build URLs by hand). */
export function apiPath(kind: KubeKind, namespace?: string): string {
  return `${GROUP_OF[kind]}${namespace ? `/namespaces/${namespace}` : ""}/${kind}`;
}
