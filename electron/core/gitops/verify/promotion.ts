import { isMap, parseDocument } from "yaml";
import type { Policy } from "../../../../shared/domain/policy/index";
import { isReleaseFile, previousEnvironment } from "../promotion";
import { imagesOf } from "./artifact";
import { type Finding, finding } from "./findings";
import type { HistoryCommit, PathChange } from "./history";
import type { ObjectReader } from "./object-reader";
import type { FileState } from "./policy-state";

/** The digests each environment's release files have pinned so far in the history, by environment name. */
export type StageLedger = Map<string, Set<string>>;

type Environments = Policy["environments"];

/** The digests a release file pins: a kustomization's `images[].digest`, or a Helm values file's `image.digest`. */
function digestsOf(path: string, text: string | undefined): string[] {
  if (!text) return [];
  if (/(^|\/)kustomization\.ya?ml$/.test(path)) return imagesOf(text).flatMap((r) => (r.digest ? [r.digest] : []));
  try {
    const image = parseDocument(text).get("image");
    const digest = isMap(image) ? image.get("digest") : undefined;
    return typeof digest === "string" && digest ? [digest] : [];
  } catch {
    return [];
  }
}

/** Loads every release file of every environment any policy version names (the unprotected stages too). */
export async function loadStageFiles(
  reader: ObjectReader,
  history: readonly HistoryCommit[],
  policies: readonly Policy[],
  blobs: Map<string, Buffer>,
): Promise<void> {
  const envs = policies.flatMap((p) => Object.values(p.environments));
  const wanted = new Set<string>();
  for (const c of history)
    for (const p of c.changes)
      if (p.blob && !blobs.has(p.blob) && envs.some((e) => isReleaseFile(e, p.path))) wanted.add(p.blob);
  const list = [...wanted];
  (await reader.readMany(list)).forEach((b, i) => {
    if (b) blobs.set(list[i] as string, b);
  });
}

/** Adds the digests a commit pins in any environment's release files to the ledger (every policy version's map). */
export function recordStages(
  c: HistoryCommit,
  policies: readonly Policy[],
  blob: (sha: string) => Buffer | null,
  ledger: StageLedger,
): void {
  for (const p of c.changes) {
    if (!p.blob) continue;
    for (const policy of policies)
      for (const [name, env] of Object.entries(policy.environments)) {
        if (!isReleaseFile(env, p.path)) continue;
        const set = ledger.get(name) ?? new Set<string>();
        for (const d of digestsOf(p.path, blob(p.blob)?.toString("utf8"))) set.add(d);
        ledger.set(name, set);
      }
  }
}

/**
 * A release that pins, in a protected environment, a digest the previous stage's release files never pinned:
 * the image skipped a stage (`unpromoted-digest`). Judged on the digests new in this commit's files.
 */
export function promotionFindings(
  c: HistoryCommit,
  changes: readonly PathChange[],
  before: FileState,
  environments: Environments,
  blob: (sha: string) => Buffer | null,
  ledger: StageLedger,
): Finding[] {
  const out: Finding[] = [];
  const id = c.trailers.get("change-request")?.[0] ?? null;
  for (const p of changes) {
    if (!p.blob) continue;
    for (const [name, env] of Object.entries(environments)) {
      if (!env.protected || !isReleaseFile(env, p.path)) continue;
      const previous = previousEnvironment(environments, name);
      if (!previous) continue;
      const old = before.manifests.get(p.path);
      const had = new Set(digestsOf(p.path, old ? blob(old.blob)?.toString("utf8") : undefined));
      for (const digest of digestsOf(p.path, blob(p.blob)?.toString("utf8"))) {
        if (had.has(digest) || ledger.get(previous)?.has(digest)) continue;
        if (out.some((f) => f.message.includes(digest))) continue;
        out.push(
          finding(
            c.sha,
            id,
            "unpromoted-digest",
            `Release ${c.sha.slice(0, 10)} pins ${digest} in ${name} (${p.path}), but ${previous} never ran it: an image reaches ${name} only after the previous stage.`,
          ),
        );
      }
    }
  }
  return out;
}
