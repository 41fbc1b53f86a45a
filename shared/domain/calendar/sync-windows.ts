import { formatGoDuration } from "./duration";
import { expandSeriesInto } from "./expand";
import type { CalendarInstance, EventSeries, PlantCalendar } from "./types";
import { type Cron, cronFirings, parseCron } from "./wall-cron";
import { DAY, instantToWall, isKnownZone, UTC_ZONE, wallToInstant, type ZoneRules } from "./zone";

/** The Argo CD selectors of a plant (policy.yaml `plants[].argocd`): the applications, namespaces, clusters serving it. */
interface ArgoScope {
  readonly applications?: readonly string[];
  readonly namespaces?: readonly string[];
  readonly clusters?: readonly string[];
  /** advisory: maintenance is not written as allow windows (Argo would then sync only inside one). */
  readonly maintenance?: "enforced" | "advisory";
}

/** One entry of an Argo CD AppProject's `spec.syncWindows`, as Shiftgate writes it. */
export interface ArgoSyncWindow {
  readonly kind: "allow" | "deny";
  readonly schedule: string;
  readonly duration: string;
  readonly timeZone: string;
  readonly applications?: readonly string[];
  readonly namespaces?: readonly string[];
  readonly clusters?: readonly string[];
  /** A person may still sync by hand (an emergency with its recorded exception); automated syncs may not. */
  readonly manualSync?: boolean;
  /** Starts with SHIFTGATE_WINDOW_PREFIX: how a publish tells its own windows from hand-written ones. */
  readonly description: string;
}

/** One plant's calendar and the selectors its windows carry (null: the policy names none, so nothing is written). */
export interface PlantWindowsInput {
  readonly plant: string;
  readonly calendar: PlantCalendar;
  readonly scope: ArgoScope | null;
}

/** The windows and what they cannot say exactly (a DST night Argo reads otherwise, a plant with no selectors). */
interface SyncWindowPlan {
  readonly windows: readonly ArgoSyncWindow[];
  readonly warnings: readonly string[];
}

const SHIFTGATE_WINDOW_PREFIX = "shiftgate:";
/** Per-instance entries are year-less crons: kept under a year ahead so that none fires a second time. */
const PER_INSTANCE_MONTHS = 11;
// A cron form is accepted only when it reproduces the series exactly over this long (two years: leap days, DST).
const VERIFY_DAYS = 731;

/** True when a window's description marks it as written by Shiftgate. */
export function isShiftgateWindow(w: { readonly description?: string | null }): boolean {
  return (w.description ?? "").startsWith(SHIFTGATE_WINDOW_PREFIX);
}

/** The last instant per-instance entries cover when published at `now`. */
export function perInstanceHorizon(now: number): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + PER_INSTANCE_MONTHS, d.getUTCDate(), d.getUTCHours());
}

/**
 * Argo CD sync windows enforcing the calendars: `deny` per BLACKOUT series, `allow` per MAINTENANCE series, each
 * carrying its plant's selectors. Argo evaluates the cron and the duration on the wall clock of `timeZone`, so a
 * series becomes one cron entry whenever its instances are exactly that cron's firings with one wall-clock length;
 * otherwise one entry per instance over the next 11 months (republished on a schedule; verify flags stale ones).
 */
