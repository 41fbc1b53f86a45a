import type { Locale } from "date-fns";
import { Loading } from "../../components/loading";
import { CalendarLane, type LaneEnv } from "./calendar-lane";
import type { LaneModel } from "./calendar-model";
import { formatIn } from "./format-time";
import { percentAt, type TimeScale } from "./time-scale";

function ColumnLabel({ start, scale, locale }: { start: number; scale: TimeScale; locale: Locale }) {
  switch (scale.view) {
    case "day":
      return <b>{formatIn(start, scale.zone, "p", locale)}</b>;
    case "week":
      return (
        <>
          <b>{formatIn(start, scale.zone, "EEE d", locale)}</b>
          <span>{formatIn(start, scale.zone, "MMM", locale)}</span>
        </>
      );
    case "month":
      return (
        <>
          <b>{formatIn(start, scale.zone, "d", locale)}</b>
          <span>{formatIn(start, scale.zone, "EEEEE", locale)}</span>
        </>
      );
    default: {
      const never: never = scale.view;
      return never;
    }
  }
}

/** The time axis in the viewer's zone above one lane per plant. */
export function CalendarGrid({
  lanes,
  env,
  selectedKey,
  activeKey,
  loading = false,
}: {
  readonly lanes: readonly LaneModel[];
  /** True while the plants or changes are still being read: the grid says so instead of "No plants yet". */
  readonly loading?: boolean;
  readonly env: LaneEnv;
  readonly selectedKey: string | null;
  readonly activeKey: string | null;
}) {
  const { scale, locale } = env;
  const mine = (key: string | null, lane: LaneModel) => (key && lane.bars.some((b) => b.key === key) ? key : null);
  return (
    <div className={`cal-grid view-${scale.view}`} data-testid="calendar-grid" data-view={scale.view}>
      <div className="cal-axis">
        <div className="cal-axis-corner">Plant · local time</div>
        <div className="cal-axis-track">
          {scale.columns.map((c) => (
            <div
              key={c.start}
              className={`cal-axis-col${c.weekend ? " is-weekend" : ""}`}
              style={{
                left: `${percentAt(scale, c.start)}%`,
                width: `${percentAt(scale, c.end) - percentAt(scale, c.start)}%`,
              }}
            >
              <ColumnLabel start={c.start} scale={scale} locale={locale} />
            </div>
          ))}
        </div>
      </div>
      {/* While plants or changes are read, lanes built from the changes alone would say "No calendar imported yet". */}
      {loading && <Loading label="Reading the plant calendars…" testId="calendar-loading" />}
      {!loading && lanes.length === 0 && (
        <p className="cal-empty muted" data-testid="calendar-empty">
          No plants yet: import a plant calendar to see its shifts.
        </p>
      )}
      {!loading &&
        lanes.map((lane) => (
          <CalendarLane
            key={lane.id}
            lane={lane}
            env={env}
            selectedKey={mine(selectedKey, lane)}
            activeKey={mine(activeKey, lane)}
          />
        ))}
    </div>
  );
}
