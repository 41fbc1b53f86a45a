import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import type { ChangeSummary } from "../../../shared/contract/index";
import type { Client } from "../../api/transport";
import { changeName } from "./change-bar";

/** The drag payload of a tray item: the change's id, read back by a lane on drop. */
export const TRAY_DRAG_TYPE = "application/x-shiftgate-change";
/** A placed change gets this long a window to start with; the CAB drags or nudges it from there. */
export const PLACED_DURATION_MS = 2 * 3_600_000;

const FINISHED = new Set(["closed", "cancelled", "rejected", "failed", "rolled-back"]);

/** Open changes that have no window yet: the first page is what a tray can show. */
export function useUnscheduled(client: Client) {
  return useQuery({
    queryKey: ["change.list", "calendar", "unscheduled"],
    queryFn: async () => {
      const page = await client.call("change.list", {
        unscheduled: true,
        sort: { field: "updatedAt", dir: "desc" },
        pageSize: 100,
      });
      return page.items.filter((c) => !FINISHED.has(c.status));
    },
  });
}

/**
 * Changes without a window, beside the lanes: drag one onto a plant's lane to place it there, or press "Place" (the
 * keyboard way) to be offered the next safe window from now. `?change=` selects one here.
 */
export function UnscheduledTray({
  changes,
  selectedId,
  ready,
  onPlace,
}: {
  readonly changes: readonly ChangeSummary[];
  readonly selectedId: string | null;
  /** False while the plant calendars are still being read: a search then would find no calendar at all. */
  readonly ready: boolean;
  readonly onPlace: (change: ChangeSummary) => void;
}) {
  const selected = useRef<HTMLButtonElement>(null);
  const hasSelected = changes.some((c) => c.id === selectedId);
  // Focus lands on Place once it can answer: Enter pressed before the calendars are read would search nothing.
  useEffect(() => {
    if (hasSelected && ready) selected.current?.focus();
  }, [hasSelected, ready]);
  if (changes.length === 0) return null;
  return (
    <section className="cal-tray" data-testid="calendar-tray" aria-label="Unscheduled changes">
      <h2>Unscheduled ({changes.length})</h2>
      <p className="cal-tray-hint">Drag a change onto a plant's lane, or press Place for the next safe window.</p>
      <ul>
        {changes.map((c) => (
          <li
            key={c.id}
            className={`cal-tray-item${c.id === selectedId ? " is-selected" : ""}`}
            draggable
            onDragStart={(e) => {
              e.dataTransfer.setData(TRAY_DRAG_TYPE, c.id);
              e.dataTransfer.effectAllowed = "move";
            }}
            data-testid="calendar-tray-item"
            data-change-id={c.id}
            aria-current={c.id === selectedId ? "true" : undefined}
          >
            <span className="cal-tray-name">{changeName(c)}</span>
            <span className="cal-tray-plants">{c.plants.join(", ")}</span>
            <button
              ref={c.id === selectedId ? selected : undefined}
              type="button"
              className="btn"
              disabled={!ready}
              title={ready ? undefined : "Reading the plant calendars…"}
              onClick={() => onPlace(c)}
              data-testid="calendar-tray-place"
            >
              Place
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
