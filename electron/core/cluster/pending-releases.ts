import type { ChangeSummary } from "../../../shared/contract/index";
import type { ClusterEnvironments, EnvironmentName, ReleaseCheck } from "../../../shared/contract/methods/cluster";
import type { HandlerContext, Handlers } from "../dispatch";
import type { CoreCall } from "../meeting/core-call";
import type { OdooReleaseVerdict } from "../odoo/release-odoo";
import type { EvidenceMove } from "../register/system-moves";
import { unauthorisedEvidence } from "./release-authority";
import type { ReleaseIndex } from "./release-commits";
import type { PendingRelease } from "./release-judge";
import type { CommitFindings } from "./verified-copy";

const MINUTE = 60_000;

interface ReleaseFollowerDeps {
  /** The core's own dispatcher: changes are listed through the register's methods. */
  readonly call: CoreCall;
  /** Moves a change on the evidence the view observed, as `system:cluster` (register/system-moves.ts). */
  readonly move: (ctx: HandlerContext, move: EvidenceMove) => { readonly version: number };
  /** The GitOps working copy's release commits (releaseCommitsOf). */
  readonly releases: () => Promise<ReleaseIndex>;
  /** verify's error findings by commit in the working copy (releaseFindingsOf): who may call a release authorised. */
  readonly findings: () => Promise<CommitFindings>;
  /** How long after its commit a release may take to be synced, healthy and rolled out (default 30 minutes). */
  readonly validateWithinMs?: number;
  /**
   * Odoo's side of the verdict (odoo/release-odoo.ts), asked once the cluster passed a release: the change closes
   * only when Odoo agrees too. Absent, or "not-configured" for an environment without an Odoo connection, the
   * cluster's verdict stands alone.
   */
  readonly odoo?: (release: {
    readonly environment: EnvironmentName;
    readonly images: readonly string[];
  }) => Promise<OdooReleaseVerdict>;
  readonly log?: (message: string, error: unknown) => void;
}

/** Post-release validation: which releases await a verdict, and the register moves once the cluster gives one. */
interface ReleaseFollower {
  /** The releases awaiting validation in one environment (the cluster service's `pendingReleases`). */
  pendingReleases(environment: EnvironmentName): Promise<readonly PendingRelease[]>;
  /**
   * Moves the changes as the view judged their releases: → unauthorised with verify's findings (or the drift) when
   * the release lacks what its policy needs, else implementing → validating once the release is followed, → closed
   * when it passed, → failed with the reason when it failed.
   */
  settle(view: ClusterEnvironments, ctx: HandlerContext): Promise<void>;
}

// A release goes out while the change is implementing; validation then holds it in validating.
const FOLLOWED = ["implementing", "validating"] as const;

/** The reference a release commit's Change-Request carries: the CHG number once submitted, else the register id. */
function referenceOf(change: ChangeSummary): string {
  return change.number ?? change.id;
}

/**
 * Follows releases after their commit: the register's implementing and validating changes whose release commit is
 * in the GitOps working copy are handed to the cluster view with the commit's revision, images and a deadline (the
 * later of the change's window end and validateWithinMs after the commit); the change is moved through
 * `change.transition` as the view judges it (implementing → validating → closed, or → failed with the reason). Nothing
 * runs on a timer: it acts when the cluster view is read, so a CLI process is never held open.
 */
