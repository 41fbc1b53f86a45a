import { formatGoDuration } from "./duration";
import { expandSeriesInto } from "./expand";
import type { CalendarInstance, EventSeries, PlantCalendar } from "./types";
import { DAY, instantToWall, isKnownZone } from "./zone";

/** One entry of an Argo CD AppProject's `spec.syncWindows`. */
export interface ArgoSyncWindow {
  readonly kind: "allow" | "deny";
  readonly schedule: string;
  readonly duration: string;
  readonly timeZone: string;
  readonly applications: readonly string[];
}

export const PER_INSTANCE_DAYS = 90;
// A cron form is accepted only when it reproduces the series exactly over this long.
const VERIFY_DAYS = 366;

/**
 * Argo CD sync windows enforcing the calendars: `deny` per BLACKOUT series, `allow` per MAINTENANCE series,
 * as one cron entry where the series is exactly a cron schedule with a fixed duration in its zone, else one
 * entry per instance over the next 90 days (cron has no year: such entries must be regenerated).
 */
export function argoSyncWindows(calendars: readonly PlantCalendar[], now: number): ArgoSyncWindow[] {
  const out: ArgoSyncWindow[] = [];
  for (const cal of calendars) {
    const series = [...cal.series].sort((a, b) => (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0));
    for (const s of series) {
      if (s.category !== "BLACKOUT" && s.category !== "MAINTENANCE") continue;
      const kind = s.category === "BLACKOUT" ? "deny" : "allow";
      const cron = cronEntry(s, now);
      if (cron) {
        out.push({ kind, ...cron, applications: ["*"] });
        continue;
      }
      const instances: CalendarInstance[] = [];
      expandSeriesInto(s, now, now + PER_INSTANCE_DAYS * DAY, instances);
      instances.sort((a, b) => a.start - b.start);
      for (const i of instances) {
        const wall = new Date(instantToWall(cal.zone, i.start));
        out.push({
          kind,
          schedule: `${wall.getUTCMinutes()} ${wall.getUTCHours()} ${wall.getUTCDate()} ${wall.getUTCMonth() + 1} *`,
          duration: formatGoDuration(i.end - i.start),
          timeZone: cal.zone.id,
          applications: ["*"],
        });
      }
    }
  }
  return out;
}

function cronEntry(s: EventSeries, now: number): { schedule: string; duration: string; timeZone: string } | null {
  const rule = s.rule;
  if (!rule || rule.count !== null || rule.until !== null) return null;
  if (s.rdates.length > 0 || s.exdates.size > 0 || s.exdateDays.size > 0 || s.overrides.length > 0) return null;
  const zoneId = s.start.utc ? "UTC" : s.start.zone.id;
  if (!isKnownZone(zoneId) || rule.interval !== 1) return null;
  const parts = new Map(rule.text.split(";").map((p) => p.toUpperCase().split("=") as [string, string]));
  const start = new Date(s.start.wall);
  if (start.getUTCSeconds() !== 0) return null;
  const minute = start.getUTCMinutes();
  const hour = start.getUTCHours();
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
  // Verify: every instance must start at that wall time (not moved by a DST gap) and last exactly as long.
  const instances: CalendarInstance[] = [];
  expandSeriesInto(s, now, now + VERIFY_DAYS * DAY, instances);
  const first = instances[0];
  if (!first) return null;
  const length = first.end - first.start;
  const timeOfDay = s.start.wall % DAY;
  for (const i of instances) {
    if (i.end - i.start !== length) return null;
    if (!s.start.utc && instantToWall(s.start.zone, i.start) % DAY !== timeOfDay) return null;
  }
  return { schedule: `${minute} ${hour} ${dom} ${month} ${dow}`, duration: formatGoDuration(length), timeZone: zoneId };
}
