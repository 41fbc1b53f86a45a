import { AppError, type GateName } from "../../../shared/contract/index";
import type { Db } from "../register/db";
import { latestRun } from "./store";

/**
 * Throws unless a gate may be recorded "pass" in an environment as far as Odoo checks go: while the latest run of
 * that gate's checks failed, no one records a pass (by hand, or a stale record confirmed); fixing Odoo and running
 * the check again, or a signed waiver, is the way past it. Gates no check has measured are not judged here.
 */
export function assertNoFailingCheck(db: Db, environment: string, gate: GateName): void {
  const run = latestRun(db, environment, gate);
  if (run === null || run.status !== "fail") return;
  const failed = run.checks
    .filter((c) => c.status === "fail")
    .map(
      (c) =>
        `${c.id} measured ${c.value ?? "nothing"}${c.unit && c.value !== null ? ` ${c.unit}` : ""} (threshold ${c.threshold.op} ${c.threshold.value})`,
    );
  throw new AppError(
    "gate-failed",
    `The latest Odoo check of ${gate} in ${environment} failed (${failed.join("; ")}; run ${run.ranAt} by ${run.ranBy}). ` +
      `A gate fed by a check cannot be recorded as passed while its check fails: fix it in Odoo and run "shiftgate odoo check --env ${environment} --gate ${gate}" again, or have the gate waived.`,
    { reason: "odoo-check-failed", gate, environment, run: run.id },
  );
}
