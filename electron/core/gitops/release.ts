import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { isMap, isSeq, parseDocument } from "yaml";
import { AppError } from "../../../shared/contract/errors";
import { matchesAny, type Policy, parseChange, parsePolicy } from "../../../shared/domain/policy/index";
import { type FileWrite, messageWithTrailers } from "./commit";
import { DIGEST, setHelmImage, setImage, showImage } from "./release-image";

interface ReleaseInput {
  readonly change: string;
  /** The environment name in policy.yaml (its paths locate the kustomization, or its helmValues the values file). */
  readonly environment: string;
  /** The image name as the kustomization's `images:` lists it (e.g. registry.example/odoo). */
  readonly image: string;
  /** The tag people read; kept beside the digest. */
  readonly newTag?: string;
  /** The image's digest (sha256:…): what the release really deploys. Required for a protected environment. */
  readonly digest?: string;
  /** The kustomization file; by default the one kustomization.yaml under the environment's paths. */
  readonly file?: string;
  /** The change's pre-deployment snapshot or backup, named in the commit as the rollback checkpoint. */
  readonly rollbackSnapshot?: string | null;
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
function pinnedImage(kustomization: string, image: string): string | null {
  const images = parseDocument(kustomization).get("images");
  if (!isSeq(images)) return null;
  const entry = images.items.find((item) => isMap(item) && item.get("name") === image);
  if (!isMap(entry)) return null;
  const tag = entry.get("newTag");
  const digest = entry.get("digest");
  const named = typeof tag === "string" || typeof tag === "number" ? `${image}:${tag}` : image;
  // The tag is kept beside the digest for people; the digest is what a rollback pins again.
  if (typeof digest === "string" && digest !== "") return `${named}@${digest}`;
  return named === image ? null : named;
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
interface ReleaseWrite {
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
  const covered = showImage(artifact.image, artifact);
  const released = showImage(input.image, { tag: input.newTag, digest: input.digest });
  // The digest is the artifact when change.yaml names one; its tag, where named, must be the one released.
  const differs =
    artifact.image !== input.image ||
    (artifact.digest !== undefined && artifact.digest !== input.digest) ||
    (artifact.tag !== undefined && input.newTag !== undefined && artifact.tag !== input.newTag) ||
    (artifact.tag !== undefined && artifact.digest === undefined && input.newTag === undefined);
  if (differs)
    throw new AppError(
      "forbidden",
      `${input.change}'s approvals cover ${covered}, not ${released}. A different image needs its own change and approvals.`,
    );
}

/** Builds a release from the working copy's current files; the outbox stores it as an intent before committing. */
export function buildRelease(dir: string, input: ReleaseInput): ReleaseWrite {
  const policy = readPolicy(dir);
  const env = policy.environments[input.environment];
  if (!env) throw new AppError("not-found", `policy.yaml has no environment '${input.environment}'.`);
  if (input.digest !== undefined && !DIGEST.test(input.digest))
    throw new AppError("invalid-input", `${input.digest} is not an image digest: give sha256: and 64 hex digits.`);
  // A tag can be moved to other bytes at any time: what a protected environment runs is named by its digest.
  if (env.protected && !input.digest)
    throw new AppError(
      "invalid-input",
      `${input.environment} is protected: a release names the image by digest, not by tag alone. Give the digest (sha256:…) of ${input.image}${input.newTag ? `:${input.newTag}` : ""}, as the registry reports it.`,
    );
  if (!input.digest && !input.newTag) throw new AppError("invalid-input", "Give the image's tag or digest to release.");
  checkArtifact(dir, input);
  const pin = { tag: input.newTag, digest: input.digest };
  const file = input.file ?? env.helmValues ?? findKustomization(dir, env.paths);
  if (!file)
    throw new AppError("not-found", `No kustomization.yaml under ${env.paths.join(", ")} for ${input.environment}.`);
  const abs = join(dir, file);
  const helm = !input.file && env.helmValues !== undefined;
  const before = existsSync(abs)
    ? readFileSync(abs, "utf8")
    : helm
      ? ""
      : "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n";
  const content = helm ? setHelmImage(before, input.image, pin) : setImage(before, input.image, pin);
  return {
    files: [{ path: file, content }],
    message: messageWithTrailers(`Release ${input.change} to ${input.environment}: ${showImage(input.image, pin)}`, [
      ["Change-Request", input.change],
      ...rollbackTrailers(before, input),
    ]),
  };
}

/** The repository's policy.yaml, as the working copy holds it. */
export function readPolicy(dir: string): Policy {
  const policyFile = join(dir, ".shiftgate", "policy.yaml");
  if (!existsSync(policyFile)) throw new AppError("not-found", "The GitOps repository has no .shiftgate/policy.yaml.");
  return parsePolicy(readFileSync(policyFile, "utf8"));
}
