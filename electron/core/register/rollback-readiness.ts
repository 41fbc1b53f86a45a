import { durationMs, type RollbackPolicy } from "../../../shared/domain/policy/index";
import { allowedTransitions } from "../../../shared/domain/register/lifecycle";
import { assertRollbackReady } from "../../../shared/domain/register/rollback";
import type { SnapshotCheck } from "../cluster/snapshot-check";
import { type ChangeRow, rowFields } from "./change-rows";

/** Only a change the lifecycle lets ask for approval now is judged: any other move is the lifecycle's to refuse. */
export function asksForApproval(row: ChangeRow): boolean {
  return allowedTransitions(row.type, row.status).includes("awaiting-approval");
}

/** Refuses requesting approval while the change has no rollback plan (where policy needs one) or migration snapshot. */
export function assertReadyToRequest(row: ChangeRow, rollback: RollbackPolicy): void {
  if (!asksForApproval(row)) return;
  assertRollbackReady({ ...rowFields(row), environment: row.environment }, rollback, "approval", "gate-failed");
}

/** Checks a migration's recorded snapshot on the cluster (where one is configured) before approval is requested. */
export function requestSnapshotCheck(check: SnapshotCheck) {
  return async (row: ChangeRow, rollback: RollbackPolicy, now: Date): Promise<void> => {
    const f = rowFields(row);
    if (!asksForApproval(row) || !f.dbMigration || !f.snapshotRef) return;
    await check({
      environment: row.environment,
      ref: f.snapshotRef,
      now,
      maxAgeMs: durationMs(rollback.snapshotMaxAge),
      maxAge: rollback.snapshotMaxAge,
      code: "gate-failed",
    });
  };
}
