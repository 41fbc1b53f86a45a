import type { Locale } from "date-fns";
import { memo, useCallback, useMemo, useRef } from "react";
import type { ChangeSummary } from "../../../shared/contract/index";
import type { LaneItem, LaneModel, Verdict } from "./calendar-model";
import { BAR_PITCH, BAR_TOP, type BarHandlers, ChangeBar } from "./change-bar";
import type { ConflictSource } from "./conflict-text";
import type { SafeWindow } from "./conflict-tip";
import { formatIn, zoneAbbrev } from "./format-time";
import { ActiveTip, LaneGhost, LocalHours } from "./lane-overlays";
import { OverflowChips } from "./overflow-chips";
import type { PreviewStore } from "./preview-store";
import { laneScale, percentAt, spanStyle, type TimeScale } from "./time-scale";
import { TRAY_DRAG_TYPE } from "./unscheduled-tray";

const QUARTER_HOUR = 15 * 60_000;

/** What every lane shares: the period, the viewer, the engine's answers and the handlers. */
export interface LaneEnv {
  readonly scale: TimeScale;
  readonly locale: Locale;
  readonly viewerZone: string;
  /** "Plant local": each lane on its plant's wall clock; otherwise every lane on the viewer's ("my time"). */
  readonly plantLocal: boolean;
  readonly now: number;
  readonly verdicts: ReadonlyMap<string, Verdict>;
  /** A change's verdict, judged on demand when it is not drawn as a bar (listed under a "+N changes" chip). */
  readonly judge: (change: ChangeSummary) => Verdict;
  readonly source: ConflictSource;
  readonly handlers: BarHandlers;
  readonly store: PreviewStore;
  readonly findNext: (change: ChangeSummary, start: number, end: number) => SafeWindow | null;
  readonly onMove: (change: ChangeSummary, w: SafeWindow) => void;
  /** A change dragged in from the unscheduled tray, dropped on this lane at this instant. */
  readonly onPlaceAt: (changeId: string, instant: number) => void;
}

/** The source the import panel records for pasted text: not worth a line under the plant's name. */
export const PASTED = "pasted calendar";

/**
 * Makes a lane's track take changes dragged in from the unscheduled tray: the drop lands at the instant under the
 * pointer on this lane's own clock, to the quarter hour. Native listeners, as the track is no control of its own.
 */
function useTrayDrop(scale: TimeScale, onPlaceAt: LaneEnv["onPlaceAt"]) {
  const latest = useRef({ scale, onPlaceAt });
  latest.current = { scale, onPlaceAt };
  return useCallback((el: HTMLDivElement | null) => {
    if (!el) return;
    const over = (e: DragEvent) => {
      if (e.dataTransfer?.types.includes(TRAY_DRAG_TYPE)) e.preventDefault();
    };
    const drop = (e: DragEvent) => {
      const id = e.dataTransfer?.getData(TRAY_DRAG_TYPE);
      if (!id) return;
      e.preventDefault();
      const { scale: s, onPlaceAt: place } = latest.current;
      const box = el.getBoundingClientRect();
      const at = s.from + ((e.clientX - box.left) / box.width) * (s.to - s.from);
      place(id, Math.round(at / QUARTER_HOUR) * QUARTER_HOUR);
    };
    el.addEventListener("dragover", over);
    el.addEventListener("drop", drop);
  }, []);
}

/** The height of a lane with `rows` rows of bars. */
function laneHeight(rows: number): number {
  return BAR_TOP + rows * BAR_PITCH + 26;
}

function Span({
  item,
  scale,
  className,
  label,
}: {
  item: LaneItem;
  scale: TimeScale;
  className: string;
  label: string;
}) {
  const pos = spanStyle(scale, item.instance.start, item.instance.end);
  if (!pos) return null;
  return (
    <div
      className={className}
      style={{ left: `${pos.left}%`, width: `${pos.width}%` }}
      title={label}
      data-testid={className}
    >
      <span>{label}</span>
    </div>
  );
}

