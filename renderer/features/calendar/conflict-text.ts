import type { Locale } from "date-fns";
import type { Conflict } from "../../../shared/domain/calendar/index";
import { BUFFER_MS, type CalendarModel } from "./calendar-model";
import { changeName } from "./change-bar";
import { formatIn, formatRange, zoneAbbrev } from "./format-time";

/** What the sentences need from the model: names of plants, instances and other changes. */
export type ConflictSource = Pick<CalendarModel, "instances" | "changes" | "plantNames" | "lanes">;

function zoneOf(source: ConflictSource, plantId: string | null, fallback: string): string {
  return source.lanes.find((l) => l.id === plantId)?.timeZone ?? fallback;
}

function changeLabel(source: ConflictSource, id: string | null): string {
  const c = id ? source.changes.get(id) : undefined;
  return c ? `“${changeName(c)}”` : (id ?? "another change");
}

/**
 * One conflict as a plant manager reads it, in the plant's own clock with its zone named:
 * "Shift change 22:00 CET (Late shift ends) at Berlin Assembly, within ±30 min".
 */
export function conflictSentence(
  c: Conflict,
  window: { readonly start: number; readonly end: number },
  source: ConflictSource,
  viewerZone: string,
  locale: Locale,
): string {
  const plant = c.plant ? (source.plantNames.get(c.plant) ?? c.plant) : null;
  const zone = zoneOf(source, c.plant, viewerZone);
  const at = plant ? ` at ${plant}` : "";
  switch (c.kind) {
    case "shift-change": {
      const shift = c.plant && c.with ? source.instances.get(`${c.plant}|${c.with}`) : undefined;
      const name = shift?.summary || "shift";
      // The boundary that falls in the buffered window is the one that matters: the shift's start or its end.
      const lo = window.start - BUFFER_MS;
      const hi = window.end + BUFFER_MS;
      const startsInside = c.start >= lo && c.start < hi;
      const t = startsInside ? c.start : c.end;
      const time = `${formatIn(t, zone, "EEE p", locale)} ${zoneAbbrev(zone, t, locale)}`;
      return `Shift change ${time} (${name} ${startsInside ? "starts" : "ends"})${at}, within ±${BUFFER_MS / 60_000} min`;
    }
    case "blackout": {
      const b = c.plant && c.with ? source.instances.get(`${c.plant}|${c.with}`) : undefined;
      return `Blackout "${b?.summary || c.with || "blackout"}"${at}: ${formatRange(c.start, c.end, zone, locale)}`;
    }
    case "outside-maintenance":
      return `Outside every maintenance window${at} (a warning)`;
    case "collision":
      return `Collides${at} with ${changeLabel(source, c.with)} (same area or environment)`;
    case "double-booked":
      return `Implementer already booked on ${changeLabel(source, c.with)}`;
    default: {
      const never: never = c.kind;
      return String(never);
    }
  }
}

/** One line of a conflict list, keyed for React. */
export interface ConflictLine {
  readonly key: string;
  readonly kind: Conflict["kind"];
  readonly text: string;
}

/**
 * The conflicts of a window as lines, blocking ones first; the outside-maintenance warnings of several plants
 * become one line, so a three-plant change does not read as three problems.
 */
export function conflictLines(
  conflicts: readonly Conflict[],
  window: { readonly start: number; readonly end: number },
  source: ConflictSource,
  viewerZone: string,
  locale: Locale,
): ConflictLine[] {
  const lines: ConflictLine[] = [];
  const outside: string[] = [];
  for (const c of conflicts) {
    if (c.kind === "outside-maintenance") {
      outside.push(c.plant ? (source.plantNames.get(c.plant) ?? c.plant) : "");
      continue;
    }
    lines.push({
      key: `${c.kind}|${c.plant}|${c.with}|${c.start}`,
      kind: c.kind,
      text: conflictSentence(c, window, source, viewerZone, locale),
    });
  }
  if (outside.length > 0) {
    const where = outside.filter(Boolean).join(", ");
    lines.push({
      key: "outside-maintenance",
      kind: "outside-maintenance",
      text: `Outside every maintenance window${where ? ` at ${where}` : ""} (a warning)`,
    });
  }
  return lines;
}

/**
 * A tip's head, counted from its bullets (the outside-maintenance warnings of several plants are one bullet), so
 * head and list always agree: "⚠ 2 conflicts · 1 warning" over three bullets. Outside maintenance blocks only
 * where Argo CD enforces it (then the verdict is not ok with no other conflict).
 */
export function tipHead(
  verdict: { readonly ok: boolean },
  lines: readonly ConflictLine[],
): { readonly head: string; readonly blocking: number } {
  const hard = lines.filter((l) => l.kind !== "outside-maintenance").length;
  const blocking = verdict.ok || hard > 0 ? hard : lines.length;
  const warnings = lines.length - blocking;
  const plural = (n: number, word: string) => `${n} ${word}${n > 1 ? "s" : ""}`;
  const head =
    blocking > 0
      ? `⚠ ${plural(blocking, "conflict")}${warnings > 0 ? ` · ${plural(warnings, "warning")}` : ""}`
      : warnings > 0
        ? "✓ No blocking conflict"
        : "✓ No conflict";
  return { head, blocking };
}
