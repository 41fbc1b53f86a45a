import { useQueryClient } from "@tanstack/react-query";
import type { Locale } from "date-fns";
import { type RefObject, useCallback, useState } from "react";
import type { ChangeSummary } from "../../../shared/contract/index";
import { type Conflict, type ConflictKind, formatInstant, ianaZone } from "../../../shared/domain/calendar/index";
import type { Client } from "../../api/transport";
import { checkOnCore, nextWindowOnCore, type WindowQuery } from "./calendar-api";
import { BUFFER_MS, type CalendarModel, nextSafeWindow, plannedOf, verdictFor } from "./calendar-model";
import { changeName } from "./change-bar";
import { conflictSentence } from "./conflict-text";
import type { SafeWindow } from "./conflict-tip";
import { formatRange } from "./format-time";
import type { PreviewStore } from "./preview-store";

const KINDS: readonly ConflictKind[] = [
  "blackout",
  "shift-change",
  "outside-maintenance",
  "collision",
  "double-booked",
];
/** The line under the toolbar: what just happened, or why it did not. */
export interface CalendarMessage {
  readonly kind: "ok" | "error";
  readonly text: string;
  /** A window on offer: the message carries "Move there" and "Keep" buttons. */
  readonly offer?: { readonly change: ChangeSummary; readonly start: number; readonly end: number };
}

/** The change as the core's rules see it, limited to plants that have a calendar (the others cannot be judged). */
function query(model: CalendarModel, change: ChangeSummary, start: number, end: number): WindowQuery {
  const planned = plannedOf(change, start, end);
  const plants = change.plants.filter((p) => model.ctx.plants.has(p.toLowerCase()));
  return { change: { ...planned, plants }, others: model.planned };
}

function fromCore(c: {
  readonly kind: string;
  readonly plant: string | null;
  readonly with: string | null;
  readonly start: string;
  readonly end: string;
}): Conflict | null {
  const kind = KINDS.find((k) => k === c.kind);
  return kind ? { kind, plant: c.plant, with: c.with, start: Date.parse(c.start), end: Date.parse(c.end) } : null;
}

/**
 * Moving a change: the core has the last word. On drop the core checks the window (calendar.check) and the
 * register takes it (change.update with the version the view saw); either refusal puts the bar back and says why.
 */
export function useMoveChange(deps: {
  readonly client: Client;
  readonly model: RefObject<CalendarModel | null>;
  readonly store: PreviewStore;
  readonly viewerZone: string;
  readonly locale: Locale;
  readonly now: number;
}) {
  const { client, model, store, viewerZone, locale, now } = deps;
  const queryClient = useQueryClient();
  const [message, setMessage] = useState<CalendarMessage | null>(null);

  const zoneOf = useCallback(
    (change: ChangeSummary) => model.current?.lanes.find((l) => l.id === change.plants[0])?.timeZone ?? viewerZone,
    [model, viewerZone],
  );

  const commitMove = useCallback(
    async (change: ChangeSummary, start: number, end: number) => {
      const m = model.current;
      const prev = store.get();
      if (!m) return;
      const verdict = verdictFor(m, change, start, end);
      store.set({
        change,
        plantId: prev?.plantId ?? change.plants[0] ?? "",
        row: prev?.row ?? 0,
        start,
        end,
        verdict,
        source: "saving",
        mark: null,
      });
      const zone = ianaZone(zoneOf(change));
      const window = { start: formatInstant(zone, start), end: formatInstant(zone, end) };
      try {
        const q = query(m, change, start, end);
        const core =
          q.change.plants.length > 0 ? await checkOnCore(client, q, start, end) : { ok: true, conflicts: [] };
        if (!core.ok) {
          const conflicts = core.conflicts.map(fromCore).filter((c): c is Conflict => c !== null);
          const blocking = conflicts.filter((c) => c.kind !== "outside-maintenance");
          // Not ok with only outside-maintenance: the plant's maintenance is enforced by Argo CD (allow windows).
          const reasons = (blocking.length > 0 ? blocking : conflicts).map((c) =>
            conflictSentence(c, { start, end }, m, viewerZone, locale),
          );
          throw new Error(`Not moved, the core found conflicts: ${reasons.join("; ")}.`);
        }
        await client.call("change.update", {
          id: change.id,
          expectedVersion: change.version,
          patch: { window },
          reason: "Rescheduled in the calendar",
        });
        await queryClient.invalidateQueries({ queryKey: ["change.list"] });
        setMessage({ kind: "ok", text: `Moved ${changeName(change)} to ${formatRange(start, end, zone.id, locale)}.` });
      } catch (e) {
        setMessage({ kind: "error", text: e instanceof Error ? e.message : String(e) });
      } finally {
        // Cleared after the refetch, so the bar appears at its new place without flicking back first.
        store.set(null);
      }
    },
    [model, store, zoneOf, client, queryClient, viewerZone, locale],
  );

  /** The engine's own next safe window over the loaded span: instant, for the tips. */
  const findNextLocal = useCallback(
    (change: ChangeSummary, start: number, end: number): SafeWindow | null => {
      const m = model.current;
      return m ? nextSafeWindow(m, change, start, end, now) : null;
    },
    [model, now],
  );

  /** Asks the core for the next safe window and offers it as a preview the CAB confirms (Enter) or drops (Esc). */
  const offerNext = useCallback(
    async (change: ChangeSummary, start: number, end: number, plantId: string, row: number) => {
      const m = model.current;
      if (!m) return;
      try {
        const q = query(m, change, start, end);
        if (q.change.plants.length === 0) throw new Error(`No plant of ${changeName(change)} has a calendar yet.`);
        // From now, not from the change's slot: an earlier free window is offered too.
        const core = await nextWindowOnCore(client, q, now);
        const found = core
          ? { start: Date.parse(core.start), end: Date.parse(core.end), inMaintenance: core.inMaintenance }
          : null;
        if (!found) {
          setMessage({ kind: "error", text: `No safe window found for ${changeName(change)} within a year.` });
          return;
        }
        const verdict = verdictFor(m, change, found.start, found.end);
        store.set({ change, plantId, row, start: found.start, end: found.end, verdict, source: "offer", mark: null });
        setMessage({
          kind: "ok",
          text: `Next safe window for ${changeName(change)}: ${formatRange(found.start, found.end, zoneOf(change), locale)}${found.inMaintenance ? " (maintenance)" : ""}. Enter moves it there, Esc keeps it where it is.`,
          offer: { change, start: found.start, end: found.end },
        });
      } catch (e) {
        setMessage({ kind: "error", text: e instanceof Error ? e.message : String(e) });
      }
    },
    [model, now, client, store, zoneOf, locale],
  );

  return { message, setMessage, commitMove, findNextLocal, offerNext, bufferMs: BUFFER_MS };
}
