import { AppError, type ErrorCode } from "../../errors/app-error";
import type { RollbackPolicy } from "../policy/risk-policy";
import type { ChangeType } from "./vocabulary";

/** What rollback readiness judges about a change. */
interface RollbackView {
  readonly type: ChangeType;
  readonly environment: string;
  readonly dbMigration: boolean;
  readonly rollbackPlan: string;
  readonly snapshotRef: string | null;
}

/** Why a change is not ready to be rolled back, as words a plant manager can act on (empty when ready). */
export function rollbackBlockers(change: RollbackView, policy: RollbackPolicy): string[] {
  const out: string[] = [];
  // An emergency is logged with what was done under break-glass, and answers for it in its retrospective review,
  // as with gates; a migration's snapshot is demanded of every change.
  const needsPlan = change.type !== "emergency" && policy.planRequiredFor.includes(change.environment);
  if (needsPlan && change.rollbackPlan.trim() === "") {
    out.push(`a change bound for ${change.environment} needs a rollback plan: write how the release is undone`);
  }
  if (change.dbMigration && (change.snapshotRef ?? "").trim() === "") {
    out.push(
      "a change with a database migration needs a pre-deployment snapshot or backup: take one (a CloudNativePG " +
        "Backup or a VolumeSnapshot of the database) and record its name as the change's pre-deployment snapshot",
    );
  }
  return out;
}

/** Refuses the step (requesting approval, releasing) while the change is not ready to be rolled back. */
export function assertRollbackReady(
  change: RollbackView,
  policy: RollbackPolicy,
  step: "approval" | "release",
  code: ErrorCode,
): void {
  const blockers = rollbackBlockers(change, policy);
  if (blockers.length === 0) return;
  const what = step === "approval" ? "Approval cannot be requested" : "The change cannot be released";
  throw new AppError(code, `${what} until it can be rolled back: ${blockers.join("; ")}.`, {
    reason: "rollback-not-ready",
    blockers,
  });
}
