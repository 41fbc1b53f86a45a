import type { ExceptionRecord, OverdueReview } from "../../../shared/contract/methods/approvals";
import { latestIntentSha } from "../gitops/outbox-store";
import { findChange, toSummary } from "../register/change-rows";
import type { Db } from "../register/db";
import { allExceptions, findReview, type StoredException } from "./exception-store";

/** An exception as the contract shows it; overdue is judged at `now` (the core's clock). */
export function exceptionRecord(db: Db, e: StoredException, now: Date): ExceptionRecord {
  const row = findChange(db, e.changeId);
  if (!row) throw new Error(`exception ${e.id} points at a missing change`);
  const review = findReview(db, e.changeId);
  // Records published through the outbox get their commit after their (append-only) row: ask the outbox.
  const published = (kind: "exception" | "review") => (row.number ? latestIntentSha(db, kind, row.number) : null);
  return {
    id: e.id,
    change: toSummary(row, now.getTime()),
    justification: e.justification,
    incident: e.incident,
    plants: e.plants,
    breakGlass: e.breakGlass,
    actions: e.actions,
    loggedBy: e.loggedBy,
    reviewDueAt: new Date(e.reviewDueMs).toISOString(),
    overdue: review === null && now.getTime() > e.reviewDueMs,
    review: review
      ? {
          outcome: review.outcome,
          notes: review.notes,
          signature: review.signature,
          commit: review.commit ?? published("review"),
        }
      : null,
    commit: e.commit ?? published("exception"),
  };
}

/** Every exception, overdue reviews first, then by due time. */
export function listExceptions(db: Db, now: Date, overdueOnly: boolean): ExceptionRecord[] {
  const records = allExceptions(db).map((e) => exceptionRecord(db, e, now));
  const sorted = [...records.filter((r) => r.overdue), ...records.filter((r) => !r.overdue)];
  return overdueOnly ? sorted.filter((r) => r.overdue) : sorted;
}

/**
 * Retrospective reviews past their due time at `now`: what the home screen lists and the desktop shell turns
 * into an OS notification (it polls `exception.overdue`; time passing is not an event the core could emit).
 */
export function overdueReviews(db: Db, now: Date): OverdueReview[] {
  return listExceptions(db, now, true).map((r) => ({
    changeId: r.change.id,
    title: r.change.title,
    incident: r.incident,
    reviewDueAt: r.reviewDueAt,
    hoursOverdue: Math.floor((now.getTime() - Date.parse(r.reviewDueAt)) / 3_600_000),
  }));
}
