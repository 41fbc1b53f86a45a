import { AppError, type Gate, type GateName } from "../../../shared/contract/index";
import { isCheckRunRecord } from "../../../shared/domain/policy/check-records";
import type { Stage } from "../../../shared/domain/register/vocabulary";
import type { Db } from "../register/db";
import { gatesOf } from "../register/queries";
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

/**
 * Throws when a hand pass would stand, in the change's own ledger, over a failing check run of the same stage and
 * gate (its latest check-run record failed, with no waiver since): what `gitops verify` reports as
 * gate-check-overridden. A run that passed without a change is not on the change, so it does not clear it there.
 */
export function assertNoFailingCheckRecord(db: Db, changeId: string, stage: Stage, gate: GateName): void {
  let failing: Gate | null = null;
  const records = gatesOf(db, changeId)
    .filter((g) => g.stage === stage && g.gate === gate)
    .sort((a, b) => Date.parse(a.recordedAt) - Date.parse(b.recordedAt));
  for (const g of records) {
    if (isCheckRunRecord(g)) failing = g.result === "fail" ? g : null;
    else if (g.result === "waived") failing = null;
  }
  if (failing === null) return;
  throw new AppError(
    "gate-failed",
    `The Odoo check of ${gate} in ${stage} recorded on this change failed (${failing.recordedAt}, by ${failing.recordedBy}). ` +
      `A pass typed over it would not count in the GitOps ledger: run "shiftgate odoo check --env ${stage} --gate ${gate} --change <id>" again once Odoo is fixed (or Run checks for the change), or have the gate waived.`,
    { reason: "odoo-check-failed", gate, environment: stage, gateRecord: failing.id },
  );
}
