import { useQueryClient } from "@tanstack/react-query";
import type { Locale } from "date-fns";
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { useClient } from "../../api/client-context";
import { ErrorBox } from "../../components/error-box";
import { CalendarGrid } from "./calendar-grid";
import type { LaneEnv } from "./calendar-lane";
import { verdictFor } from "./calendar-model";
import { CalendarFooter, CalendarLegend, CalendarToolbar } from "./calendar-toolbar";
import { createExpansionCache } from "./expansion-cache";
import { localeFor } from "./format-time";
import { ImportPanel } from "./import-panel";
import { measureFrom, RENDER_MEASURE } from "./perf-marks";
import { createPreviewStore } from "./preview-store";
import { shiftPeriod, timeScale, type ViewKind } from "./time-scale";
import { PLACED_DURATION_MS, UnscheduledTray, useUnscheduled } from "./unscheduled-tray";
import { useBarDrag } from "./use-bar-drag";
import { useCalendarData } from "./use-calendar-data";
import { useCalendarKeys } from "./use-calendar-keys";
import { type CalendarMessage, useMoveChange } from "./use-move-change";
import "./calendar.css";

/**
 * `#/calendar?date=2026-11-30&view=week`: a shareable period; `times=mine` draws every lane on the viewer's clock
 * (plant local otherwise); `preview=rebuild` is the benchmark's baseline.
 */
function readHash(hash: string): {
  view: ViewKind;
  anchor: number | null;
  rebuild: boolean;
  plantLocal: boolean;
  change: string | null;
} {
  const params = new URLSearchParams(hash.split("?")[1] ?? "");
  const v = params.get("view");
  const view: ViewKind = v === "day" || v === "month" ? v : "week";
  const date = params.get("date");
  // Noon UTC of the named day lands inside that day in every zone the plants use.
  const anchor = date && /^\d{4}-\d{2}-\d{2}$/.test(date) ? Date.parse(`${date}T12:00:00Z`) : null;
  return {
    view,
    anchor,
    rebuild: params.get("preview") === "rebuild",
    plantLocal: params.get("times") !== "mine",
    change: params.get("change"),
  };
}

/** The viewer's locale and zone as the browser reports them. */
function viewerSettings(): { readonly locale: Locale; readonly zone: string } {
  const options = Intl.DateTimeFormat().resolvedOptions();
  return { locale: localeFor(navigator.language || options.locale), zone: options.timeZone };
}

/** The buttons of a next-safe-window offer; "Move there" takes the focus so Enter accepts it. */
function OfferActions({
  offer,
  onMove,
  onKeep,
}: {
  readonly offer: NonNullable<CalendarMessage["offer"]>;
  readonly onMove: (offer: NonNullable<CalendarMessage["offer"]>) => void;
  readonly onKeep: () => void;
}) {
  const move = useRef<HTMLButtonElement>(null);
  const focusedBar = useRef(document.activeElement?.classList.contains("cal-bar") ?? false);
  useEffect(() => {
    // From the keyboard (N on a bar) Enter already accepts; from the toolbar button, focus the answer.
    if (!focusedBar.current) move.current?.focus();
  }, []);
  return (
    <span className="cal-offer">
      <button
        ref={move}
        type="button"
        className="btn primary"
        onClick={() => onMove(offer)}
        data-testid="calendar-offer-move"
      >
        Move there
      </button>
      <button type="button" className="btn" onClick={onKeep} data-testid="calendar-offer-keep">
        Keep
      </button>
    </span>
  );
}

/** A change with no window in the model: nothing to judge. */
const NOT_JUDGED = { ok: true, conflicts: [] } as const;

function useMinuteClock(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now()), 60_000);
    return () => window.clearInterval(id);
  }, []);
  return now;
}

