import type { PlantImportPreview } from "../../../shared/contract/methods/calendar";
import type { CalendarKindDiff } from "../../../shared/domain/calendar/index";

const KINDS = [
  ["shift", "Shifts"],
  ["blackout", "Blackouts"],
  ["maintenance", "Maintenance windows"],
] as const;

// What a planner must not miss: a kind that had occurrences and will have none.
function dropsAll(k: CalendarKindDiff): boolean {
  return k.instances.before > 0 && k.instances.after === 0;
}

/**
 * What replacing a plant's calendar would change, by kind, and the confirmation that applies it. Shown before
 * anything is written; the core checks again on apply (who may, and the file itself).
 */
export function ImportDiff({
  preview,
  busy,
  onConfirm,
  onCancel,
}: {
  readonly preview: PlantImportPreview;
  readonly busy: boolean;
  readonly onConfirm: () => void;
  readonly onCancel: () => void;
}) {
  const { diff } = preview;
  const day = (t: string) => t.slice(0, 10);
  return (
    <section className="cal-import-diff" data-testid="calendar-import-diff" aria-label="What the replacement changes">
      <h3>
        Replace the calendar of {preview.name}? {diff.unchanged && <span className="muted">(nothing changes)</span>}
      </h3>
      <table>
        <thead>
          <tr>
            <th scope="col">Kind</th>
            <th scope="col">Events added</th>
            <th scope="col">removed</th>
            <th scope="col">changed</th>
            <th scope="col">
              Occurrences {day(diff.from)} to {day(diff.to)}
            </th>
          </tr>
        </thead>
        <tbody>
          {KINDS.map(([kind, label]) => {
            const k = diff[kind];
            return (
              <tr key={kind} data-testid={`calendar-import-diff-${kind}`} className={dropsAll(k) ? "is-dropped" : ""}>
                <th scope="row">{label}</th>
                <td>{k.series.added}</td>
                <td>{k.series.removed}</td>
                <td>{k.series.changed}</td>
                <td>
                  {k.instances.before} → {k.instances.after}
                  {dropsAll(k) && <b> (all dropped)</b>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {preview.allowed ? (
        <p className="muted">
          The repository keeps the old calendar until a policy-admin publishes the plant calendars (GitOps page).
        </p>
      ) : (
        <div className="error-box" role="alert" data-testid="calendar-import-refusal">
          {preview.refusal}
        </div>
      )}
      <div className="cal-import-actions">
        <button
          type="button"
          className="btn primary"
          disabled={busy || !preview.allowed}
          onClick={onConfirm}
          data-testid="calendar-import-confirm"
        >
          {busy ? "Replacing…" : `Replace ${preview.name}'s calendar`}
        </button>
        <button type="button" className="btn" onClick={onCancel} data-testid="calendar-import-cancel">
          Keep the current calendar
        </button>
      </div>
    </section>
  );
}
