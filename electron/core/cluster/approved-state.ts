import { parse } from "yaml";
import type { ApprovedEnvironment } from "./drift";

/** One commit of the GitOps history as the derivation needs it (the verifier's HistoryCommit fits). */
interface HistoryEntry {
  readonly sha: string;
  readonly trailers: ReadonlyMap<string, readonly string[]>;
  /** Paths the commit changed, with the blob each now holds (null when deleted). */
  readonly changes: readonly { readonly path: string; readonly blob: string | null }[];
}

interface ApprovedHistoryInput {
  /** Oldest first; the first commit that writes the environment's paths is the trusted baseline. */
  readonly history: readonly HistoryEntry[];
  readonly isEnvironmentPath: (path: string) => boolean;
  /** Protected environments need a release commit with approvals; in others every commit is approved. */
  readonly protectedEnvironment: boolean;
  /** Commits `gitops verify` found an error on: they approve nothing. */
  readonly rejected: ReadonlySet<string>;
  /** Text of a blob (the kustomizations), null when unreadable. */
  readonly readText: (blob: string) => string | null;
}

/** The images a kustomization sets (`images: [{name, newName, newTag, digest}]`) as image references. */
export function kustomizationImages(text: string): string[] {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch {
    return [];
  }
  const images = (doc as { images?: unknown } | null)?.images;
  if (!Array.isArray(images)) return [];
  return images.flatMap((entry): string[] => {
    const e = entry as { name?: unknown; newName?: unknown; newTag?: unknown; digest?: unknown };
    const repository = typeof e.newName === "string" ? e.newName : typeof e.name === "string" ? e.name : null;
    if (repository === null) return [];
    // As kustomize builds it: the tag stays beside the digest for people, the digest is what runs.
    const tag = typeof e.newTag === "string" || typeof e.newTag === "number" ? `:${e.newTag}` : "";
    if (typeof e.digest === "string") return [`${repository}${tag}@${e.digest}`];
    if (typeof e.newTag === "string" || typeof e.newTag === "number") return [`${repository}:${e.newTag}`];
    return [];
  });
}

/**
 * What approved changes allow in one environment, read from the GitOps history: the images its kustomizations
 * set at each approved release, and every revision whose environment files are those of an approved release
 * (Argo CD syncs the branch head, which is often a later commit touching other paths).
 */
export function approvedFromHistory(input: ApprovedHistoryInput): ApprovedEnvironment {
  const images: { image: string; changeId: string }[] = [];
  const revisions: { revision: string; changeId: string }[] = [];
  const filesNow = new Map<string, readonly string[]>();
  let state: { approved: boolean; changeId: string } | null = null;
  for (const commit of input.history) {
    const touched = commit.changes.filter((c) => input.isEnvironmentPath(c.path));
    if (touched.length > 0) {
      for (const change of touched) {
        if (change.blob === null) filesNow.delete(change.path);
        else filesNow.set(change.path, kustomizationImages(input.readText(change.blob) ?? ""));
      }
      const changeId = trailer(commit, "change-request");
      const clean = !input.rejected.has(commit.sha);
      const baseline: boolean = state === null;
      const approved: boolean = clean && (!input.protectedEnvironment || changeId !== null || baseline);
      state = { approved, changeId: changeId ?? (baseline ? "root of trust" : "unreferenced commit") };
      if (approved) {
        for (const list of filesNow.values()) {
          for (const image of list) images.push({ image, changeId: state.changeId });
        }
      }
    }
    if (state?.approved) revisions.push({ revision: commit.sha, changeId: state.changeId });
  }
  return { images, revisions };
}

/** A trailer's first value, matched case-insensitively (git trailer keys are; the verifier lowercases them). */
function trailer(commit: HistoryEntry, key: string): string | null {
  for (const [name, values] of commit.trailers) if (name.toLowerCase() === key) return values[0] ?? null;
  return null;
}
