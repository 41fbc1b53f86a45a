import type { ChangeSummary } from "../../../shared/contract/index";
import { useMethodQuery } from "../../api/queries";

const HOUR = 3_600_000;
const MARGIN = 12 * HOUR;

function axisText(iso: string, timeZone: string | undefined): string {
  return new Date(iso).toLocaleString("en-GB", {
    weekday: "short",
    hour: "2-digit",
    minute: "2-digit",
    timeZone,
    timeZoneName: "short",
  });
}

const SHIFTS = ["var(--shiftA)", "var(--shiftB)", "var(--shiftC)"];

// Shifts take one of three colours by name, so consecutive crews read as separate bands.
function fillOf(category: string | null, summary: string): string {
  if (category !== "SHIFT") return FILL[category ?? ""] ?? "var(--shiftC)";
  let h = 0;
  for (const ch of summary) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return SHIFTS[h % SHIFTS.length] ?? "var(--shiftA)";
}

const FILL: Record<string, string> = {
  BLACKOUT: "url(#meeting-blackout)",
  MAINTENANCE: "rgba(31,111,74,.55)",
};

/**
 * The item's plants around its window: shifts, blackouts and maintenance from each plant's calendar, the
 * change's window as a striped bar, and the conflicts the calendar engine finds. Times print in each plant's zone.
 */
export function MeetingOverlay({ change }: { readonly change: ChangeSummary }) {
  const window = change.window;
  const from = window ? new Date(Date.parse(window.start) - MARGIN).toISOString() : "";
  const to = window ? new Date(Date.parse(window.end) + MARGIN).toISOString() : "";
  const expand = useMethodQuery("calendar.expand", { plants: [...change.plants], from, to }, window !== null);
  const check = useMethodQuery(
    "calendar.check",
    {
      id: change.id,
      plants: [...change.plants],
      area: change.area,
      environment: change.environment,
      start: window?.start ?? "",
      end: window?.end ?? "",
    },
    window !== null,
  );
  if (!window)
    return <div className="mtg-overlay muted">No window planned: nothing to place on the plant calendars.</div>;
  const lo = Date.parse(from);
  const span = Date.parse(to) - lo;
  const x = (iso: string) => Math.min(100, Math.max(0, ((Date.parse(iso) - lo) / span) * 100));
  const plants = expand.data?.plants ?? [];
  const conflicts = check.data?.conflicts ?? [];
  return (
    <div className="mtg-overlay" data-testid="meeting-overlay">
      <h3>Plant calendars around the window</h3>
      {expand.error ? <p className="muted">Calendar not available: {expand.error.message}</p> : null}
      <svg width="100%" viewBox={`0 0 100 ${Math.max(1, change.plants.length) * 22 + 6}`} preserveAspectRatio="none">
        <title>{`Calendars of ${change.plants.join(", ")} around the change window`}</title>
        <defs>
          <Hatch id="meeting-blackout" size={3} angle={45} fill="rgba(122,37,48,.8)" />
          <Hatch id="meeting-pending" size={2} angle={135} fill="rgba(255,255,255,.3)" />
        </defs>
        {change.plants.map((p, row) => {
          const y = row * 22 + 3;
          // Instances name their plant by id or by calendar name, depending on how the plant came in.
          const name = plants.find((x) => x.id === p)?.name;
          const instances = (expand.data?.instances ?? []).filter((i) => i.plant === p || i.plant === name);
          return (
            <g key={p}>
              <rect x={0} y={y} width={100} height={18} fill="var(--panel)" />
              {instances.map((i) => (
                <rect
                  key={`${i.uid}-${i.start}`}
                  x={x(i.start)}
                  y={i.category === "SHIFT" ? y : y + 6}
                  width={Math.max(0.3, x(i.end) - x(i.start))}
                  height={i.category === "SHIFT" ? 5 : 12}
                  fill={fillOf(i.category, i.summary)}
                  stroke="var(--bg)"
                  strokeWidth={0.15}
                  opacity={0.9}
                />
              ))}
              <rect
                x={x(window.start)}
                y={y + 7}
                width={Math.max(0.5, x(window.end) - x(window.start))}
                height={10}
                rx={1}
                fill="var(--med)"
              />
              <rect
                x={x(window.start)}
                y={y + 7}
                width={Math.max(0.5, x(window.end) - x(window.start))}
                height={10}
                fill="url(#meeting-pending)"
              />
            </g>
          );
        })}
      </svg>
      <div className="mtg-overlay-axis">
        <span>{axisText(from, change.plants.length === 1 ? plants[0]?.timeZone : undefined)}</span>
        <span>{axisText(to, change.plants.length === 1 ? plants[0]?.timeZone : undefined)}</span>
      </div>
      <div className="mtg-overlay-lanes">
        {change.plants.map((p) => {
          const info = plants.find((x) => x.id === p);
          return (
            <span key={p}>
              <strong>{info?.name ?? p}</strong> <span className="muted">{info?.timeZone ?? ""}</span>
            </span>
          );
        })}
      </div>
      <div className="mtg-overlay-conflicts" data-testid="meeting-conflicts">
        {check.error ? <span className="muted">Conflicts not checked: {check.error.message}</span> : null}
        {check.data && conflicts.length === 0 ? <span className="ok">No calendar conflicts</span> : null}
        {conflicts.map((c) => (
          <div key={`${c.kind}-${c.plant}-${c.start}`} className="mtg-conflict">
            ⚠ {c.kind.replace("-", " ")} {c.plant ? `at ${c.plant}` : ""} {c.with ? `(${c.with})` : ""}
          </div>
        ))}
      </div>
    </div>
  );
}

/** Diagonal stripes, half `size` wide, for a span the overlay hatches (a blackout, a pending publication). */
function Hatch({ id, size, angle, fill }: { id: string; size: number; angle: number; fill: string }) {
  return (
    <pattern id={id} width={size} height={size} patternUnits="userSpaceOnUse" patternTransform={`rotate(${angle})`}>
      <rect width={size / 2} height={size} fill={fill} />
    </pattern>
  );
}
