import { AppError, type ErrorCode } from "../../../shared/contract/errors";
import {
  buildContext,
  checkWindow,
  DAY,
  DEFAULT_HORIZON_MS,
  findNextWindow,
  formatInstant,
  MINUTE,
  nameKey,
  type PlantCalendar,
  parsePlantCalendar,
} from "../../../shared/domain/calendar/index";
import type { KnownPlants } from "../../../shared/domain/policy/index";
import type { ChangeType } from "../../../shared/domain/register/vocabulary";
import { findPlant } from "../calendar/plant-store";
import { findException } from "../exceptions/exception-store";
import type { Db } from "./db";

/** One blackout instance a window runs into, in its plant's local time. */
interface BlackoutHit {
  readonly plant: string;
  readonly summary: string;
  readonly start: string;
  readonly end: string;
  readonly timeZone: string;
}

/** The parts of a change the window rules judge. */
interface WindowedChange {
  readonly id: string;
  readonly type: ChangeType;
  readonly plants: readonly string[];
}

// The same shift-change buffer as `calendar check` and `calendar next-window` use by default.
const BUFFER_MS = 30 * MINUTE;

/**
 * The imported calendars of the named plants (one per plant). A plant without an imported calendar has no known
 * blackouts: nothing to refuse on it (the calendar check says so).
 */
export function calendarsOf(db: Db, plants: readonly string[]): PlantCalendar[] {
  const out: PlantCalendar[] = [];
  for (const ref of plants) {
    const p = findPlant(db, ref);
    if (p && !out.some((c) => nameKey(c.name ?? "") === nameKey(p.name))) {
      out.push(parsePlantCalendar(p.ics, { file: `${p.id}.ics`, timeZone: p.timeZone }));
    }
  }
  return out;
}

/** The blackout instances of the change's plants that overlap [start, end), through the calendar's conflict rules. */
export function blackoutsOver(db: Db, plants: readonly string[], start: number, end: number): BlackoutHit[] {
  const calendars = calendarsOf(db, plants);
  if (calendars.length === 0 || !(end > start)) return [];
  const ctx = buildContext(calendars, start - DAY, end + DAY, [], 0);
  const names = [...ctx.plants.values()].map((p) => p.name);
  const hits: BlackoutHit[] = [];
  for (const c of checkWindow(ctx, { plants: names, start, end }).conflicts) {
    const plant = c.plant ? ctx.plants.get(nameKey(c.plant)) : undefined;
    if (c.kind !== "blackout" || !plant) continue;
    const instance = plant.blackouts.items.find((i) => i.uid === c.with && i.start === c.start);
    hits.push({
      plant: plant.name,
      summary: instance?.summary || "Blackout",
      start: localTime(plant.zone, c.start),
      end: localTime(plant.zone, c.end),
      timeZone: plant.zone.id,
    });
  }
  return hits;
}

function localTime(zone: Parameters<typeof formatInstant>[0], at: number): string {
  return formatInstant(zone, at).slice(0, 16).replace("T", " ");
}

/** "Berlin Assembly's blackout "Month-end inventory close" (2026-11-30 00:00 – 2026-12-01 00:00 Europe/Berlin)". */
export function describeBlackouts(hits: readonly BlackoutHit[]): string {
  return hits.map((h) => `${h.plant}'s blackout "${h.summary}" (${h.start} – ${h.end} ${h.timeZone})`).join("; ");
}

/** The earliest safe window of the same length from `after`, in words, or a pointer to the calendar. */
function nextSafeWindow(db: Db, plants: readonly string[], durationMs: number, after: number): string {
  const calendars = calendarsOf(db, plants);
  const advice = "pick the next safe window (Calendar → Next safe window) and edit the change's window";
  if (calendars.length === 0 || !(durationMs > 0)) return `${advice}.`;
  const ctx = buildContext(calendars, after - DAY, after + DEFAULT_HORIZON_MS + durationMs + DAY, [], BUFFER_MS);
  const names = [...ctx.plants.values()].map((p) => p.name);
  const found = findNextWindow(ctx, { plants: names, durationMs, after });
  const first = [...ctx.plants.values()][0];
  if (!found || !first) return `${advice}.`;
  const at = `${localTime(first.zone, found.start)} – ${localTime(first.zone, found.end)} ${first.zone.id}`;
  return `${advice}: the next safe window of the same length is ${at}.`;
}

/**
 * Refuses a window [start, end) that lies outside the maintenance windows of a plant whose maintenance Argo CD
 * enforces as allow windows (policy.yaml plants[].argocd, maintenance: enforced): Argo would never sync it. An
 * emergency exception covering the window lets it through (its sync is manual, which the windows allow).
 */
