import type { ApprovalPreview } from "../../../shared/contract/methods/approvals";
import { useMethodQuery } from "../../api/queries";
import { PlantWindow } from "../../components/plant-window";
import { humanise } from "../register/format";

const KIND_TEXT: Readonly<Record<string, string>> = {
  blackout: "overlaps a blackout",
  "shift-change": "overlaps a shift change",
  "outside-maintenance": "falls outside maintenance",
  collision: "collides with change",
  "double-booked": "is double-booked with change",
};

/**
 * The change's window checked against its plants' calendars (the calendar capability's own check). A blackout
 * overlap of an emergency change is allowed only with its exception on record, and the dialog says so.
 */
export function ConflictsRow({ preview }: { readonly preview: ApprovalPreview }) {
  const { change } = preview;
  const window = change.window;
  const check = useMethodQuery(
    "calendar.check",
    {
      id: change.id,
      plants: [...change.plants],
      start: window?.start ?? "",
      end: window?.end ?? "",
      area: change.area,
      environment: change.environment,
      implementer: change.implementer?.email ?? null,
    },
    window !== null,
  );
  if (!window) return <span data-testid="approval-conflicts">No planned window yet.</span>;
  if (check.error) return <span data-testid="approval-conflicts">Calendar not checked: {check.error.message}</span>;
  if (!check.data) return <span data-testid="approval-conflicts">Checking plant calendars…</span>;
  if (check.data.conflicts.length === 0)
    return <span data-testid="approval-conflicts">None with the plant calendars.</span>;
  return (
    <ul className="appr-conflicts" data-testid="approval-conflicts">
      {check.data.conflicts.map((c) => (
        <li key={`${c.kind}:${c.plant}:${c.with}:${c.start}`}>
          {c.plant ?? "The window"} {KIND_TEXT[c.kind] ?? humanise(c.kind)}
          {c.kind === "collision" || c.kind === "double-booked" ? ` ${c.with ?? ""}` : ""} (
          <PlantWindow window={{ start: c.start, end: c.end }} plants={c.plant ? [c.plant] : change.plants} first />)
          {c.kind === "blackout" && preview.exception && (
            <span className="muted"> · allowed: emergency exception {preview.exception.incident} is on record</span>
          )}
        </li>
      ))}
    </ul>
  );
}
