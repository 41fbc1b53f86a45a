import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { isMap, isSeq, parseDocument } from "yaml";
import { AppError } from "../../../shared/contract/errors";
import { matchesAny, parseChange, parsePolicy } from "../../../shared/domain/policy/index";
import { commitFiles, type FileWrite, messageWithTrailers } from "./commit";
import { ensureClean, type GitopsRepo } from "./repo";
import type { Signer } from "./signing";

export interface ReleaseInput {
  readonly change: string;
  /** The environment name in policy.yaml (its paths locate the kustomization). */
  readonly environment: string;
  /** The image name as the kustomization's `images:` lists it (e.g. registry.example/odoo). */
  readonly image: string;
  readonly newTag: string;
  /** The kustomization file; by default the one kustomization.yaml under the environment's paths. */
  readonly file?: string;
  /** Committer date (tests, the demo); defaults to now. */
  readonly date?: Date;
  /** The change's pre-deployment snapshot or backup, named in the commit as the rollback checkpoint. */
  readonly rollbackSnapshot?: string | null;
}

/** Sets `images[name=image].newTag` in a kustomization, keeping comments and layout. */
export function setImageTag(kustomization: string, image: string, newTag: string): string {
  const doc = parseDocument(kustomization);
  let images = doc.get("images");
  if (!isSeq(images)) {
    doc.set("images", doc.createNode([]));
    images = doc.get("images");
  }
  if (!isSeq(images)) throw new AppError("invalid-input", "The kustomization's images: is not a list.");
  const entry = images.items.find((item) => isMap(item) && item.get("name") === image);
  if (isMap(entry)) entry.set("newTag", newTag);
  else images.add(doc.createNode({ name: image, newTag }));
  return doc.toString({ lineWidth: 0 });
}

// The first of the environment's paths that holds a kustomization: an environment lists its overlay before the
// shared base it builds on (apps/odoo/base), and a release pins the image in the overlay, not in the base.
function findKustomization(dir: string, globs: readonly string[]): string | null {
  for (const glob of globs) {
    const found = firstKustomization(dir, [glob]);
    if (found) return found;
  }
  return null;
}

function firstKustomization(dir: string, globs: readonly string[]): string | null {
  const found: string[] = [];
  const walk = (abs: string) => {
    for (const name of readdirSync(abs)) {
      if (name === ".git") continue;
      const child = join(abs, name);
      if (statSync(child).isDirectory()) walk(child);
      else if (name === "kustomization.yaml" || name === "kustomization.yml") {
        const rel = relative(dir, child).split("\\").join("/");
        if (matchesAny(rel, globs)) found.push(rel);
      }
    }
  };
  walk(dir);
  return found.sort()[0] ?? null;
}

/** The image the kustomization pins before the release (`image:tag`), or null when it names none. */
export function pinnedImage(kustomization: string, image: string): string | null {
  const images = parseDocument(kustomization).get("images");
  if (!isSeq(images)) return null;
  const entry = images.items.find((item) => isMap(item) && item.get("name") === image);
  if (!isMap(entry)) return null;
  const tag = entry.get("newTag");
  const digest = entry.get("digest");
  if (typeof digest === "string" && digest !== "") return `${image}@${digest}`;
  return typeof tag === "string" || typeof tag === "number" ? `${image}:${tag}` : null;
}

// The rollback checkpoint travels in the signed release commit: what ran before and the snapshot taken for it, so
// undoing the release is one signed revert (and the database restore it names).
function rollbackTrailers(before: string, input: ReleaseInput): [string, string][] {
  const previous = pinnedImage(before, input.image);
  const snapshot = input.rollbackSnapshot?.trim();
  return [
    ...(previous ? [["Rollback-Image", previous] as [string, string]] : []),
    ...(snapshot ? [["Rollback-Snapshot", snapshot] as [string, string]] : []),
  ];
}

/** What a release commit holds: the kustomization with the new tag and its message (no git runs). */
export interface ReleaseWrite {
  readonly files: readonly FileWrite[];
  readonly message: string;
}

// The approvals cover the image change.yaml names: releasing another one under this change would only be reported
// by verify (artifact-mismatch) after it reached the cluster, so the core refuses it here, for every door.
function checkArtifact(dir: string, input: ReleaseInput): void {
  const file = join(dir, "changes", input.change, "change.yaml");
  if (!existsSync(file)) return;
  let artifact: ReturnType<typeof parseChange>["artifact"];
  try {
    artifact = parseChange(readFileSync(file, "utf8")).artifact;
  } catch {
    return; // An unreadable change.yaml is verify's finding to report (unknown-change), not a reason to guess here.
  }
  if (!artifact) return;
  const covered = artifact.digest
    ? `${artifact.image}${artifact.tag ? `:${artifact.tag}` : ""}@${artifact.digest}`
    : `${artifact.image}:${artifact.tag}`;
  if (artifact.image !== input.image || artifact.tag !== input.newTag || artifact.digest)
    throw new AppError(
      "forbidden",
      `${input.change}'s approvals cover ${covered}${artifact.digest ? " (pinned by digest: set it in the kustomization by hand)" : ""}, not ${input.image}:${input.newTag}. A different image needs its own change and approvals.`,
    );
}

/** Builds a release from the working copy's current files; the outbox stores it as an intent before committing. */
export function buildRelease(dir: string, input: ReleaseInput): ReleaseWrite {
  const policyFile = join(dir, ".shiftgate", "policy.yaml");
  if (!existsSync(policyFile)) throw new AppError("not-found", "The GitOps repository has no .shiftgate/policy.yaml.");
  const policy = parsePolicy(readFileSync(policyFile, "utf8"));
  const env = policy.environments[input.environment];
  if (!env) throw new AppError("not-found", `policy.yaml has no environment '${input.environment}'.`);
  checkArtifact(dir, input);
  const file = input.file ?? findKustomization(dir, env.paths);
  if (!file)
    throw new AppError("not-found", `No kustomization.yaml under ${env.paths.join(", ")} for ${input.environment}.`);
  const abs = join(dir, file);
  const before = existsSync(abs)
    ? readFileSync(abs, "utf8")
    : "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n";
  return {
    files: [{ path: file, content: setImageTag(before, input.image, input.newTag) }],
    message: messageWithTrailers(`Release ${input.change} to ${input.environment}: ${input.image}:${input.newTag}`, [
      ["Change-Request", input.change],
      ...rollbackTrailers(before, input),
    ]),
  };
}

/**
 * Writes a release: the image tag in the environment's kustomization, one signed commit carrying
 * `Change-Request: <ID>`. Does not push. Returns the commit id.
 */
export async function releaseChange(repo: GitopsRepo, signer: Signer, input: ReleaseInput): Promise<string> {
  await ensureClean(repo);
  const { files, message } = buildRelease(repo.dir, input);
  return commitFiles(repo, signer, files, message, input.date);
}
