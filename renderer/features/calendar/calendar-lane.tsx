import type { Locale } from "date-fns";
import { memo, useCallback, useLayoutEffect, useMemo, useRef, useSyncExternalStore } from "react";
import type { ChangeSummary } from "../../../shared/contract/index";
import type { LaneItem, LaneModel, Verdict } from "./calendar-model";
import { BAR_PITCH, BAR_TOP, type BarHandlers, barClasses, ChangeBar, changeName, NARROW } from "./change-bar";
import type { ConflictSource } from "./conflict-text";
import { ConflictTip, type SafeWindow } from "./conflict-tip";
import { formatIn, zoneAbbrev } from "./format-time";
import { OverflowChips } from "./overflow-chips";
import { DRAG_MEASURE, measureFrom } from "./perf-marks";
import type { Preview, PreviewStore } from "./preview-store";
import { laneScale, percentAt, spanStyle, type TimeScale } from "./time-scale";
import { TRAY_DRAG_TYPE } from "./unscheduled-tray";
import { useFitInView } from "./use-fit-in-view";

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

/** In the day view, the plant's own clock under the viewer's axis: "03:00 CST" where the axis says 10:00. */
function LocalHours({ scale, zone, locale }: { scale: TimeScale; zone: string; locale: Locale }) {
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

function ActiveTip(props: {
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
function LaneGhost({ lane, zone, scale, env }: { lane: LaneModel; zone: string; scale: TimeScale; env: LaneEnv }) {
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
