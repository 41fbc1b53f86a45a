import { AppError } from "../../../shared/contract/index";
import type { ClusterErrorKind, ClusterSourceError } from "../../../shared/contract/methods/cluster";

/** What was being read when an error happened, for the message. */
interface ReadSubject {
  readonly source: string;
  /** e.g. "the Odoo deployments in namespace odoo-prod" */
  readonly what: string;
  readonly context: string;
  readonly server: string | null;
  readonly timeoutMs: number;
}

/** A Kubernetes error carried as an AppError('cluster') with its kind in details. */
export class ClusterReadError extends AppError {
  readonly kind: ClusterErrorKind;
  readonly source: string;
  constructor(kind: ClusterErrorKind, source: string, message: string, status?: number) {
    super("cluster", message, { kind, source, ...(status === undefined ? {} : { status }) });
    this.kind = kind;
    this.source = source;
  }

  /** The per-source error the views and the CLI print. */
  toSourceError(): ClusterSourceError {
    return { source: this.source, kind: this.kind, message: this.message };
  }
}

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "EPIPE",
  "ETIMEDOUT",
  "ECONNABORTED",
  "UND_ERR_SOCKET",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "CERT_HAS_EXPIRED",
]);

function field(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/** The HTTP status of a client-node ApiException (or our own watch error), if it is one. */
export function httpStatusOf(error: unknown): number | null {
  const code = field(error, "code") ?? field(error, "statusCode");
  return typeof code === "number" && code >= 100 && code < 600 ? code : null;
}

function statusMessage(error: unknown): string | null {
  const body = field(error, "body");
  const parsed = typeof body === "string" ? safeJson(body) : body;
  const message = field(parsed, "message");
  return typeof message === "string" && message.length > 0 ? message.slice(0, 300) : null;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function networkCode(error: unknown): string | null {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = field(e, "cause"), depth++) {
    const code = field(e, "code") ?? field(e, "errno");
    if (
      typeof code === "string" &&
      (NETWORK_CODES.has(code) || code.startsWith("ERR_TLS") || code.startsWith("ERR_OSSL") || code.includes("CERT"))
    ) {
      return code;
    }
  }
  return null;
}

/**
 * Translates what the Kubernetes client threw into an AppError a plant manager can act on:
 * which cluster, what was being read, what went wrong and what to do about it.
 */
export function translateKubeError(error: unknown, subject: ReadSubject): ClusterReadError {
  if (error instanceof ClusterReadError) return error;
  const where = `the cluster of context "${subject.context}"${subject.server ? ` (${subject.server})` : ""}`;
  const status = httpStatusOf(error);
  const name = field(error, "name");
  if (name === "AbortError" || name === "TimeoutError") {
    const seconds = Math.max(1, Math.round(subject.timeoutMs / 1000));
    return new ClusterReadError(
      "timeout",
      subject.source,
      `${capital(where)} did not answer within ${seconds} s while reading ${subject.what}. It may be overloaded or the network is slow.`,
    );
  }
  if (status !== null) return fromStatus(status, statusMessage(error), where, subject);
  const code = networkCode(error);
  if (code?.startsWith("ERR_OSSL"))
    return new ClusterReadError(
      "kubeconfig",
      subject.source,
      `The kubeconfig of context "${subject.context}" holds a certificate or key that is not valid PEM (${code}). Ask the cluster administrator for a fresh kubeconfig.`,
    );
  if (code === "ECONNREFUSED" && subject.server && isLoopbackServer(subject.server))
    return new ClusterReadError(
      "unreachable",
      subject.source,
      `Nothing answers at ${subject.server} on this computer (${code}). Start kubectl proxy (or the tunnel the kubeconfig expects) and try again.`,
    );
  if (code !== null) {
    // UNABLE_TO_VERIFY_LEAF_SIGNATURE and friends are TLS verdicts too: the server answered, its certificate did not verify.
    const tls = code.includes("CERT") || code.includes("SIGNATURE") || code.startsWith("ERR_TLS");
    return new ClusterReadError(
      "unreachable",
      subject.source,
      tls
        ? `${capital(where)} presented a certificate Shiftgate does not trust (${code}). Check the certificate authority in the kubeconfig.`
        : `${capital(where)} cannot be reached (${code}). Check the network or VPN connection to the plant's cluster.`,
    );
  }
  if (
    error instanceof SyntaxError ||
    /mediaType|not supported|JSON|Unexpected/i.test(String(field(error, "message")))
  ) {
    return new ClusterReadError(
      "garbage",
      subject.source,
      `${capital(where)} sent an answer Shiftgate cannot read while reading ${subject.what} (not valid Kubernetes JSON). A proxy or firewall may be answering in its place.`,
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ClusterReadError(
    "unreachable",
    subject.source,
    `${capital(where)} could not be read (${message.slice(0, 200)}). Check the network connection to the cluster.`,
  );
}

function fromStatus(status: number, detail: string | null, where: string, subject: ReadSubject): ClusterReadError {
  const suffix = detail ? ` The cluster said: ${detail}` : "";
  switch (status) {
    case 401:
      return new ClusterReadError(
        "unauthorised",
        subject.source,
        `${capital(where)} refused Shiftgate's credentials (401): the token or certificate in the kubeconfig is wrong or expired. Ask the cluster administrator for a fresh kubeconfig.`,
        status,
      );
    case 403:
      return new ClusterReadError(
        "forbidden",
        subject.source,
        `The credentials for ${where} may not read ${subject.what} (403). Ask the cluster administrator for read access.${suffix}`,
        status,
      );
    case 404:
      return new ClusterReadError(
        "not-found",
        subject.source,
        `${capital(subject.what)} do not exist on ${where} (404): check the namespace names${subject.source === "applications" || subject.source === "appprojects" ? ", and that Argo CD is installed there" : ""}.`,
        status,
      );
    case 410:
      return new ClusterReadError(
        "expired",
        subject.source,
        `${capital(where)} no longer holds the history Shiftgate asked for (410); it will read everything again.`,
        status,
      );
    default:
      return new ClusterReadError(
        "server",
        subject.source,
        `${capital(where)} answered with an error (${status}) while reading ${subject.what}.${suffix}`,
        status,
      );
  }
}

function isLoopbackServer(server: string): boolean {
  try {
    const host = new URL(server).hostname;
    return host === "localhost" || host === "[::1]" || host.startsWith("127.");
  } catch {
    return false;
  }
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** True for failures worth asking again soon (network, timeouts, server errors, garbage from a proxy). */
export function isTransient(kind: ClusterErrorKind): boolean {
  return kind === "unreachable" || kind === "timeout" || kind === "server" || kind === "garbage" || kind === "expired";
}

/**
 * An error raised while preparing a request's credentials, before anything reached the cluster: a login program
 * that is missing or failed, a certificate or key file that is missing or not PEM. Named as such, never "network".
 */
export function credentialError(
  error: unknown,
  where: { readonly command: string | null; readonly context: string },
): ClusterReadError {
  if (error instanceof ClusterReadError) return error;
  const code = field(error, "code");
  const syscall = String(field(error, "syscall") ?? "");
  const path = field(error, "path");
  const message = (error instanceof Error ? error.message : String(error)).trim();
  if (where.command !== null && (syscall.startsWith("spawn") || error instanceof SyntaxError || !syscall)) {
    const why = syscall.startsWith("spawn")
      ? `could not be started (${String(code)}): check that it is installed at that path`
      : error instanceof SyntaxError
        ? "did not print an ExecCredential (JSON) on its standard output"
        : `failed${message ? `: ${message.split("\n")[0]?.slice(0, 300)}` : " without saying why"}`;
    return new ClusterReadError(
      "kubeconfig",
      "kubeconfig",
      `The login program of context "${where.context}" (${where.command}) ${why}. Run it in a terminal to see what it needs (a fresh login or session).`,
    );
  }
  if (typeof path === "string")
    return new ClusterReadError(
      "kubeconfig",
      "kubeconfig",
      `The file ${path} named in the kubeconfig of context "${where.context}" cannot be read (${String(code)}): a certificate, key or token file is missing or not readable.`,
    );
  return new ClusterReadError(
    "kubeconfig",
    "kubeconfig",
    `The credentials of context "${where.context}" could not be prepared (${message.slice(0, 200)}). Check the kubeconfig's certificates and login settings.`,
  );
}