export function assertInsideEnforcedMaintenance(
  db: Db,
  known: KnownPlants | undefined,
  change: WindowedChange,
  window: { readonly start: string; readonly end: string },
  doing: string,
  code: ErrorCode,
): void {
  if (known?.source !== "policy") return;
  const start = Date.parse(window.start);
  const end = Date.parse(window.end);
  if (!(end > start)) return;
  const outside: string[] = [];
  for (const ref of change.plants) {
    const p = findPlant(db, ref);
    const scope = p ? known.plants.find((k) => k.id === p.id)?.argocd : undefined;
    if (!p || !scope || scope.maintenance === "advisory" || outside.includes(p.name)) continue;
    const cal = parsePlantCalendar(p.ics, { file: `${p.id}.ics`, timeZone: p.timeZone });
    if (!cal.series.some((s) => s.category === "MAINTENANCE")) continue;
    const ctx = buildContext([cal], start - DAY, end + DAY, [], 0);
    const names = [...ctx.plants.values()].map((x) => x.name);
    const conflicts = checkWindow(ctx, { plants: names, start, end }).conflicts;
    if (conflicts.some((c) => c.kind === "outside-maintenance")) outside.push(p.name);
  }
  if (outside.length === 0 || exceptionCovers(db, change, start, end)) return;
  throw new AppError(
    code,
    `Cannot ${doing} this change: its window ${window.start} – ${window.end} is not inside a maintenance window of ` +
      `${outside.join(", ")}, and Argo CD syncs those applications only inside one, so it could never be deployed. ` +
      "Move the window into maintenance (Calendar → Next safe window).",
    {
      reason: "outside-maintenance",
      plants: outside,
      ...(code === "invalid-input" ? { issues: [{ path: "window", message: "outside maintenance" }] } : {}),
    },
  );
}

/**
 * True when the change is an emergency with a recorded exception whose break-glass period holds [start, end):
 * the one case the policy lets work go on inside a blackout or outside the approved window.
 */
function exceptionCovers(db: Db, change: WindowedChange, start: number, end: number): boolean {
  if (change.type !== "emergency") return false;
  const e = findException(db, change.id);
  if (!e) return false;
  return Date.parse(e.breakGlass.start) <= start && end <= Date.parse(e.breakGlass.end);
}

/**
 * Refuses a window [start, end) of the change that overlaps a blackout of any of its plants, unless an emergency
 * exception covers it. `doing` says what was refused ("schedule", "move the window of").
 */
export function assertOutsideBlackouts(
  db: Db,
  change: WindowedChange,
  window: { readonly start: string; readonly end: string },
  doing: string,
  code: ErrorCode,
  now: Date,
): void {
  const start = Date.parse(window.start);
  const end = Date.parse(window.end);
  const hits = blackoutsOver(db, change.plants, start, end);
  if (hits.length === 0 || exceptionCovers(db, change, start, end)) return;
  const next = nextSafeWindow(db, change.plants, end - start, Math.max(now.getTime(), start));
  throw new AppError(
    code,
    `Cannot ${doing} this change: its window ${window.start} – ${window.end} runs into ${describeBlackouts(hits)}. ` +
      `Work is not done in a blackout; ${next}`,
    {
      reason: "blackout",
      blackouts: hits.map((h) => ({ ...h })),
      ...(code === "invalid-input" ? { issues: [{ path: "window", message: "overlaps a blackout" }] } : {}),
    },
  );
}

/**
 * Refuses a release now unless now lies in the change's approved window [start, end) and outside every blackout of
 * its plants; an emergency change's exception whose break-glass period holds now lifts both.
 */
export function assertReleasableNow(
  db: Db,
  change: WindowedChange & { readonly window: { readonly start: string; readonly end: string } | null },
  now: Date,
): void {
  const at = now.getTime();
  if (exceptionCovers(db, change, at, at + 1)) return;
  const w = change.window;
  if (w) {
    const start = Date.parse(w.start);
    const end = Date.parse(w.end);
    if (at < start || at >= end) {
      const passed = at >= end;
      throw new AppError(
        "forbidden",
        passed
          ? `This change's approved window (${w.start} – ${w.end}) has passed; it is not released outside it. ` +
              `Re-schedule it: withdraw it to draft, ${nextSafeWindow(db, change.plants, end - start, at)}`
          : `This change's approved window starts ${w.start}; release it inside its window (${w.start} – ${w.end}).`,
        { reason: passed ? "window-passed" : "before-window", window: { ...w } },
      );
    }
  }
  // The rest of the window (or the next minute, for an emergency without one) must be clear of blackouts now:
  // a blackout may have been added to the calendar after the change was scheduled.
  const until = w ? Date.parse(w.end) : at + MINUTE;
  const hits = blackoutsOver(db, change.plants, at, until);
  if (hits.length > 0) {
    throw new AppError(
      "forbidden",
      `Cannot release this change now: it would run into ${describeBlackouts(hits)}. Work is not done in a blackout ` +
        "unless an emergency exception's break-glass period covers it; re-schedule the change to a safe window.",
      { reason: "blackout", blackouts: hits.map((h) => ({ ...h })) },
    );
  }
}
