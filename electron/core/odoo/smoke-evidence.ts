import type { SmokeRun } from "../../../shared/contract/odoo-smoke";
import type { Stage } from "../../../shared/domain/register/vocabulary";

// A smoke run becomes the "smoke-tests" gate record of a change: the measured time of each step (or "failed") as
// measurements, and one JSON file with the whole run (server version, each step with what it saw, what was created
// and what was left behind). The file's hash is in the signed gate record, so none of it can change unseen.

const MAX_REASON = 1_900;
// The contract's bound on a gate record's measurements, less the three summary figures.
const MAX_STEP_MEASUREMENTS = 17;

/** The gate.record input (without change and actor) of a smoke run. */
interface SmokeGateInput {
  readonly stage: Stage;
  readonly gate: "smoke-tests";
  readonly result: "pass" | "fail";
  readonly reason: string;
  readonly measurements: { name: string; value: number | string; unit?: string | null }[];
  readonly evidence: { filename: string; contentBase64: string }[];
}

function slug(name: string): string {
  return `step-${name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")}`.slice(0, 64);
}

/** The gate record a smoke run makes, with the run itself as its evidence file. */
export function smokeGateInput(run: SmokeRun, ranBy: string): SmokeGateInput {
  const failed = run.steps.filter((s) => !s.ok);
  const head = `Odoo ${run.serverVersion} in ${run.environment}, ${run.mode} smoke ${run.passed ? "passed" : "failed"} (${run.startedAt} by ${ranBy}).`;
  const lines = [
    head,
    ...failed.map((s) => `${s.phase === "cleanup" ? "cleanup " : ""}${s.name} failed: ${s.detail}`),
    ...run.leftBehind.map((r) => `left behind: ${r.model} ${r.name} (${r.cleanup} failed)`),
  ];
  const reason = lines.join("\n");
  const total = Math.max(0, Date.parse(run.finishedAt) - Date.parse(run.startedAt));
  const doc = { kind: "shiftgate/odoo-smoke-run", ranBy, ...run };
  return {
    stage: run.environment as Stage,
    gate: "smoke-tests",
    result: run.passed ? "pass" : "fail",
    reason: reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON)}…` : reason,
    measurements: [
      { name: "steps-failed", value: failed.length },
      { name: "left-behind", value: run.leftBehind.length },
      { name: "duration", value: total, unit: "ms" },
      ...run.steps
        .filter((s) => s.phase === "run")
        .slice(0, MAX_STEP_MEASUREMENTS)
        .map((s) => (s.ok ? { name: slug(s.name), value: s.ms, unit: "ms" } : { name: slug(s.name), value: "failed" })),
    ],
    evidence: [
      {
        filename: `odoo-smoke-${run.environment}.json`,
        contentBase64: Buffer.from(`${JSON.stringify(doc, null, 2)}\n`, "utf8").toString("base64"),
      },
    ],
  };
}