export function argoSyncWindows(plants: readonly PlantWindowsInput[], now: number): SyncWindowPlan {
  const windows: ArgoSyncWindow[] = [];
  const warnings: string[] = [];
  for (const { plant, calendar, scope } of plants) {
    const allow = scope?.maintenance !== "advisory";
    const series = [...calendar.series]
      .filter((s) => s.category === "BLACKOUT" || (allow && s.category === "MAINTENANCE"))
      .sort((a, b) => (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0));
    if (series.length === 0) continue;
    if (scope === null) {
      warnings.push(
        `Plant ${plant}: no Argo CD applications, namespaces or clusters are named for it in policy.yaml (plants[].argocd), ` +
          "so its blackouts and maintenance windows are not written as sync windows. Add them to enforce its calendar.",
      );
      continue;
    }
    const selectors = selectorsOf(scope);
    for (const s of series) {
      const kind = s.category === "BLACKOUT" ? "deny" : "allow";
      const zone = zoneOf(s, calendar);
      const base = {
        kind,
        timeZone: zone.id,
        ...selectors,
        // An emergency with its recorded exception is synced by hand; automated syncs keep to the windows.
        manualSync: true,
      } as const;
      const label = `${SHIFTGATE_WINDOW_PREFIX} ${plant}: ${s.summary}`;
      const cron = cronEntry(s, zone, now);
      if (cron) {
        windows.push({ ...base, schedule: cron.schedule, duration: cron.duration, description: label });
        warnings.push(...dstWarnings(plant, s, zone, cron.starts, cron.length));
        continue;
      }
      const instances: CalendarInstance[] = [];
      expandSeriesInto(s, now, perInstanceHorizon(now), instances);
      instances.sort((a, b) => a.start - b.start);
      for (const i of instances) {
        const wall = instantToWall(zone, i.start);
        const length = instantToWall(zone, i.end) - wall;
        const day = new Date(wall).toISOString().slice(0, 10);
        if (length <= 0) {
          warnings.push(`Plant ${plant}: "${s.summary}" on ${day} ends before it starts on the wall clock; left out.`);
          continue;
        }
        const d = new Date(wall);
        windows.push({
          ...base,
          schedule: `${d.getUTCMinutes()} ${d.getUTCHours()} ${d.getUTCDate()} ${d.getUTCMonth() + 1} *`,
          duration: formatGoDuration(length),
          description: `${label} (${day})`,
        });
        warnings.push(...dstWarnings(plant, s, zone, [wall], length));
      }
    }
  }
  return { windows, warnings };
}

function selectorsOf(scope: ArgoScope): Pick<ArgoSyncWindow, "applications" | "namespaces" | "clusters"> {
  const out: { applications?: readonly string[]; namespaces?: readonly string[]; clusters?: readonly string[] } = {};
  if (scope.applications?.length) out.applications = [...scope.applications];
  if (scope.namespaces?.length) out.namespaces = [...scope.namespaces];
  if (scope.clusters?.length) out.clusters = [...scope.clusters];
  return out;
}

// Argo needs an IANA zone: a calendar-only TZID (not known here) falls back to the plant's zone.
function zoneOf(s: EventSeries, calendar: PlantCalendar): ZoneRules {
  if (s.start.utc) return UTC_ZONE;
  return isKnownZone(s.start.zone.id) ? s.start.zone : calendar.zone;
}

/** How a wall-clock reading exists in a zone: once, not at all (spring-forward gap) or twice (fall-back). */
function wallReading(zone: ZoneRules, wall: number): "once" | "gap" | "twice" {
  const t = wallToInstant(zone, wall);
  if (instantToWall(zone, t) !== wall) return "gap";
  const other = [zone.offsetAt(t - DAY), zone.offsetAt(t + DAY)]
    .map((o) => wall - o)
    .find((x) => x !== t && instantToWall(zone, x) === wall);
  return other === undefined ? "once" : "twice";
}

// Argo reads its wall clock: a start in a gap opens the window at the gap's end (the calendar an hour after the
// written time), and an edge inside a repeated hour is crossed twice. No cron can say either; the user is told.
function dstWarnings(plant: string, s: EventSeries, zone: ZoneRules, starts: readonly number[], length: number) {
  const out: string[] = [];
  for (const start of starts) {
    for (const [edge, wall] of [
      ["starts", start],
      ["ends", start + length],
    ] as const) {
      const reading = wallReading(zone, wall);
      if (reading === "once") continue;
      const at = new Date(wall).toISOString().slice(0, 16).replace("T", " ");
      out.push(
        `Plant ${plant}: "${s.summary}" ${edge} at ${at} (${zone.id}), a time that ${reading === "gap" ? "does not exist" : "occurs twice"} ` +
          "that night; Argo CD's window differs from the calendar by up to an hour there.",
      );
    }
  }
  return out;
}

