import { useMethodQuery } from "../../api/queries";
import { ErrorBox } from "../../components/error-box";

const hours = (h: number | null) => (h === null ? "—" : `${h} h`);

/** Monthly emergency ratio and lead times per plant. */
export function ExceptionStatsPanel() {
  const stats = useMethodQuery("exception.stats", { months: 12 });
  return (
    <section className="panel" aria-labelledby="exception-stats-title">
      <h2 id="exception-stats-title">Monthly figures</h2>
      {stats.error && <ErrorBox error={stats.error} />}
      {stats.data && stats.data.months.length === 0 && <p className="muted">No changes in the last 12 months.</p>}
      {stats.data && stats.data.months.length > 0 && (
        <table className="exceptions-table" data-testid="exception-stats">
          <thead>
            <tr>
              <th>Month</th>
              <th>Plant</th>
              <th>Changes</th>
              <th>Emergencies</th>
              <th>Emergency ratio</th>
              <th title="Median hours from creation to approval">Approval lead time</th>
              <th title="Median hours from break-glass end to the review">Review lead time</th>
            </tr>
          </thead>
          <tbody>
            {stats.data.months.map((m) => (
              <tr key={`${m.month}-${m.plant}`} data-testid="exception-stats-row">
                <td>{m.month}</td>
                <td>{m.plant}</td>
                <td>{m.changes}</td>
                <td>{m.emergencies}</td>
                <td>{`${Math.round(m.ratio * 1000) / 10} %`}</td>
                <td>{hours(m.medianLeadHours)}</td>
                <td>{hours(m.medianReviewHours)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
