import { isMap, isSeq, parseDocument } from "yaml";
import { type ChangeDoc, matchesAny } from "../../../../shared/domain/policy/index";
import { type Finding, finding } from "./findings";
import type { HistoryCommit } from "./history";
import type { ObjectReader } from "./object-reader";
import type { FileState } from "./policy-state";

/** One image a kustomization deploys: its name (newName when set), tag and digest as `images:` lists them. */
interface ImageRef {
  readonly image: string;
  readonly tag: string | null;
  readonly digest: string | null;
}

/** The artifact each change's approvals cover, once its first authorised release has deployed it; by change id. */
export type BoundArtifacts = Map<string, readonly ImageRef[]>;

const KUSTOMIZATION = /(^|\/)kustomization\.ya?ml$/;

/** Reads the kustomizations under protected paths into the verifier's blob map: releases are judged on their images. */
export async function loadKustomizations(
  reader: ObjectReader,
  history: readonly HistoryCommit[],
  globs: readonly string[],
  blobs: Map<string, Buffer>,
): Promise<void> {
  const wanted = new Set<string>();
  for (const c of history)
    for (const p of c.changes)
      if (p.blob && KUSTOMIZATION.test(p.path) && matchesAny(p.path, globs) && !blobs.has(p.blob)) wanted.add(p.blob);
  const list = [...wanted];
  (await reader.readMany(list)).forEach((b, i) => {
    if (b) blobs.set(list[i] as string, b);
  });
}

/** The images a kustomization's `images:` sets; none when it does not parse. */
export function imagesOf(text: string | undefined): ImageRef[] {
  if (!text) return [];
  try {
    const images = parseDocument(text).get("images");
    if (!isSeq(images)) return [];
    return images.items.filter(isMap).map((m) => {
      const str = (key: string) => {
        const v = m.get(key);
        return v === undefined || v === null ? null : String(v);
      };
      return { image: str("newName") ?? str("name") ?? "", tag: str("newTag"), digest: str("digest") };
    });
  } catch {
    return [];
  }
}

const same = (a: ImageRef, b: ImageRef) => a.image === b.image && a.tag === b.tag && a.digest === b.digest;
const show = (r: ImageRef) => `${r.image}${r.tag ? `:${r.tag}` : ""}${r.digest ? `@${r.digest}` : ""}`;

/** The images a release commit sets in protected kustomizations: entries that differ from the parent's file. */
export function deployedImages(
  c: HistoryCommit,
  state: FileState,
  globs: readonly string[],
  blob: (sha: string) => Buffer | null,
): ImageRef[] {
  const out: ImageRef[] = [];
  for (const p of c.changes) {
    if (!p.blob || !KUSTOMIZATION.test(p.path) || !matchesAny(p.path, globs)) continue;
    const before = state.manifests.get(p.path);
    const old = imagesOf(before ? blob(before.blob)?.toString("utf8") : undefined);
    for (const ref of imagesOf(blob(p.blob)?.toString("utf8")))
      if (!old.some((o) => same(o, ref)) && !out.some((o) => same(o, ref))) out.push(ref);
  }
  return out;
}

/**
 * Whether a release deploys the artifact its change's approvals cover: change.yaml's `artifact` when present,
 * else what the change's first authorised release deployed (bound here when `authorised` and it has no finding).
 */
export function artifactFindings(
  c: HistoryCommit,
  change: ChangeDoc,
  deployed: readonly ImageRef[],
  bound: BoundArtifacts,
  authorised: boolean,
): Finding[] {
  if (deployed.length === 0) return [];
  const a = change.artifact;
  const covered = a
    ? (r: ImageRef) => r.image === a.image && (!a.tag || r.tag === a.tag) && (!a.digest || r.digest === a.digest)
    : (r: ImageRef) => (bound.get(change.id) ?? [r]).some((b) => same(b, r));
  const other = deployed.filter((r) => !covered(r));
  if (other.length === 0) {
    if (!a && authorised && !bound.has(change.id)) bound.set(change.id, deployed);
    return [];
  }
  const approved = a
    ? show({ image: a.image, tag: a.tag ?? null, digest: a.digest ?? null })
    : (bound.get(change.id) ?? []).map(show).join(", ");
  const source = a ? "change.yaml's artifact" : "its first release";
  return [
    finding(
      c.sha,
      change.id,
      "artifact-mismatch",
      `Release ${c.sha.slice(0, 10)} deploys ${other.map(show).join(", ")} under ${change.id}, whose approvals cover ${approved} (${source}). A new image needs its own change and approvals.`,
    ),
  ];
}