function candidateCron(s: EventSeries, zone: ZoneRules): string | null {
  const rule = s.rule;
  if (!rule || rule.count !== null || rule.until !== null || rule.interval !== 1) return null;
  if (s.rdates.length > 0 || s.exdates.size > 0 || s.exdateDays.size > 0 || s.overrides.length > 0) return null;
  if (zone.id !== "UTC" && !isKnownZone(zone.id)) return null;
  const parts = new Map(rule.text.split(";").map((p) => p.toUpperCase().split("=") as [string, string]));
  const start = new Date(s.start.wall);
  if (start.getUTCSeconds() !== 0) return null;
  const allowed = (keys: readonly string[]) => [...parts.keys()].every((k) => ["FREQ", "WKST", ...keys].includes(k));
  const list = (key: string) => parts.get(key)?.split(",") ?? null;
  const positive = (values: readonly string[] | null) => values === null || values.every((v) => /^\d+$/.test(v));
  let dom = "*";
  let month = "*";
  let dow = "*";
  if (rule.freq === "DAILY" || rule.freq === "WEEKLY") {
    if (!allowed(["BYDAY"]) || (parts.has("BYDAY") && !rule.byDay)) return null;
    if (rule.byDay) dow = [...rule.byDay].sort((a, b) => a - b).join(",");
    else if (rule.freq === "WEEKLY") dow = String(start.getUTCDay());
  } else if (rule.freq === "MONTHLY") {
    if (!allowed(["BYMONTHDAY"]) || !positive(list("BYMONTHDAY"))) return null;
    dom = list("BYMONTHDAY")?.join(",") ?? String(start.getUTCDate());
  } else if (rule.freq === "YEARLY") {
    if (!allowed(["BYMONTHDAY", "BYMONTH"]) || !positive(list("BYMONTHDAY"))) return null;
    dom = list("BYMONTHDAY")?.join(",") ?? String(start.getUTCDate());
    month = list("BYMONTH")?.join(",") ?? String(start.getUTCMonth() + 1);
  } else return null;
  return `${start.getUTCMinutes()} ${start.getUTCHours()} ${dom} ${month} ${dow}`;
}

/**
 * The cron entry of a series when one reproduces it: over two years its instances start exactly at the cron's
 * wall-clock firings (a firing in a DST gap, which the calendar moves an hour on, is the one tolerated difference)
 * and all last the same wall-clock time.
 */
function cronEntry(
  s: EventSeries,
  zone: ZoneRules,
  now: number,
): { schedule: string; duration: string; length: number; starts: number[] } | null {
  const schedule = candidateCron(s, zone);
  const cron: Cron | null = schedule === null ? null : parseCron(schedule);
  if (schedule === null || cron === null) return null;
  const instances: CalendarInstance[] = [];
  expandSeriesInto(s, now - DAY, now + VERIFY_DAYS * DAY, instances);
  const lo = Math.floor(instantToWall(zone, now) / DAY) * DAY;
  const hi = lo + (VERIFY_DAYS - 1) * DAY;
  const walls = instances
    .map((i) => ({ start: instantToWall(zone, i.start), end: instantToWall(zone, i.end) }))
    .filter((w) => w.start >= lo && w.start < hi)
    .sort((a, b) => a.start - b.start);
  const firings = cronFirings(cron, lo, hi);
  if (firings.length === 0 || firings.length !== walls.length) return null;
  let length: number | null = null;
  for (const [k, f] of firings.entries()) {
    const w = walls[k];
    if (!w) return null;
    const moved = wallReading(zone, f) === "gap";
    if (w.start !== (moved ? instantToWall(zone, wallToInstant(zone, f)) : f)) return null;
    if (moved) continue;
    if (length === null) length = w.end - w.start;
    else if (w.end - w.start !== length) return null;
  }
  if (length === null || length <= 0) return null;
  // Warnings speak of the coming year: the next publish warns about the one after.
  return { schedule, duration: formatGoDuration(length), length, starts: firings.filter((f) => f < lo + 366 * DAY) };
}
