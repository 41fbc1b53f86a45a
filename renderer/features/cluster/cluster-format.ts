import type { ClusterSourceError, EnvironmentName } from "../../../shared/contract/methods/cluster";

/** Display names of the environments. */
export const ENVIRONMENT_LABELS: Readonly<Record<EnvironmentName, string>> = {
  development: "Development",
  integration: "Integration",
  qa: "QA",
  preproduction: "Pre-production",
  production: "Production",
};

/** A short state line for a failed source: what is wrong, and when Shiftgate asks again. */
export function errorHeadline(error: ClusterSourceError, retryAt: string | null, nowMs: number): string {
  const what: Record<ClusterSourceError["kind"], string> = {
    unreachable: "cluster not reachable",
    timeout: "cluster not answering",
    unauthorised: "credentials refused",
    forbidden: "access denied",
    "not-found": "not found",
    garbage: "unreadable answer",
    expired: "history expired",
    server: "cluster error",
    kubeconfig: "kubeconfig problem",
  };
  return `${what[error.kind]}${retryLabel(retryAt, nowMs)}`;
}

/** "— retrying in 30 s" (rounded to whole seconds), or nothing when no retry is planned. */
export function retryLabel(retryAt: string | null, nowMs: number): string {
  if (retryAt === null) return "";
  const seconds = Math.max(0, Math.ceil((Date.parse(retryAt) - nowMs) / 1000));
  if (seconds === 0) return " — retrying now";
  return seconds >= 120 ? ` — retrying in ${Math.round(seconds / 60)} min` : ` — retrying in ${seconds} s`;
}

/** Splits an image into repository and tag (or digest) for compact display. */
export function splitImage(image: string): { readonly repository: string; readonly tag: string } {
  const at = image.indexOf("@");
  if (at >= 0) return { repository: image.slice(0, at), tag: image.slice(at + 1, at + 20) };
  const colon = image.lastIndexOf(":");
  if (colon > image.lastIndexOf("/")) return { repository: image.slice(0, colon), tag: image.slice(colon + 1) };
  return { repository: image, tag: "latest" };
}

/** The first 8 characters of a commit, or a dash. */
export function shortRevision(revision: string | null): string {
  return revision ? revision.slice(0, 8) : "—";
}

/** "5 min ago" style age of an RFC 3339 instant. */
export function age(at: string | null, nowMs: number): string {
  if (!at) return "—";
  const minutes = Math.round((nowMs - Date.parse(at)) / 60_000);
  if (minutes < 1) return "just now";
  if (minutes < 120) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h ago` : `${Math.round(hours / 24)} d ago`;
}

/** A CSS modifier for an Argo CD sync or health status. */
export function tone(status: string): "good" | "warn" | "bad" | "muted" {
  switch (status) {
    case "Synced":
    case "Healthy":
    case "Succeeded":
      return "good";
    case "OutOfSync":
    case "Progressing":
    case "Running":
    case "Suspended":
      return "warn";
    case "Degraded":
    case "Missing":
    case "Failed":
    case "Error":
      return "bad";
    default:
      return "muted";
  }
}
