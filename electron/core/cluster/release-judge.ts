import type { ApplicationView, DeploymentView, ReleaseCheck } from "../../../shared/contract/methods/cluster";
import { imageRepository, normaliseImage, sameRevision } from "./drift";

/** Why a release failed its post-release validation. */
type ReleaseFailure = "missing" | "degraded" | "operation-failed" | "other-revision" | "timed-out";

/** The verdict of post-release validation at one instant. */
type ReleaseVerdict =
  | { readonly state: "pending"; readonly message: string }
  | { readonly state: "passed"; readonly message: string }
  | { readonly state: "failed"; readonly reason: ReleaseFailure; readonly message: string };

/** What the release commit promised: the revision Argo CD must sync, and optionally the images it brings. */
interface ReleaseExpectation {
  readonly revision: string;
  readonly images?: readonly string[];
}

/**
 * Judges a release after its commit: passed once Argo CD reports the application synced at that revision and
 * healthy, and every deployment rolled out (with the expected images); failed when it degrades, its sync operation
 * fails, another revision replaces it, or the deadline passes first; pending otherwise.
 * The caller moves the change validating → closed on "passed" and marks it failed with the message on "failed".
 */
export function judgeRelease(
  app: ApplicationView | null,
  deployments: readonly DeploymentView[],
  expected: ReleaseExpectation | string,
  deadline: Date,
  now: Date,
): ReleaseVerdict {
  const want = typeof expected === "string" ? { revision: expected } : expected;
  const short = want.revision.slice(0, 12);
  const late = now.getTime() >= deadline.getTime();
  if (app === null) {
    return late
      ? {
          state: "failed",
          reason: "missing",
          message: `The Argo CD application was never found; release ${short} is not running.`,
        }
      : { state: "pending", message: "Waiting for the Argo CD application to appear." };
  }
  const atRevision = app.revision !== null && sameRevision(app.revision, want.revision);
  if (!atRevision) {
    const deployedIndex = app.history.findIndex((h) => sameRevision(h.revision, want.revision));
    // history is newest first: anything before our entry replaced the release after it went out.
    if (deployedIndex > 0) {
      return {
        state: "failed",
        reason: "other-revision",
        message: `Revision ${(app.history[0]?.revision ?? "").slice(0, 12)} replaced release ${short} before it was validated.`,
      };
    }
    if (late) {
      return app.revision && app.operation !== "Running"
        ? {
            state: "failed",
            reason: "other-revision",
            message: `Argo CD runs revision ${app.revision.slice(0, 12)}, not release ${short}, at the deadline.`,
          }
        : {
            state: "failed",
            reason: "timed-out",
            message: `Argo CD did not sync release ${short} before the deadline.`,
          };
    }
    return {
      state: "pending",
      message: `Waiting for Argo CD to sync revision ${short} (it is at ${app.revision?.slice(0, 12) ?? "none"}).`,
    };
  }
  if (app.operation === "Failed" || app.operation === "Error") {
    return {
      state: "failed",
      reason: "operation-failed",
      message: `The Argo CD sync of ${short} failed${app.operationMessage ? `: ${app.operationMessage}` : "."}`,
    };
  }
  const stalled = deployments.find((d) => d.rollout === "stalled");
  if (app.health === "Degraded" || stalled) {
    return {
      state: "failed",
      reason: "degraded",
      message: stalled
        ? `${stalled.name} did not finish rolling out (progress deadline exceeded).`
        : `Argo CD reports ${app.name} degraded after release ${short}.`,
    };
  }
  const missingImages = (want.images ?? []).filter(
    (image) => !deployments.some((d) => d.images.some((i) => normaliseImage(i) === normaliseImage(image))),
  );
  const rolling = deployments.filter((d) => d.rollout !== "complete" || !d.available);
  const synced = app.sync === "Synced" && app.health === "Healthy" && app.operation !== "Running";
  if (synced && rolling.length === 0 && missingImages.length === 0) {
    return { state: "passed", message: `Release ${short} is synced, healthy and rolled out.` };
  }
  const waiting = !synced
    ? `Argo CD reports ${app.sync}/${app.health}`
    : rolling.length > 0
      ? `${rolling.map((d) => d.name).join(", ")} still rolling out`
      : `image ${missingImages[0]} not running yet`;
  return late
    ? {
        state: "failed",
        reason: "timed-out",
        message: `Release ${short} was not validated before the deadline: ${waiting}.`,
      }
    : { state: "pending", message: `Release ${short}: ${waiting}.` };
}

/** A release the register holds in "validating": which application must reach which revision, by when. */
export interface PendingRelease {
  readonly changeId: string;
  /** The Argo CD application; when absent, the environment's application that deploys the release's images. */
  readonly application?: string;
  readonly revision: string;
  /** Later commits leaving the environment's files as the release left them: Argo CD syncing one runs the release. */
  readonly sameAs?: readonly string[];
  readonly images?: readonly string[];
  readonly deadline: string;
}

/** Judges pending releases against what one environment runs now. */
export function checkReleases(
  pending: readonly PendingRelease[],
  env: { readonly applications: readonly ApplicationView[]; readonly deployments: readonly DeploymentView[] },
  now: Date,
): ReleaseCheck[] {
  return pending.map((p) => {
    const app = applicationFor(p, env.applications);
    // The register knows the release commit; Argo CD may run a later commit that leaves its files unchanged.
    const current = app?.revision ?? null;
    const revision = current !== null && p.sameAs?.some((r) => sameRevision(r, current)) ? current : p.revision;
    const verdict = judgeRelease(app, env.deployments, { revision, images: p.images }, new Date(p.deadline), now);
    return {
      changeId: p.changeId,
      application: app?.name ?? p.application ?? "",
      revision,
      deadline: p.deadline,
      state: verdict.state,
      reason: verdict.state === "failed" ? verdict.reason : null,
      message: verdict.message,
    };
  });
}

/**
 * The application a release goes out through: the one named, else the one application that deploys the release's
 * image repositories, else the one at the release's revision, else the environment's only application.
 */
function applicationFor(p: PendingRelease, apps: readonly ApplicationView[]): ApplicationView | null {
  if (p.application) return apps.find((a) => a.name === p.application) ?? null;
  const repositories = new Set((p.images ?? []).map(imageRepository));
  const deploying = apps.filter((a) => a.images.some((i) => repositories.has(imageRepository(i))));
  if (deploying.length === 1) return deploying[0] ?? null;
  const candidates = deploying.length > 0 ? deploying : apps;
  const revisions = [p.revision, ...(p.sameAs ?? [])];
  const atRelease = candidates.find(
    (a) => a.revision !== null && revisions.some((r) => sameRevision(r, a.revision ?? "")),
  );
  return atRelease ?? (candidates.length === 1 ? (candidates[0] ?? null) : null);
}
