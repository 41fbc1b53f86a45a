import { type RefObject, useEffect, useRef, useState } from "react";
import {
  type ChangeDetail,
  GATE_NAMES,
  GATE_RESULTS,
  type Gate,
  type GateName,
  type GateResult,
  methods,
  STAGES,
  type Stage,
} from "../../../shared/contract/index";
import { GateBadge } from "../../components/badge";
import { ErrorBox } from "../../components/error-box";
import { Field } from "../../components/field";
import { formatDateTime, humanise, oneOf } from "./format";
import { useMethodMutation } from "./use-method-mutation";
import { vocabularyOptions } from "./vocabulary-options";

/** The latest record per target of each (stage, gate): later records supersede earlier ones. */
function latestRecords(gates: readonly Gate[]): Map<string, Gate[]> {
  const byTarget = new Map<string, Gate>();
  for (const g of gates) byTarget.set(`${g.stage}|${g.gate}|${g.target ?? ""}`, g);
  const cells = new Map<string, Gate[]>();
  for (const g of byTarget.values()) {
    const key = `${g.stage}|${g.gate}`;
    cells.set(key, [...(cells.get(key) ?? []), g]);
  }
  return cells;
}

/** Gates per promotion stage, pre-production readiness, and the form that records a gate result. */
export function GatesPanel({ change }: { readonly change: ChangeDetail }) {
  const stages = STAGES.slice(0, STAGES.indexOf(change.environment) + 1);
  const cells = latestRecords(change.gates);
  const readiness = change.productionReadiness;
  const [slot, setSlot] = useState<Slot>({ stage: change.stage, gate: change.validation[0] ?? "mrp-run" });
  const resultRef = useRef<HTMLSelectElement>(null);
  // After a promotion the form follows the change to its new stage.
  useEffect(() => setSlot((s) => ({ ...s, stage: change.stage })), [change.stage]);
  return (
    <section className="panel" aria-labelledby="gates-title" data-testid="gates-panel">
      <h2 id="gates-title">Promotion gates</h2>
      <p className="muted stage-line">
        {stages.map((s) => (
          <span key={s} className={s === change.stage ? "stage current" : "stage"}>
            {humanise(s)}
          </span>
        ))}
      </p>
      <div className="table-wrap">
        <table className="gate-matrix" data-testid="gate-matrix">
          <thead>
            <tr>
              <th scope="col">Gate</th>
              {stages.map((s) => (
                <th key={s} scope="col" className={s === change.stage ? "current" : undefined}>
                  {humanise(s)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {GATE_NAMES.map((gate) => (
              <tr key={gate} className={change.validation.includes(gate) ? "required" : "optional"}>
                <th scope="row">
                  {humanise(gate)}
                  {change.validation.includes(gate) && <span title="Required before production"> *</span>}
                </th>
                {stages.map((stage) => (
                  <td key={stage} data-testid={`gate-${stage}-${gate}`}>
                    {/* A cell picks its stage and gate in the form below, so a result is two keys away. */}
                    <button
                      type="button"
                      className={`cell-button${slot.stage === stage && slot.gate === gate ? " picked" : ""}`}
                      aria-label={`Record ${humanise(gate)} at ${humanise(stage)}`}
                      onClick={() => {
                        setSlot({ stage, gate });
                        resultRef.current?.focus();
                      }}
                    >
                      {(cells.get(`${stage}|${gate}`) ?? []).map((g) => (
                        <span key={g.id} className="gate-cell" title={g.reason ?? undefined}>
                          <GateBadge result={g.result} />
                          {g.target && <span className="muted"> {g.target}</span>}
                        </span>
                      ))}
                      {!cells.has(`${stage}|${gate}`) && <span className="gate-empty">·</span>}
                    </button>
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {change.environment === "production" && (
        <p className={readiness.ready ? "ready" : "warn"} data-testid="production-readiness">
          {readiness.ready
            ? "Pre-production gates passed: production approval may be requested."
            : `Production approval waits on pre-production: ${readiness.blockers
                .map((b) => `${humanise(b.gate)} (${b.state})`)
                .join(", ")}.`}
        </p>
      )}
      <GateForm change={change} stages={stages} slot={slot} onSlot={setSlot} resultRef={resultRef} />
      {change.gates.length > 0 && (
        <details className="gate-history">
          <summary>All {change.gates.length} gate records</summary>
          <ul>
            {[...change.gates].reverse().map((g) => (
              <li key={g.id} data-testid="gate-record">
                <GateBadge result={g.result} /> {humanise(g.stage)} · {humanise(g.gate)}
                {g.target ? ` (${g.target})` : ""} · {g.recordedBy}, {formatDateTime(g.recordedAt)}
                {g.reason && <span className="muted"> — {g.reason}</span>}
                {g.waivedBy && (
                  <span className="muted">
                    {" "}
                    · waived by {g.waivedBy}
                    {g.waivedByRole ? ` (${g.waivedByRole})` : ""}, not passed
                  </span>
                )}
                {g.measurements.length > 0 && (
                  <span data-testid="gate-measurements">
                    {" "}
                    ·{" "}
                    {g.measurements
                      .map(
                        (m) =>
                          `${m.name} ${m.value}${m.unit ? ` ${m.unit}` : ""}${m.target ? ` (target ${m.target.op} ${m.target.value}${m.ok ? "" : ", missed"})` : ""}`,
                      )
                      .join(", ")}
                  </span>
                )}
                {g.evidence.length > 0 && (
                  <span className="muted" data-testid="gate-evidence">
                    {" "}
                    · {g.evidence.map((e) => `${e.filename} (${EVIDENCE_PLACES[e.location]})`).join(", ")}
                  </span>
                )}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

/** Where the next gate result goes. */
interface Slot {
  readonly stage: Stage;
  readonly gate: GateName;
}

function GateForm({
  change,
  stages,
  slot,
  onSlot,
  resultRef,
}: {
  readonly change: ChangeDetail;
  readonly stages: readonly Stage[];
  readonly slot: Slot;
  readonly onSlot: (slot: Slot) => void;
  readonly resultRef: RefObject<HTMLSelectElement | null>;
}) {
  const { stage, gate } = slot;
  const setStage = (next: Stage) => onSlot({ stage: next, gate });
  const setGate = (next: GateName) => onSlot({ stage, gate: next });
  const [result, setResult] = useState<GateResult>("pass");
  const [target, setTarget] = useState("");
  const [reason, setReason] = useState("");
  const [measured, setMeasured] = useState("");
  const [tried, setTried] = useState(false);
  const record = useMethodMutation("gate.record", () => {
    setReason("");
    setMeasured("");
    setTarget("");
    setTried(false);
  });
  const input = {
    changeId: change.id,
    stage,
    gate,
    result,
    target: target.trim() || undefined,
    reason: reason.trim() || undefined,
    measurements: result === "waived" ? undefined : parseMeasurements(measured),
  };
  // The contract's own refinements say what a fail or waiver needs; shown beside the field they concern.
  const parsed = methods["gate.record"].input.safeParse(input);
  const issue = (field: string) =>
    tried && !parsed.success ? parsed.error.issues.find((i) => i.path[0] === field)?.message : undefined;
  const reasonError =
    issue("reason") ?? (tried && result === "waived" && !input.reason ? "A waiver needs a reason." : undefined);
  return (
    <form
      className="gate-form"
      aria-label="Record a gate result"
      data-testid="gate-form"
      onSubmit={(e) => {
        e.preventDefault();
        setTried(true);
        if (parsed.success) record.mutate(input);
      }}
    >
      <Field label="Stage" name="gate-stage">
        {(c) => (
          <select
            {...c}
            value={stage}
            onChange={(e) => setStage(oneOf(stages, e.target.value, stage))}
            data-testid="gate-stage"
          >
            {vocabularyOptions(stages)}
          </select>
        )}
      </Field>
      <Field label="Gate" name="gate-name">
        {(c) => (
          <select
            {...c}
            value={gate}
            onChange={(e) => setGate(oneOf(GATE_NAMES, e.target.value, gate))}
            data-testid="gate-name"
          >
            {vocabularyOptions(GATE_NAMES)}
          </select>
        )}
      </Field>
      <Field label="Result" name="gate-result">
        {(c) => (
          <select
            {...c}
            ref={resultRef}
            value={result}
            onChange={(e) => setResult(oneOf(GATE_RESULTS, e.target.value, result))}
            data-testid="gate-result"
          >
            {GATE_RESULTS.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Target" name="gate-target" hint="e.g. MES, for interface health">
        {(c) => <input {...c} value={target} onChange={(e) => setTarget(e.target.value)} data-testid="gate-target" />}
      </Field>
      <Field label="Reason" name="gate-reason" wide required={result !== "pass"} error={reasonError}>
        {(c) => <input {...c} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="gate-reason" />}
      </Field>
      {result === "waived" ? (
        <p className="muted wide" data-testid="gate-waiver-note">
          The waiver is yours: it is signed with your selected key, and only a role the policy names for this gate may
          waive it.
        </p>
      ) : (
        <Field
          label="Measured values"
          name="gate-measurements"
          wide
          hint="e.g. duration=32 min, exceptions=0"
          error={issue("measurements")}
        >
          {(c) => (
            <input
              {...c}
              value={measured}
              onChange={(e) => setMeasured(e.target.value)}
              data-testid="gate-measurements-input"
            />
          )}
        </Field>
      )}
      <div className="action-row wide">
        <button type="submit" className="btn primary" disabled={record.isPending} data-testid="gate-record-submit">
          {record.isPending ? "Recording…" : "Record gate"}
        </button>
      </div>
      {record.error && <ErrorBox error={record.error} />}
    </form>
  );
}

const EVIDENCE_PLACES = {
  here: "on this laptop",
  repo: "in the repository, not yet here",
  store: "in the evidence store",
  missing: "missing here",
} as const;

/** "duration=32 min, exceptions=0" as the contract's measurements; numbers stay numbers. */
function parseMeasurements(text: string): { name: string; value: number | string; unit: string | null }[] | undefined {
  const items = text
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map((part) => {
      const [name = "", rest = ""] = part.split("=", 2).map((x) => x.trim());
      const [raw = "", ...unit] = rest.split(/\s+/);
      const number = Number(raw);
      return { name, value: raw !== "" && Number.isFinite(number) ? number : raw, unit: unit.join(" ") || null };
    });
  return items.length > 0 ? items : undefined;
}
