import { useState } from "react";
import type { LeadTime, MonthFigures, MonthlyFigures, Ratio } from "../../../shared/contract/methods/reports";
import { useClient } from "../../api/client-context";
import { useMethodQuery } from "../../api/queries";
import { ErrorBox } from "../../components/error-box";
import { Loading } from "../../components/loading";
import { downloadReport } from "./download";
import { LeadTimeChart, RateChart, VolumeChart } from "./figures-charts";
import "./reports.css";

// The small charts under the volume chart, in the order the page shows them.
const RATE_CHARTS: readonly { title: string; pick: (m: MonthFigures) => Ratio; colour: string }[] = [
  { title: "Success rate", pick: (m) => m.successRate, colour: "var(--maint)" },
  { title: "Emergency ratio", pick: (m) => m.emergencyRatio, colour: "var(--emerg)" },
  { title: "Change failure rate", pick: (m) => m.changeFailureRate, colour: "var(--high)" },
];
const LEAD_TIME_CHARTS: readonly { title: string; pick: (m: MonthFigures) => LeadTime }[] = [
  { title: "Lead time to approval (median, p90 mark)", pick: (m) => m.leadTimeToApproval },
  { title: "Lead time to production (median, p90 mark)", pick: (m) => m.leadTimeToProduction },
];

function PlantTable({ figures }: { readonly figures: MonthlyFigures }) {
  const plants = [...new Set(figures.months.flatMap((m) => Object.keys(m.byPlant)))].sort();
  return (
    <table className="figures-table">
      <thead>
        <tr>
          <th>Plant</th>
          {figures.months.map((m) => (
            <th key={m.month}>{m.month}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {plants.map((p) => (
          <tr key={p}>
            <td>{p}</td>
            {figures.months.map((m) => (
              <td key={m.month}>{m.byPlant[p] ?? 0}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Monthly figures as charts, and the audit export for auditors. */
export function ReportsPage() {
  const client = useClient();
  const [months, setMonths] = useState(6);
  const figures = useMethodQuery("report.figures", { months });
  const [error, setError] = useState<unknown>(null);
  const changes = useMethodQuery("change.list", { sort: { field: "updatedAt", dir: "desc" }, pageSize: 200 });
  const [changeId, setChangeId] = useState("");
  const changePdf = async () => {
    const id = changeId || changes.data?.items[0]?.id;
    if (!id) return;
    try {
      downloadReport(await client.call("report.changePdf", { changeId: id }));
    } catch (e) {
      setError(e);
    }
  };
  const exportAudit = async (format: "csv" | "json") => {
    try {
      downloadReport(await client.call("report.auditExport", { format }));
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section className="page reports-page">
      <h1>Reports</h1>
      <div className="reports-actions">
        <label>
          Months{" "}
          <select value={months} onChange={(e) => setMonths(Number(e.target.value))}>
            {[3, 6, 12].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="btn" onClick={() => void exportAudit("csv")}>
          Audit export (CSV)
        </button>
        <button type="button" className="btn" onClick={() => void exportAudit("json")}>
          Audit export (JSON)
        </button>
        <label className="reports-change">
          Change{" "}
          <select value={changeId} onChange={(e) => setChangeId(e.target.value)} data-testid="report-change">
            {changes.data?.items.map((c) => (
              <option key={c.id} value={c.id}>
                {c.number ? `${c.number} ` : ""}
                {c.title}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="btn" onClick={() => void changePdf()} data-testid="report-change-pdf">
          Change record (PDF)
        </button>
      </div>
      {error ? <ErrorBox error={error} /> : null}
      {figures.error ? <ErrorBox error={figures.error} /> : null}
      {figures.isPending ? <Loading label="Reading the monthly figures…" testId="figures-loading" /> : null}
      {figures.data ? (
        <>
          <div className="figures-totals" data-testid="figures-totals">
            <Total label="Submitted" value={String(figures.data.total.submitted)} />
            <Total label="Success rate" value={pct(figures.data.total.successRate.value)} />
            <Total label="Emergency ratio" value={pct(figures.data.total.emergencyRatio.value)} />
            <Total label="Change failure rate" value={pct(figures.data.total.changeFailureRate.value)} />
            <Total label="Lead time to approval" value={hours(figures.data.total.leadTimeToApproval.medianHours)} />
            <Total label="Lead time to production" value={hours(figures.data.total.leadTimeToProduction.medianHours)} />
          </div>
          <div className="figures-grid">
            <VolumeChart months={figures.data.months} />
            {RATE_CHARTS.map(({ title, pick, colour }) => (
              <RateChart key={title} title={title} months={figures.data.months} pick={pick} colour={colour} />
            ))}
            {LEAD_TIME_CHARTS.map(({ title, pick }) => (
              <LeadTimeChart key={title} title={title} months={figures.data.months} pick={pick} />
            ))}
          </div>
          <h2>Changes by plant</h2>
          <PlantTable figures={figures.data} />
          <p className="muted">
            Months are cut in {figures.data.timeZone}. Definitions: submitted = first left draft; success = closed
            without failing; change failure rate = production releases of the month later failed or rolled back; lead
            times from submission, medians.
          </p>
        </>
      ) : null}
    </section>
  );
}

function pct(v: number | null): string {
  return v === null ? "–" : `${Math.round(v * 100)} %`;
}

function hours(v: number | null): string {
  return v === null ? "–" : `${v} h`;
}

function Total({ label, value }: { readonly label: string; readonly value: string }) {
  return (
    <div className="figures-total">
      <span className="muted">{label}</span>
      <strong>{value}</strong>
    </div>
  );
}
