import { BOUNDS } from "../../../shared/contract/bounds";
import type { OdooCheckRun, OdooGateOutcome } from "../../../shared/contract/odoo";
import { checkEvidenceName } from "../../../shared/domain/policy/check-records";
import type { Stage } from "../../../shared/domain/register/vocabulary";

// A check run becomes gate evidence: each check's measured value is a measurement of the gate record (named by the
// check's id), and one JSON file holds what a reviewer needs to trust it: the server, its version and API, every
// threshold and every query run. The file's hash is in the signed gate record, so none of it can change unseen.

interface CheckGateInput {
  readonly stage: Stage;
  readonly gate: OdooGateOutcome["gate"];
  readonly result: "pass" | "fail";
  readonly reason: string;
  readonly measurements: { name: string; value: number | string; unit?: string | null }[];
  readonly evidence: { filename: string; contentBase64: string }[];
}

const MAX_REASON = 1_900;

/** The evidence file of one gate's part of a run. */
export function checkEvidence(
  run: OdooCheckRun,
  outcome: OdooGateOutcome,
): { filename: string; contentBase64: string } {
  const checks = run.checks.filter((c) => c.gate === outcome.gate);
  const doc = {
    kind: "shiftgate/odoo-check-run",
    run: run.id,
    environment: run.environment,
    url: run.url,
    database: run.database,
    api: run.api,
    serverVersion: run.serverVersion,
    ranAt: run.ranAt,
    ranBy: run.ranBy,
    gate: outcome.gate,
    status: outcome.status,
    checks: checks.map((c) => ({
      id: c.id,
      title: c.title,
      model: c.model,
      measure: c.measure,
      value: c.value,
      unit: c.unit,
      threshold: c.threshold,
      status: c.status,
      ...(c.note ? { note: c.note } : {}),
      queries: c.queries,
    })),
  };
  const content = `${JSON.stringify(doc, null, 2)}\n`;
  return {
    filename: checkEvidenceName(run.environment, outcome.gate),
    contentBase64: Buffer.from(content, "utf8").toString("base64"),
  };
}

function valueText(c: OdooCheckRun["checks"][number]): string {
  if (c.value === null) return c.status === "not-installed" || c.status === "not-applicable" ? c.status : "no value";
  return `${c.value}${c.unit ? ` ${c.unit}` : ""}`;
}

/** The gate.record input (without change and actor) for one gate's outcome of a run. */
export function gateInputOf(
  run: OdooCheckRun,
  outcome: OdooGateOutcome,
  file: { filename: string; contentBase64: string },
): CheckGateInput {
  const checks = run.checks.filter((c) => c.gate === outcome.gate);
  const lines = checks.map((c) => `${c.id}: ${valueText(c)} (${c.threshold.op} ${c.threshold.value}) ${c.status}`);
  const head = `Odoo ${run.serverVersion} (${run.api}) at ${run.url}, database ${run.database}, checked ${run.ranAt} by ${run.ranBy}.`;
  const reason = [head, ...lines].join("\n");
  return {
    stage: run.environment as Stage,
    gate: outcome.gate,
    result: outcome.status === "pass" ? "pass" : "fail",
    reason: reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON)}…` : reason,
    // A gate record carries at most BOUNDS.gateMeasurements values; the evidence file holds every check.
    measurements: checks.slice(0, BOUNDS.gateMeasurements).map((c) => ({
      name: c.id,
      value: c.value ?? c.status,
      unit: c.unit,
    })),
    evidence: [file],
  };
}
