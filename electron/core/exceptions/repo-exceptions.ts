import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  durationMs,
  findPerson,
  isReviewFile,
  type Policy,
  parseException,
  parseReview,
} from "../../../shared/domain/policy/index";
import type { HandlerContext } from "../dispatch";
import type { GitContext } from "../gitops/git";
import { signedFileCommit } from "../gitops/repo-approvals";
import type { Trust } from "../identity/trust";
import { findChange, rowFields } from "../register/change-rows";
import type { Db } from "../register/db";
import { numberedChanges } from "../register/ledger-reads";
import { reviewerRefusal } from "./emergency-sod";
import { findException, findReview, insertException, insertReview } from "./exception-store";

/** What one sync took from the repository's emergency files: CHG numbers. */
interface EmergencyImport {
  readonly exceptions: readonly string[];
  readonly reviews: readonly string[];
}

// The committed files carry no zone or meaning of their own: the register shows what the repository holds.
const ZONE = "UTC";

const holds = (policy: Policy, email: string, role: string, allowed: readonly string[]) =>
  allowed.includes(role) && (findPerson(policy, email)?.roles.includes(role) ?? false);

/**
 * Exceptions and reviews other laptops committed become register rows, so every laptop sees an emergency, its review
 * deadline and its review state. A file counts only when the commit that last wrote it is signed by the key of the
 * person it names, in a role policy allows for it (a review also by someone the segregation rules let review);
 * anything else is left to `gitops verify` to report and never imported.
 */
export async function importRepoEmergencies(
  db: Db,
  trust: Trust,
  ctx: HandlerContext,
  gitCtx: GitContext,
): Promise<EmergencyImport> {
  const repoDir = trust.repoDir;
  const exceptions: string[] = [];
  const reviews: string[] = [];
  if (!repoDir) return { exceptions, reviews };
  const numbered = numberedChanges(db);
  for (const { id, number } of numbered) {
    const folder = join(repoDir, "changes", number);
    const exceptionFile = join(folder, "exception.yaml");
    if (!findException(db, id) && existsSync(exceptionFile)) {
      try {
        const e = parseException(readFileSync(exceptionFile, "utf8"), `changes/${number}/exception.yaml`);
        const signed = await signedFileCommit(
          repoDir,
          `changes/${number}/exception.yaml`,
          e.loggedBy.email,
          trust,
          gitCtx,
        );
        const row = findChange(db, id);
        if (
          row &&
          rowFields(row).type === "emergency" &&
          signed &&
          e.change === number &&
          holds(trust.policy, e.loggedBy.email, e.loggedBy.role, trust.policy.emergency.exceptionRoles)
        ) {
          ctx.transact(() => {
            insertException(db, {
              id: ctx.ids.next(ctx.clock.now()),
              changeId: id,
              justification: e.justification,
              incident: e.incident,
              plants: rowFields(row).plants,
              breakGlass: e.breakGlass,
              actions: "",
              loggedBy: { ...e.loggedBy, signedAt: e.loggedAt, timeZone: ZONE, meaning: "Logged under break-glass" },
              reviewDueMs: Date.parse(e.breakGlass.end) + durationMs(trust.policy.emergency.reviewWithin),
              keyFingerprint: signed.fingerprint,
              signatureText: "",
              commit: signed.commit,
            });
            ctx.audit({
              action: "exception.import",
              entity: "change",
              entityId: id,
              after: { number, incident: e.incident, loggedBy: e.loggedBy.email, commit: signed.commit },
              reason: "Logged on another laptop; imported from the GitOps repository",
            });
          });
          exceptions.push(number);
        }
      } catch {
        // A file that does not parse is verify's finding; it never becomes an exception here.
      }
    }
    const exception = findException(db, id);
    if (!exception || findReview(db, id)) continue;
    // One file per reviewer (and the older single review.yaml): the first that holds is the change's review.
    for (const rest of reviewFiles(folder)) {
      if (await importReview(db, trust, ctx, gitCtx, { id, number, rest, exception })) {
        reviews.push(number);
        break;
      }
    }
  }
  return { exceptions, reviews };
}

function reviewFiles(folder: string): string[] {
  const dir = join(folder, "reviews");
  const each = existsSync(dir) ? readdirSync(dir).map((f) => `reviews/${f}`) : [];
  return [...(existsSync(join(folder, "review.yaml")) ? ["review.yaml"] : []), ...each.sort()].filter(isReviewFile);
}

async function importReview(
  db: Db,
  trust: Trust,
  ctx: HandlerContext,
  gitCtx: GitContext,
  at: { id: string; number: string; rest: string; exception: NonNullable<ReturnType<typeof findException>> },
): Promise<boolean> {
  const { id, number, rest, exception } = at;
  const path = `changes/${number}/${rest}`;
  const repoDir = trust.repoDir;
  if (!repoDir) return false;
  try {
    const r = parseReview(readFileSync(join(repoDir, path), "utf8"), path);
    const signed = await signedFileCommit(repoDir, path, r.reviewer.email, trust, gitCtx);
    const row = findChange(db, id);
    if (
      !row ||
      !signed ||
      r.change !== number ||
      !holds(trust.policy, r.reviewer.email, r.reviewer.role, trust.policy.emergency.reviewerRoles) ||
      reviewerRefusal(trust.policy, exception, rowFields(row), r.reviewer.email)
    )
      return false;
    ctx.transact(() => {
      insertReview(db, {
        changeId: id,
        outcome: r.outcome,
        notes: r.notes,
        signature: { ...r.reviewer, signedAt: r.reviewedAt, timeZone: ZONE, meaning: "Retrospective review" },
        keyFingerprint: signed.fingerprint,
        signatureText: "",
        commit: signed.commit,
      });
      ctx.audit({
        action: "exception.review.import",
        entity: "change",
        entityId: id,
        after: { number, outcome: r.outcome, reviewer: r.reviewer.email, commit: signed.commit },
        reason: "Reviewed on another laptop; imported from the GitOps repository",
      });
    });
    return true;
  } catch {
    // A file that does not parse or verify is verify's finding; it never becomes a review here.
    return false;
  }
}