/** One plant: its clock in the header, then shifts, blackouts, maintenance windows and change bars over time. */
export const CalendarLane = memo(function CalendarLane({
  lane,
  env,
  selectedKey,
  activeKey,
}: {
  readonly lane: LaneModel;
  readonly env: LaneEnv;
  /** Only set when the selected / hovered bar is in this lane, so other lanes skip re-rendering. */
  readonly selectedKey: string | null;
  readonly activeKey: string | null;
}) {
  const { locale, now } = env;
  const zone = lane.timeZone ?? env.viewerZone;
  const scale = useMemo(
    () => (env.plantLocal && lane.timeZone ? laneScale(env.scale, lane.timeZone) : env.scale),
    [env.plantLocal, env.scale, lane.timeZone],
  );
  const nowPct = percentAt(scale, now);
  const active = activeKey ? lane.bars.find((b) => b.key === activeKey) : undefined;
  const tipId = `cal-tip-${lane.id}`;
  const dropTarget = useTrayDrop(scale, env.onPlaceAt);
  return (
    <div className="cal-lane" data-testid="calendar-lane" data-plant={lane.id}>
      <div className="cal-lane-head">
        <b className="cal-lane-name">{lane.name}</b>
        {lane.timeZone && (
          <span className="cal-lane-zone" data-testid="calendar-lane-zone">
            {lane.timeZone} · {zoneAbbrev(lane.timeZone, now, locale)}
          </span>
        )}
        {lane.timeZone && (
          <span className="cal-lane-clock">Local now {formatIn(now, lane.timeZone, "EEE p", locale)}</span>
        )}
        {lane.source && lane.source !== PASTED && <span className="cal-lane-pattern">{lane.source}</span>}
        {lane.error && <span className="cal-lane-error">{lane.error}</span>}
        {lane.pendingPublication && (
          // The headline stays in the lane's head; the explanation opens on demand, so a lane is not a paragraph.
          <details className="cal-lane-pending" data-testid="calendar-pending-publication">
            <summary>
              Pending publication: replaced by {lane.pendingPublication.by} on{" "}
              {formatIn(Date.parse(lane.pendingPublication.since), zone, "EEE d MMM p", locale)}.
            </summary>
            Verify and other laptops still read the repository's calendar until a policy-admin publishes it (GitOps
            page).
          </details>
        )}
      </div>
      <div
        className="cal-track"
        style={{ height: laneHeight(lane.rows + (lane.overflow.length > 0 ? 1 : 0)) }}
        ref={dropTarget}
      >
        {scale.columns.map((c) => (
          <div
            key={c.start}
            className={`cal-col${c.weekend ? " is-weekend" : ""}`}
            style={{
              left: `${percentAt(scale, c.start)}%`,
              width: `${percentAt(scale, c.end) - percentAt(scale, c.start)}%`,
            }}
          />
        ))}
        {lane.maintenance.map((m) => (
          <Span
            key={`${m.instance.uid}|${m.instance.start}`}
            item={m}
            scale={scale}
            className="cal-maint"
            label={`${m.instance.summary || "Maintenance"} ${formatIn(m.instance.start, zone, "p", locale)}–${formatIn(m.instance.end, zone, "p", locale)}`}
          />
        ))}
        {lane.blackouts.map((b) => (
          <Span
            key={`${b.instance.uid}|${b.instance.start}`}
            item={b}
            scale={scale}
            className="cal-blackout"
            label={b.instance.summary || "Blackout"}
          />
        ))}
        {lane.shifts.map((s) => {
          const pos = spanStyle(scale, s.instance.start, s.instance.end);
          if (!pos) return null;
          return (
            <div
              key={`${s.instance.uid}|${s.instance.start}`}
              className={`cal-shift crew-${s.crew}`}
              style={{ left: `${pos.left}%`, width: `${pos.width}%` }}
              // Titles are written on first hover: formatting every shift's times up front costs the render.
              onPointerEnter={(e) => {
                e.currentTarget.title ||= `${s.instance.summary} ${formatIn(s.instance.start, zone, "p", locale)}–${formatIn(s.instance.end, zone, "p", locale)} ${zoneAbbrev(zone, s.instance.start, locale)}`;
              }}
              data-testid="calendar-shift"
            >
              {s.instance.summary}
            </div>
          );
        })}
        {lane.bars.map((bar) => (
          <ChangeBar
            key={bar.key}
            bar={bar}
            scale={scale}
            verdict={env.verdicts.get(bar.change.id)}
            zone={zone}
            locale={locale}
            selected={bar.key === selectedKey}
            tipId={bar.key === activeKey ? tipId : undefined}
            handlers={env.handlers}
          />
        ))}
        {lane.overflow.length > 0 && (
          <OverflowChips
            overflow={lane.overflow}
            scale={scale}
            row={lane.rows}
            zone={zone}
            locale={locale}
            judge={env.judge}
          />
        )}
        {scale.view === "day" && !env.plantLocal && lane.timeZone && lane.timeZone !== env.viewerZone && (
          <LocalHours scale={scale} zone={lane.timeZone} locale={locale} />
        )}
        {nowPct >= 0 && nowPct <= 100 && (
          <div className="cal-now" style={{ left: `${nowPct}%` }} data-testid="calendar-now" />
        )}
        {active && (
          <ActiveTip
            id={tipId}
            barKey={active.key}
            change={active.change}
            start={active.start}
            end={active.end}
            row={active.row}
            zone={zone}
            env={env}
            passive={activeKey === selectedKey}
            alignRight={percentAt(scale, active.start) > 50}
            left={Math.max(0, Math.min(100, percentAt(scale, active.start)))}
          />
        )}
        <LaneGhost lane={lane} zone={zone} scale={scale} env={env} />
      </div>
    </div>
  );
});
