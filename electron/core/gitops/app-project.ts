import { isMap, isSeq, parseDocument } from "yaml";
import { AppError } from "../../../shared/contract/errors";
import { type ArgoSyncWindow, isShiftgateWindow } from "../../../shared/domain/calendar/index";

/** The AppProject the demo repository starts with: Argo CD needs sourceRepos and destinations before any window. */
export function demoAppProjectYaml(project: string): string {
  return [
    "# The Argo CD project of the demo's Odoo applications. Shiftgate merges its sync windows into spec.syncWindows",
    "# (those whose description starts with 'shiftgate:'); every other field and window is left as written here.",
    "apiVersion: argoproj.io/v1alpha1",
    "kind: AppProject",
    "metadata:",
    `  name: ${project}`,
    "  namespace: argocd",
    "spec:",
    "  sourceRepos:",
    "    - '*'",
    "  destinations:",
    "    - server: https://kubernetes.default.svc",
    "      namespace: odoo-*",
    "",
  ].join("\n");
}

const toPlain = (w: ArgoSyncWindow) => JSON.parse(JSON.stringify(w)) as Record<string, unknown>;

/**
 * The AppProject at `path` with Shiftgate's windows merged into `spec.syncWindows`: every other field, and every
 * window Shiftgate did not write (no `shiftgate:` description), stays as it was; Shiftgate's own are replaced.
 * A missing file is refused: a project without sourceRepos and destinations would stop every application deploying.
 */
export function appProjectYaml(
  existing: string | null,
  project: string,
  windows: readonly ArgoSyncWindow[],
  path = "the sync windows file",
): string {
  if (existing === null)
    throw new AppError(
      "not-found",
      `There is no AppProject at ${path}. Shiftgate adds its sync windows to an existing Argo CD project and does not ` +
        `create one: commit the AppProject "${project}" there with its spec.sourceRepos and spec.destinations (Argo CD ` +
        "refuses every application of a project without them), or give the path of the file that holds it, then publish again.",
      { reason: "app-project-missing", path, project },
    );
  const doc = parseDocument(existing);
  if (doc.errors.length > 0 || !isMap(doc.contents) || doc.get("kind") !== "AppProject")
    // Someone else's file (or a broken one) is never overwritten with ours.
    throw new AppError(
      "conflict",
      `${path} holds something other than one AppProject: choose the path of the project's AppProject file.`,
      { reason: "not-an-app-project", path },
    );
  const name = doc.getIn(["metadata", "name"]);
  if (name !== project)
    throw new AppError(
      "conflict",
      `${path} is the AppProject "${String(name)}", not "${project}": give the project's name or the path of its file.`,
      { reason: "app-project-name", path, project },
    );
  const seq = doc.getIn(["spec", "syncWindows"], true);
  // Hand-written windows are kept as nodes, comments and all; only the ones Shiftgate wrote are dropped.
  const kept = isSeq(seq)
    ? seq.items.filter((item) => {
        const plain = isMap(item) ? (item.toJSON() as { description?: unknown }) : {};
        return !isShiftgateWindow({ description: typeof plain.description === "string" ? plain.description : null });
      })
    : [];
  const ours = windows.map((w) => doc.createNode(toPlain(w)));
  if (isSeq(seq)) {
    // In place, so the list's own comments and style stay.
    seq.items.splice(0, seq.items.length, ...kept, ...ours);
  } else if (ours.length === 0) return existing;
  else doc.setIn(["spec", "syncWindows"], doc.createNode(ours));
  const text = doc.toString({ lineWidth: 0 });
  // Same meaning, same text: a republish that changes no window leaves the file (and the ledger) alone.
  return JSON.stringify(parseDocument(existing).toJSON()) === JSON.stringify(doc.toJSON()) ? existing : text;
}
