import type { DecisionEvidence } from "../../../shared/contract/methods/approvals";
import type { Gate, GateMeasurement } from "../../../shared/contract/methods/register";
import { formatDateTime, formatSize, humanise, shortStage } from "../register/format";

const WHERE: Readonly<Record<DecisionEvidence["location"], string>> = {
  here: "on this laptop",
  repo: "in the GitOps repository",
  store: "in the evidence store",
  missing: "missing on this laptop",
};

const OP: Readonly<Record<NonNullable<GateMeasurement["target"]>["op"], string>> = {
  "<=": "≤",
  "<": "<",
  ">=": "≥",
  ">": ">",
  "==": "=",
};

function measurementText(m: GateMeasurement): string {
  const value = `${m.value}${m.unit ? ` ${m.unit}` : ""}`;
  const target = m.target ? ` (target ${OP[m.target.op]} ${m.target.value}${m.unit ? ` ${m.unit}` : ""})` : "";
  return `${m.name}: ${value}${target}${m.ok ? "" : " ✗"}`;
}

function resultText(g: Gate): string {
  if (g.result === "waived") return `Waived by ${g.waivedBy ?? "?"}${g.waivedByRole ? ` (${g.waivedByRole})` : ""}`;
  return g.result === "pass" ? "Passed" : g.result === "fail" ? "Failed" : humanise(g.result);
}

/** Every gate record the signature covers: result, measured values against target, recorder and evidence. */
export function GateRecords({
  gates,
  evidence,
}: {
  readonly gates: readonly Gate[];
  readonly evidence: readonly DecisionEvidence[];
}) {
  if (gates.length === 0)
    return (
      <p className="muted" data-testid="decision-gates">
        No gate results recorded.
      </p>
    );
  return (
    <table className="decision-gates" data-testid="decision-gates">
      <thead>
        <tr>
          <th>Gate</th>
          <th>Result</th>
          <th>Measured</th>
          <th>Recorded by</th>
          <th>Evidence</th>
        </tr>
      </thead>
      <tbody>
        {gates.map((g) => {
          const files = evidence.filter((e) => e.gateId === g.id);
          return (
            <tr key={g.id} className={`decision-gate-${g.result}`} data-testid="decision-gate">
              <td>
                {shortStage(g.stage)} · {humanise(g.gate)}
                {g.target ? ` (${g.target})` : ""}
              </td>
              <td>
                {resultText(g)}
                {g.reason ? <div className="muted">{g.reason}</div> : null}
              </td>
              <td data-testid="decision-gate-values">
                {g.measurements.length === 0 ? (
                  <span className="muted">no values recorded</span>
                ) : (
                  g.measurements.map((m) => <div key={m.name}>{measurementText(m)}</div>)
                )}
              </td>
              <td>
                {g.recordedBy}
                <div className="muted">{formatDateTime(g.recordedAt)}</div>
              </td>
              <td>
                {files.length === 0 ? (
                  <span className="muted">none</span>
                ) : (
                  files.map((f) => (
                    <div key={f.sha256} className={`decision-evidence-${f.location}`} data-testid="decision-evidence">
                      {f.filename} ({formatSize(f.size)}) {WHERE[f.location]}
                    </div>
                  ))
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
