import type { Locale } from "date-fns";
import { useLayoutEffect, useMemo, useSyncExternalStore } from "react";
import type { ChangeSummary } from "../../../shared/contract/index";
import type { LaneEnv } from "./calendar-lane";
import type { LaneModel } from "./calendar-model";
import { BAR_PITCH, BAR_TOP, barClasses, changeName, NARROW } from "./change-bar";
import { ConflictTip } from "./conflict-tip";
import { formatIn, zoneAbbrev } from "./format-time";
import { DRAG_MEASURE, measureFrom } from "./perf-marks";
import type { Preview } from "./preview-store";
import { percentAt, spanStyle, type TimeScale } from "./time-scale";
import { useFitInView } from "./use-fit-in-view";

// What a lane draws over its bars: the plant's own hours, the tip of the active bar and the ghost of a moved change.

/** In the day view, the plant's own clock under the viewer's axis: "03:00 CST" where the axis says 10:00. */
export function LocalHours({ scale, zone, locale }: { scale: TimeScale; zone: string; locale: Locale }) {
  return (
    <>
      {scale.columns.map((c, i) => (
        <span key={c.start} className="cal-local-hour" style={{ left: `${percentAt(scale, c.start)}%` }}>
          {formatIn(c.start, zone, "p", locale)}
          {i === 0 ? ` ${zoneAbbrev(zone, c.start, locale)}` : ""}
        </span>
      ))}
    </>
  );
}

export function ActiveTip(props: {
  id: string;
  barKey: string;
  change: ChangeSummary;
  start: number;
  end: number;
  row: number;
  zone: string;
  env: LaneEnv;
  alignRight: boolean;
  left: number;
  /** Shown for the selection, not under the pointer: the bars beneath stay reachable through it. */
  passive: boolean;
}) {
  const { env, change, start, end } = props;
  const verdict = env.verdicts.get(change.id) ?? { ok: true, conflicts: [] };
  // While the change is dragged, nudged or offered a window its preview has the live tip: two tips for one
  // change overlapped each other, so this one steps aside.
  const previewing = useSyncExternalStore(env.store.subscribe, () => env.store.get()?.change.id === change.id);
  // Only a change with something wrong gets a search: it is the question the CAB asks about it.
  const next = useMemo(
    () => (verdict.conflicts.length > 0 && !previewing ? env.findNext(change, start, end) : undefined),
    [env, change, start, end, verdict, previewing],
  );
  // Under the bar, or above it where the window's bottom edge would cut the tip off.
  const [fit, up] = useFitInView<HTMLDivElement>(`${props.barKey}|${props.row}|${previewing}`, BAR_PITCH);
  if (previewing) return null;
  return (
    <div
      ref={fit}
      className={`cal-tip-anchor${up ? " is-up" : ""}${props.passive ? " is-passive" : ""}`}
      style={{
        top: BAR_TOP + (props.row + (up ? 0 : 1)) * BAR_PITCH,
        ...(props.alignRight ? { right: `${100 - props.left}%` } : { left: `${props.left}%` }),
      }}
      onPointerEnter={() => env.handlers.onHover(props.barKey)}
      onPointerLeave={() => env.handlers.onHover(null)}
    >
      <ConflictTip
        id={props.id}
        change={change}
        start={start}
        end={end}
        verdict={verdict}
        plantZone={props.zone}
        viewerZone={env.viewerZone}
        locale={env.locale}
        source={env.source}
        next={next}
        onMove={(w) => env.onMove(change, w)}
        alignRight={props.alignRight}
      />
    </div>
  );
}

/** The previewed position of a change being dragged, nudged or offered a window; subscribes alone to the store. */
export function LaneGhost({
  lane,
  zone,
  scale,
  env,
}: {
  lane: LaneModel;
  zone: string;
  scale: TimeScale;
  env: LaneEnv;
}) {
  const laneId = lane.id;
  const preview = useSyncExternalStore(env.store.subscribe, () => {
    const p = env.store.get();
    return p?.change.plants.includes(laneId) ? p : null;
  });
  const primary = preview?.plantId === laneId;
  useLayoutEffect(() => {
    // The drag measure closes once React has committed the ghost and its conflicts for this move.
    if (preview && primary) measureFrom(DRAG_MEASURE, preview.mark);
  }, [preview, primary]);
  if (!preview) return null;
  // A change on several plants sits in a different row of each lane: its ghost follows that lane's row.
  const row = lane.bars.find((b) => b.change.id === preview.change.id)?.row ?? preview.row;
  return <Ghost preview={preview} row={row} primary={primary} zone={zone} scale={scale} env={env} />;
}

function Ghost({
  preview,
  row,
  primary,
  zone,
  scale,
  env,
}: {
  preview: Preview;
  row: number;
  primary: boolean;
  zone: string;
  scale: TimeScale;
  env: LaneEnv;
}) {
  const pos = spanStyle(scale, preview.start, preview.end);
  const left = pos ? pos.left : percentAt(scale, preview.start);
  const top = BAR_TOP + row * BAR_PITCH;
  // Measured once per drag and row, not per pointer move: the live tip goes above the ghost near the window's bottom.
  const [fit, up] = useFitInView<HTMLDivElement>(`${preview.change.id}|${row}|${primary}`, BAR_PITCH);
  return (
    <>
      {pos && (
        <div
          className={`${barClasses(preview.change, false)} cal-ghost${pos.width < NARROW ? " is-narrow" : ""}${preview.verdict.ok ? "" : " has-conflict"}`}
          style={{ left: `${pos.left}%`, width: `${pos.width}%`, top }}
          data-testid="calendar-ghost"
          aria-hidden="true"
        >
          {!preview.verdict.ok && <span className="cal-bar-conf">⚠</span>}
          <span className="cal-bar-label">{changeName(preview.change)}</span>
        </div>
      )}
      {primary && (
        <div
          ref={fit}
          className={`cal-tip-anchor is-passive${up ? " is-up" : ""}`}
          style={{
            top: up ? top : top + BAR_PITCH,
            // Right of the middle the tip opens leftwards from the ghost, so it never clips at the right edge.
            ...(left > 50 ? { right: `${100 - Math.min(100, left)}%` } : { left: `${Math.max(0, left)}%` }),
          }}
        >
          <ConflictTip
            id={`cal-preview-${preview.change.id}`}
            change={preview.change}
            start={preview.start}
            end={preview.end}
            verdict={preview.verdict}
            plantZone={zone}
            viewerZone={env.viewerZone}
            locale={env.locale}
            source={env.source}
            live
            alignRight={left > 50}
          />
        </div>
      )}
    </>
  );
}
