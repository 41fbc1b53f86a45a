import type { Locale } from "date-fns";
import { formatIn, zoneAbbrev } from "./format-time";
import type { TimeScale, ViewKind } from "./time-scale";

const VIEWS: readonly { readonly kind: ViewKind; readonly label: string; readonly key: string }[] = [
  { kind: "day", label: "Day", key: "D" },
  { kind: "week", label: "Week", key: "W" },
  { kind: "month", label: "Month", key: "M" },
];

/** The period's name as the header reads it: "Week 49 · 30 Nov – 6 Dec 2026". */
function periodTitle(scale: TimeScale, locale: Locale): string {
  const last = scale.to - 1;
  switch (scale.view) {
    case "day":
      return formatIn(scale.from, scale.zone, "EEEE d MMMM yyyy", locale);
    case "week":
      return `Week ${scale.week} · ${formatIn(scale.from, scale.zone, "d MMM", locale)} – ${formatIn(last, scale.zone, "d MMM yyyy", locale)}`;
    case "month":
      return formatIn(scale.from, scale.zone, "LLLL yyyy", locale);
    default: {
      const never: never = scale.view;
      return never;
    }
  }
}

/** Period navigation, zoom, the viewer's zone and the next-safe-window action. */
export function CalendarToolbar({
  scale,
  locale,
  now,
  plantLocal,
  onTimes,
  canFindNext,
  onShift,
  onView,
  onFindNext,
  onToggleImport,
}: {
  readonly scale: TimeScale;
  readonly locale: Locale;
  readonly now: number;
  readonly plantLocal: boolean;
  readonly onTimes: (plantLocal: boolean) => void;
  readonly canFindNext: boolean;
  readonly onShift: (direction: -1 | 1) => void;
  readonly onView: (view: ViewKind) => void;
  readonly onFindNext: () => void;
  readonly onToggleImport: () => void;
}) {
  return (
    <header className="cal-toolbar">
      <h1>Calendar</h1>
      <button
        type="button"
        className="btn"
        onClick={() => onShift(-1)}
        aria-label="Previous period"
        aria-keyshortcuts="ArrowLeft"
      >
        ◀
      </button>
      <b className="cal-period" data-testid="calendar-period" aria-live="polite">
        {periodTitle(scale, locale)}
      </b>
      <button
        type="button"
        className="btn"
        onClick={() => onShift(1)}
        aria-label="Next period"
        aria-keyshortcuts="ArrowRight"
      >
        ▶
      </button>
      <fieldset className="cal-views">
        <legend className="cal-sr-only">Zoom</legend>
        {VIEWS.map((v) => (
          <button
            key={v.kind}
            type="button"
            className="btn"
            aria-pressed={scale.view === v.kind}
            aria-keyshortcuts={v.key}
            data-testid={`calendar-view-${v.kind}`}
            onClick={() => onView(v.kind)}
          >
            {v.label}
          </button>
        ))}
      </fieldset>
      <span className="cal-spacer" />
      <span className="cal-viewer" data-testid="calendar-viewer-zone">
        you: {scale.zone} ({zoneAbbrev(scale.zone, now, locale)}) {formatIn(now, scale.zone, "p", locale)}
      </span>
      <fieldset className="cal-views" data-testid="calendar-times">
        <legend className="cal-sr-only">Times</legend>
        <button
          type="button"
          className="btn"
          aria-pressed={plantLocal}
          onClick={() => onTimes(true)}
          data-testid="calendar-times-plant"
        >
          Plant local
        </button>
        <button
          type="button"
          className="btn"
          aria-pressed={!plantLocal}
          onClick={() => onTimes(false)}
          data-testid="calendar-times-mine"
        >
          My time
        </button>
      </fieldset>
      <button type="button" className="btn" onClick={onToggleImport} data-testid="calendar-import-toggle">
        Import calendar…
      </button>
      <button
        type="button"
        className="btn primary"
        disabled={!canFindNext}
        onClick={onFindNext}
        aria-keyshortcuts="N"
        title={canFindNext ? "Find the next safe window for the selected change (N)" : "Select a change first"}
        data-testid="calendar-find-next"
      >
        Find next safe window
      </button>
    </header>
  );
}

/** The legend's entries: the swatches (cal-sw modifier classes) and what they stand for. */
const LEGEND: readonly { readonly swatches: readonly string[]; readonly label: string }[] = [
  { swatches: ["crew-0", "crew-1", "crew-2"], label: "Shifts" },
  { swatches: ["sw-blackout"], label: "Blackout" },
  { swatches: ["sw-maint"], label: "Maintenance" },
  { swatches: ["risk-low"], label: "Low" },
  { swatches: ["risk-medium"], label: "Medium" },
  { swatches: ["risk-high"], label: "High" },
  { swatches: ["risk-emergency"], label: "Emergency" },
  { swatches: ["risk-medium is-proposed"], label: "Striped = not yet approved" },
  { swatches: [], label: "⚠ = conflict" },
  { swatches: ["sw-now"], label: "Now" },
];

/** What the colours and patterns mean, always on screen: a CAB guest should not have to ask. */
export function CalendarLegend() {
  return (
    <div className="cal-legend" data-testid="calendar-legend">
      {LEGEND.map(({ swatches, label }) => (
        <span key={label}>
          {swatches.map((swatch) => (
            <i key={swatch} className={`cal-sw ${swatch}`} />
          ))}
          {label}
        </span>
      ))}
    </div>
  );
}

/** The keyboard and mouse hints, in words. */
export function CalendarFooter() {
  return (
    <footer className="cal-footer">
      Drag a bar to move it: conflicts show while dragging, the core confirms on drop. Keyboard: ←/→ period · D/W/M view
      · Tab through changes · Ctrl+←/→ nudge 15 min, Shift+←/→ 60 min, Enter to confirm, Esc to cancel · N next safe
      window · Enter open change.
    </footer>
  );
}