/** The CAB's calendar: plant lanes over time, changes on them, conflicts live while moving them. */
export function CalendarPage() {
  const client = useClient();
  const queryClient = useQueryClient();
  const [store] = useState(createPreviewStore);
  const [cache] = useState(createExpansionCache);
  const settings = useMemo(viewerSettings, []);
  const initial = useMemo(() => readHash(window.location.hash), []);
  const [view, setView] = useState(initial.view);
  const [plantLocal, setPlantLocal] = useState(initial.plantLocal);
  const [anchor, setAnchor] = useState(() => initial.anchor ?? Date.now());
  const now = useMinuteClock();
  const scale = useMemo(() => timeScale(view, anchor, settings.zone, settings.locale), [view, anchor, settings]);
  const data = useCalendarData(client, scale, cache);
  const modelRef = useRef(data.model);
  modelRef.current = data.model;
  const scaleRef = useRef(scale);
  scaleRef.current = scale;
  const [selectedKey, setSelectedKey] = useState<string | null>(null);
  const [hoverKey, setHoverKey] = useState<string | null>(null);
  const [importOpen, setImportOpen] = useState(false);
  const hoverTimer = useRef(0);
  const moves = useMoveChange({
    client,
    model: modelRef,
    store,
    viewerZone: settings.zone,
    locale: settings.locale,
    now,
  });
  const { commitMove, offerNext, findNextLocal, setMessage } = moves;
  const unscheduled = useUnscheduled(client);
  const trayChanges = unscheduled.data ?? [];
  const trayRef = useRef(trayChanges);
  trayRef.current = trayChanges;
  const placeAt = useCallback(
    (id: string, instant: number) => {
      const change = trayRef.current.find((c) => c.id === id);
      if (change) void commitMove(change, instant, instant + PLACED_DURATION_MS);
    },
    [commitMove],
  );
  // `?change=` selects the change: its bar when it has a window in view (the tray focuses its own item).
  const wanted = useRef(initial.change);
  useEffect(() => {
    const id = wanted.current;
    if (!id) return;
    const bar = data.model.lanes.flatMap((l) => l.bars).find((b) => b.change.id === id);
    if (bar) {
      wanted.current = null;
      setSelectedKey(bar.key);
    }
  }, [data.model]);

  useLayoutEffect(() => measureFrom(RENDER_MEASURE, data.renderMark), [data.renderMark]);
  useEffect(() => {
    const date = new Date(scale.from + 12 * 3_600_000).toISOString().slice(0, 10);
    window.history.replaceState(
      null,
      "",
      `#/calendar?date=${date}&view=${view}${plantLocal ? "" : "&times=mine"}${initial.rebuild ? "&preview=rebuild" : ""}`,
    );
  }, [scale.from, view, plantLocal, initial.rebuild]);

  const onDrop = useCallback(
    (change: Parameters<typeof commitMove>[0], start: number, end: number) => void commitMove(change, start, end),
    [commitMove],
  );
  const onPointerDown = useBarDrag({
    store,
    model: modelRef,
    scale: scaleRef,
    previewMode: initial.rebuild ? "rebuild" : "indexed",
    onDrop,
  });
  const onHover = useCallback((key: string | null) => {
    window.clearTimeout(hoverTimer.current);
    // A short grace lets the pointer travel from a bar into its tip (to reach "Move there").
    if (key === null) hoverTimer.current = window.setTimeout(() => setHoverKey(null), 250);
    else setHoverKey(key);
  }, []);
  const handlers = useMemo(() => ({ onPointerDown, onFocus: setSelectedKey, onHover }), [onPointerDown, onHover]);
  const env: LaneEnv = useMemo(
    () => ({
      scale,
      locale: settings.locale,
      viewerZone: settings.zone,
      plantLocal,
      now,
      verdicts: data.model.verdicts,
      judge: (change) => {
        const w = data.model.windows.get(change.id);
        return data.model.verdicts.get(change.id) ?? (w ? verdictFor(data.model, change, w.start, w.end) : NOT_JUDGED);
      },
      source: data.model,
      handlers,
      store,
      findNext: findNextLocal,
      onMove: (change, w) => void commitMove(change, w.start, w.end),
      onPlaceAt: placeAt,
    }),
    [scale, settings, plantLocal, now, data.model, handlers, store, findNextLocal, commitMove, placeAt],
  );

  const selected = useMemo(() => {
    for (const lane of data.model.lanes) {
      const bar = lane.bars.find((b) => b.key === selectedKey);
      if (bar) return bar;
    }
    return null;
  }, [data.model, selectedKey]);

  const findNext = () => {
    if (selected) void offerNext(selected.change, selected.start, selected.end, selected.plantId, selected.row);
  };
  useCalendarKeys({
    shift: (d) => {
      store.set(null);
      setAnchor(shiftPeriod(scale, d));
    },
    view: (v) => {
      setAnchor(Math.min(Math.max(selected?.start ?? anchor, scale.from), scale.to - 1));
      setView(v);
    },
    nudge: (minutes) => {
      if (!selected) return;
      const p = store.get();
      const base = p && p.change.id === selected.change.id && p.source !== "saving" ? p : selected;
      const start = base.start + minutes * 60_000;
      const end = base.end + minutes * 60_000;
      store.set({
        change: selected.change,
        plantId: selected.plantId,
        row: selected.row,
        start,
        end,
        verdict: verdictFor(data.model, selected.change, start, end),
        source: "nudge",
        mark: null,
      });
    },
    findNext,
    enter: () => {
      const p = store.get();
      if (p && (p.source === "nudge" || p.source === "offer")) {
        void commitMove(p.change, p.start, p.end);
        return true;
      }
      if (!selected) return false;
      window.location.hash = `#/register/${selected.change.id}`;
      return true;
    },
    escape: () => {
      // One thing at a time: a pending preview first, then the message, then the selection.
      if (store.get()) {
        store.set(null);
        if (moves.message?.offer) setMessage(null);
      } else if (moves.message) setMessage(null);
      else {
        setSelectedKey(null);
        setHoverKey(null);
      }
    },
  });

  return (
    <section className="cal-page" data-testid="calendar-page">
      <CalendarToolbar
        scale={scale}
        locale={settings.locale}
        now={now}
        plantLocal={plantLocal}
        onTimes={setPlantLocal}
        canFindNext={selected !== null}
        onShift={(d) => setAnchor(shiftPeriod(scale, d))}
        onView={setView}
        onFindNext={findNext}
        onToggleImport={() => setImportOpen((o) => !o)}
      />
      <CalendarLegend />
      {importOpen && (
        <ImportPanel
          onClose={() => setImportOpen(false)}
          onImport={async (input) => {
            const record = await client.call("plant.import", input);
            await queryClient.invalidateQueries({ queryKey: ["plant.list"] });
            return record;
          }}
          onPreview={(input) => client.call("plant.previewImport", input)}
        />
      )}
      {moves.message && (
        <div
          className={`cal-message is-${moves.message.kind}`}
          role={moves.message.kind === "error" ? "alert" : "status"}
          data-testid="calendar-message"
        >
          {moves.message.text}
          {moves.message.offer && (
            <OfferActions
              offer={moves.message.offer}
              onMove={(o) => void commitMove(o.change, o.start, o.end)}
              onKeep={() => {
                store.set(null);
                setMessage(null);
              }}
            />
          )}
        </div>
      )}
      {data.error && <ErrorBox error={data.error} />}
      <UnscheduledTray
        changes={trayChanges}
        selectedId={initial.change}
        ready={!data.loading}
        onPlace={(c) => void offerNext(c, now, now + PLACED_DURATION_MS, c.plants[0] ?? "", 0)}
      />
      <CalendarGrid
        lanes={data.model.lanes}
        env={env}
        selectedKey={selectedKey}
        activeKey={hoverKey ?? selectedKey}
        loading={data.loading}
      />
      <CalendarFooter />
    </section>
  );
}
