import type {
  ApplicationView,
  DeploymentView,
  DriftItem,
  EnvironmentName,
} from "../../../shared/contract/methods/cluster";

/** What runs in one environment, as the cluster reports it. */
export interface RunningEnvironment {
  readonly environment: EnvironmentName;
  readonly deployments: readonly DeploymentView[];
  readonly applications: readonly ApplicationView[];
}

/** What approved changes in the GitOps repository allow in one environment (oldest first). */
export interface ApprovedEnvironment {
  readonly images: readonly { readonly image: string; readonly changeId: string }[];
  readonly revisions: readonly { readonly revision: string; readonly changeId: string }[];
}

/**
 * Normalises an image reference so equal images compare equal: Docker Hub's implicit prefixes are dropped
 * and a missing tag means "latest"; a digest is what runs, so `name:tag@digest` (kustomize's digest output) is
 * `name@digest`.
 */
export function normaliseImage(image: string): string {
  let ref = image.trim();
  ref = ref.replace(/^(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, "").replace(/^library\//, "");
  const at = ref.indexOf("@");
  if (at >= 0) {
    const name = ref.slice(0, at);
    const tag = name.slice(name.lastIndexOf("/") + 1).indexOf(":");
    return tag >= 0 ? `${name.slice(0, name.lastIndexOf("/") + 1 + tag)}${ref.slice(at)}` : ref;
  }
  const lastSlash = ref.lastIndexOf("/");
  return ref.slice(lastSlash + 1).includes(":") ? ref : `${ref}:latest`;
}

/** The repository part of an image reference (without tag or digest). */
export function imageRepository(image: string): string {
  const ref = normaliseImage(image);
  const at = ref.indexOf("@");
  if (at >= 0) return ref.slice(0, at);
  return ref.slice(0, ref.lastIndexOf(":"));
}

/** True when two git revisions name the same commit (a short SHA matches its full form). */
export function sameRevision(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x === y) return true;
  const hex = /^[0-9a-f]{7,40}$/;
  return hex.test(x) && hex.test(y) && (x.startsWith(y) || y.startsWith(x));
}

/**
 * Running images and synced revisions that no approved change explains. Each item says what runs and, when
 * there is one, the latest approved image of the same repository or the latest approved revision.
 */
export function findDrift(running: RunningEnvironment, approved: ApprovedEnvironment): DriftItem[] {
  const approvedImages = new Set(approved.images.map((a) => normaliseImage(a.image)));
  const latestByRepo = new Map<string, string>();
  for (const a of approved.images) latestByRepo.set(imageRepository(a.image), a.image);
  const drift: DriftItem[] = [];
  for (const d of running.deployments) {
    for (const image of d.images) {
      if (approvedImages.has(normaliseImage(image))) continue;
      const expected = latestByRepo.get(imageRepository(image)) ?? null;
      drift.push({
        environment: running.environment,
        namespace: d.namespace,
        name: d.name,
        kind: "image",
        running: image,
        approved: expected,
        message: expected
          ? `${d.name} runs ${image}, but the approved image is ${expected}.`
          : `${d.name} runs ${image}, which no approved change names.`,
      });
    }
  }
  const latestRevision = approved.revisions.at(-1)?.revision ?? null;
  for (const app of running.applications) {
    if (app.revision === null || app.sync === "Unknown") continue;
    const revision = app.revision;
    if (approved.revisions.some((a) => sameRevision(a.revision, revision))) continue;
    drift.push({
      environment: running.environment,
      namespace: app.namespace,
      name: app.name,
      kind: "revision",
      running: revision,
      approved: latestRevision,
      message: latestRevision
        ? `Argo CD application ${app.name} is synced to ${revision.slice(0, 12)}, but the approved revision is ${latestRevision.slice(0, 12)}.`
        : `Argo CD application ${app.name} is synced to ${revision.slice(0, 12)}, which no approved change names.`,
    });
  }
  return drift;
}