export function followReleases(deps: ReleaseFollowerDeps): ReleaseFollower {
  const validateWithin = deps.validateWithinMs ?? 30 * MINUTE;
  const settling = new Set<string>();

  const followed = async (environment?: EnvironmentName): Promise<readonly ChangeSummary[]> => {
    const page = await deps.call(
      "change.list",
      {
        status: [...FOLLOWED],
        ...(environment ? { environment: [environment] } : {}),
        sort: { field: "updatedAt", dir: "asc" },
        pageSize: 500,
      },
      "direct",
    );
    return page.items;
  };

  const pendingReleases = async (environment: EnvironmentName): Promise<readonly PendingRelease[]> => {
    const changes = await followed(environment);
    if (changes.length === 0) return [];
    const releases = (await deps.releases()).get(environment);
    if (!releases) return [];
    return changes.flatMap((change): PendingRelease[] => {
      const release = releases.get(referenceOf(change));
      if (!release) return [];
      const windowEnd = change.window ? Date.parse(change.window.end) : Number.NEGATIVE_INFINITY;
      const deadline = Math.max(release.committedAt.getTime() + validateWithin, windowEnd);
      return [
        {
          changeId: referenceOf(change),
          revision: release.sha,
          sameAs: release.sameAs,
          images: release.images,
          deadline: new Date(deadline).toISOString(),
        },
      ];
    });
  };

  const move = (change: ChangeSummary, check: ReleaseCheck, ctx: HandlerContext): void => {
    let version = change.version;
    // The release commit is in the repository: implementation is done and validation under way.
    if (change.status === "implementing" && check.state !== "failed") {
      version = deps.move(ctx, {
        id: change.id,
        to: "validating",
        expectedVersion: version,
        reason: `Release ${check.revision.slice(0, 12)} committed; following it to synced, healthy and rolled out.`,
      }).version;
    }
    if (check.state === "passed") {
      deps.move(ctx, {
        id: change.id,
        to: "closed",
        expectedVersion: version,
        reason: `Post-release validation of release ${check.revision.slice(0, 12)} passed: ${check.message}`,
      });
      return;
    }
    if (check.state === "pending") return;
    const reason = `Post-release validation of release ${check.revision.slice(0, 12)} failed (${check.reason ?? "unknown"}): ${check.message}`;
    deps.move(ctx, { id: change.id, to: "failed", expectedVersion: version, reason: reason.slice(0, 2000) });
  };

  // Judged before any other verdict: an unapproved or drifting release is never validating or closed, whatever the
  // cluster says of its health.
  const unauthorised = (change: ChangeSummary, evidence: string | null, ctx: HandlerContext): boolean => {
    if (evidence === null) return false;
    deps.move(ctx, { id: change.id, to: "unauthorised", expectedVersion: change.version, reason: evidence });
    return true;
  };

  // The cluster passed the release: Odoo must agree before the change closes. While it disagrees (an upgrade still
  // running, the server not answering) the change stays validating; at the deadline it fails with Odoo's words.
  const withOdoo = async (
    environment: EnvironmentName,
    check: ReleaseCheck,
    images: readonly string[],
    now: Date,
  ): Promise<ReleaseCheck> => {
    if (check.state !== "passed" || !deps.odoo) return check;
    let verdict: OdooReleaseVerdict;
    try {
      verdict = await deps.odoo({ environment, images });
    } catch (error) {
      verdict = { state: "pending", message: error instanceof Error ? error.message : "Odoo did not answer." };
    }
    switch (verdict.state) {
      case "passed":
        return { ...check, message: `${check.message} ${verdict.message}` };
      case "not-configured":
        return { ...check, message: `${check.message} ${verdict.message}` };
      case "failed":
      case "pending": {
        const late = now.getTime() >= Date.parse(check.deadline);
        return late
          ? { ...check, state: "failed", reason: "odoo", message: verdict.message }
          : { ...check, state: "pending", message: `The cluster agrees; waiting for Odoo: ${verdict.message}` };
      }
    }
  };

  const settle = async (view: ClusterEnvironments, ctx: HandlerContext): Promise<void> => {
    const checks = view.environments.flatMap((env) =>
      env.pendingReleases.map((check) => ({ env: env.name, drift: env.drift, check })),
    );
    if (checks.length === 0) return;
    let changes: readonly ChangeSummary[];
    let index: ReleaseIndex;
    let findings: CommitFindings;
    try {
      [changes, index, findings] = await Promise.all([followed(), deps.releases(), deps.findings()]);
    } catch (error) {
      // The view is still worth showing; the moves are made on a later read.
      deps.log?.("post-release validation could not list the register's releases", error);
      return;
    }
    for (const { env, drift, check } of checks) {
      const change = changes.find((c) => c.environment === env && referenceOf(c) === check.changeId);
      const release = index.get(env)?.get(check.changeId);
      const evidence = release
        ? unauthorisedEvidence({ sha: release.sha, images: release.images, revision: check.revision }, findings, drift)
        : null;
      if (check.state === "pending" && change?.status !== "implementing" && evidence === null) continue;
      // Another read of the view may be moving it already; the version check refuses a move made meanwhile too.
      if (!change || settling.has(change.id)) continue;
      settling.add(change.id);
      try {
        const judged = evidence === null ? await withOdoo(env, check, release?.images ?? [], ctx.clock.now()) : check;
        if (!unauthorised(change, evidence, ctx)) move(change, judged, ctx);
      } catch (error) {
        deps.log?.(`post-release validation could not move ${check.changeId}`, error);
      } finally {
        settling.delete(change.id);
      }
    }
  };

  return { pendingReleases, settle };
}

type EnvironmentsHandler = Handlers["cluster.environments"];

/** Wraps the `cluster.environments` handler so every read of the view also settles the releases it judged. */
export function settlingReleases<H extends { readonly "cluster.environments": EnvironmentsHandler }>(
  handlers: H,
  follower: ReleaseFollower,
): H {
  const inner = handlers["cluster.environments"];
  const wrapped: EnvironmentsHandler = {
    async: async (input, ctx) => {
      const view = typeof inner === "function" ? inner(input, ctx) : await inner.async(input, ctx);
      await follower.settle(view, ctx);
      return view;
    },
  };
  return { ...handlers, "cluster.environments": wrapped };
}
