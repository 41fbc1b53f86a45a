import { isMap, isSeq, parseDocument } from "yaml";
import { type ChangeDoc, matchesAny } from "../../../../shared/domain/policy/index";
import { readYamlSubset } from "../../../../shared/domain/policy/yaml-subset";
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

// Images by kustomization text: each release reads its files before and after, and the promotion ledger reads
// every stage's files again; a text is parsed once per process (content-keyed, so never stale).
const imageCache = new Map<string, readonly ImageRef[]>();

/** The images a kustomization's `images:` sets; none when it does not parse. */
export function imagesOf(text: string | undefined): readonly ImageRef[] {
  if (!text) return [];
  let images = imageCache.get(text);
  if (!images) {
    images = imagesFromSubset(text) ?? imagesFromDocument(text);
    if (imageCache.size > 1024) imageCache.clear();
    imageCache.set(text, images);
  }
  return images;
}

// The subset reader's value is the library's (see yaml-subset.ts); a non-scalar name, tag or digest is left to the
// library, which prints its node rather than the plain value.
function imagesFromSubset(text: string): ImageRef[] | undefined {
  const doc = readYamlSubset(text);
  if (!doc) return undefined;
  const images = doc.value.images;
  if (!Array.isArray(images)) return [];
  const refs: ImageRef[] = [];
  for (const m of images as unknown[]) {
    if (typeof m !== "object" || m === null || Array.isArray(m)) continue;
    const fields = m as Record<string, unknown>;
    const str = (key: string): string | null | undefined => {
      const v = Object.hasOwn(fields, key) ? fields[key] : undefined;
      if (v === undefined || v === null) return null;
      return typeof v === "object" ? undefined : String(v);
    };
    const [newName, name, tag, digest] = [str("newName"), str("name"), str("newTag"), str("digest")];
    if (newName === undefined || name === undefined || tag === undefined || digest === undefined) return undefined;
    refs.push({ image: newName ?? name ?? "", tag, digest });
  }
  return refs;
}

function imagesFromDocument(text: string): ImageRef[] {
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
