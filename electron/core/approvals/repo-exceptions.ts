import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { monotonicFactory } from "ulid";
import { durationMs, findPerson, type Policy, parseException, parseReview } from "../../../shared/domain/policy/index";
import type { HandlerContext } from "../dispatch";
import type { GitContext } from "../gitops/git";
import { findChange, rowFields } from "../register/change-rows";
import type { Db } from "../register/db";
import { reviewerRefusal } from "./emergency-sod";
import { findException, findReview, insertException, insertReview } from "./exception-store";
import { signedFileCommit } from "./repo-approvals";
import type { Trust } from "./trust";

/** What one sync took from the repository's emergency files: CHG numbers. */
export interface EmergencyImport {
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
  const next = monotonicFactory();
  const numbered = db.prepare("SELECT id, number FROM changes WHERE number IS NOT NULL ORDER BY number").all() as {
    id: string;
    number: string;
  }[];
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
              id: next(ctx.clock.now().getTime()),
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
    const reviewFile = join(folder, "review.yaml");
    if (exception && !findReview(db, id) && existsSync(reviewFile)) {
      try {
        const r = parseReview(readFileSync(reviewFile, "utf8"), `changes/${number}/review.yaml`);
        const signed = await signedFileCommit(
          repoDir,
          `changes/${number}/review.yaml`,
          r.reviewer.email,
          trust,
          gitCtx,
        );
        const row = findChange(db, id);
        if (
          row &&
          signed &&
          r.change === number &&
          holds(trust.policy, r.reviewer.email, r.reviewer.role, trust.policy.emergency.reviewerRoles) &&
          !reviewerRefusal(trust.policy, exception, rowFields(row), r.reviewer.email)
        ) {
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
          reviews.push(number);
        }
      } catch {
        // As above: verify reports it.
      }
    }
  }
  return { exceptions, reviews };
}
