import { tzOffset } from "@date-fns/tz";
import { windowsToIana } from "./windows-zones";

// Times are plain numbers so the engine never depends on the process time zone:
// an *instant* is milliseconds since the epoch; a *wall* time is the wall-clock reading in some zone,
// encoded as if that reading were UTC (Date.UTC(y, m, d, h, mi, s)).

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** A time zone as the engine needs it: the UTC offset (ms) in force at an instant. */
export interface ZoneRules {
  /** IANA id where known, else the calendar's own TZID. */
  readonly id: string;
  offsetAt(instant: number): number;
}

interface DayEntry {
  readonly first: number;
  readonly last: number;
  /** Instant the offset changes to `last` within the day; NaN when it does not change. */
  readonly change: number;
}

/**
 * Wraps a raw offset function with a per-UTC-day cache: Intl lookups cost microseconds each, and expanding a
 * year of shifts needs hundreds of thousands of them. Assumes at most one offset change per UTC day.
 */
export function cachedZone(id: string, raw: (instant: number) => number): ZoneRules {
  const days = new Map<number, DayEntry>();
  const entryFor = (day: number): DayEntry => {
    let entry = days.get(day);
    if (entry) return entry;
    const lo = day * DAY;
    const first = raw(lo);
    const last = raw(lo + DAY);
    let change = Number.NaN;
    if (first !== last) {
      // Binary search to the second for the instant the new offset starts.
      let a = lo;
      let b = lo + DAY;
      while (b - a > 1000) {
        const mid = a + Math.floor((b - a) / 2000) * 1000;
        if (raw(mid) === first) a = mid;
        else b = mid;
      }
      change = b;
    }
    entry = { first, last, change };
    days.set(day, entry);
    return entry;
  };
  return {
    id,
    offsetAt: (instant) => {
      const e = entryFor(Math.floor(instant / DAY));
      return Number.isNaN(e.change) || instant < e.change ? e.first : e.last;
    },
  };
}

const zoneCache = new Map<string, ZoneRules>();
const validity = new Map<string, boolean>();

/** True when the runtime knows this IANA zone (or fixed-offset name). */
export function isKnownZone(id: string): boolean {
  let ok = validity.get(id);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: id });
      ok = true;
    } catch {
      ok = false;
    }
    validity.set(id, ok);
  }
  return ok;
}

/** The rules of an IANA zone (shared, cached); throws when the runtime does not know it. */
export function ianaZone(id: string): ZoneRules {
  let zone = zoneCache.get(id);
  if (!zone) {
    if (!isKnownZone(id)) throw new RangeError(`unknown time zone ${id}`);
    zone = cachedZone(id, (instant) => Math.round(tzOffset(id, new Date(instant)) * 60) * 1000);
    zoneCache.set(id, zone);
  }
  return zone;
}

export const UTC_ZONE: ZoneRules = { id: "UTC", offsetAt: () => 0 };

/**
 * Turns a zone name as calendars write it into an IANA id: IANA names, Windows names (Outlook),
 * and vendor-prefixed ids such as `/mozilla.org/20070129_1/Europe/Berlin`. Null when none fits.
 */
export function resolveZoneName(name: string): string | null {
  const clean = name.trim().replace(/^"(.*)"$/, "$1");
  if (clean === "") return null;
  if (isKnownZone(clean) && clean.includes("/")) return clean;
  const windows = windowsToIana(clean);
  if (windows) return windows;
  if (/^(utc|gmt|z)$/i.test(clean)) return "UTC";
  const parts = clean.split("/").filter((p) => p !== "");
  for (let take = Math.min(3, parts.length); take >= 2; take--) {
    const tail = parts.slice(-take).join("/");
    if (isKnownZone(tail)) return tail;
  }
  return isKnownZone(clean) ? clean : null;
}

/**
 * The instant of a wall-clock reading in a zone. A reading inside a spring-forward gap takes the offset in
 * force before the gap; a reading that occurs twice (fall-back) is its first occurrence (calendars.md).
 */
export function wallToInstant(zone: ZoneRules, wall: number): number {
  const before = zone.offsetAt(wall - DAY);
  const after = zone.offsetAt(wall + DAY);
  if (before === after) return wall - before;
  const early = wall - before;
  const late = wall - after;
  const earlyOk = zone.offsetAt(early) === before;
  const lateOk = zone.offsetAt(late) === after;
  if (earlyOk && lateOk) return Math.min(early, late);
  if (lateOk) return late;
  return early;
}

/** The wall-clock reading of an instant in a zone. */
export function instantToWall(zone: ZoneRules, instant: number): number {
  return instant + zone.offsetAt(instant);
}

/** RFC 3339 with the zone's offset at that instant, e.g. `2026-03-07T19:00:00-06:00`. */
export function formatInstant(zone: ZoneRules, instant: number): string {
  const offset = zone.offsetAt(instant);
  const wall = new Date(instant + offset).toISOString().slice(0, 19);
  const minutes = Math.round(offset / MINUTE);
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `${wall}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;

/** Parses an RFC 3339 instant (offset or Z required); null when it is not one. */
export function parseInstant(text: string): number | null {
  const m = RFC3339.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, z, sign, oh, om] = m;
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0));
  const check = new Date(wall);
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d) || Number(h) > 23) return null;
  const ms = frac ? Math.round(Number(`0.${frac}`) * 1000) : 0;
  if (z) return wall + ms;
  const offset = (Number(oh) * 60 + Number(om)) * MINUTE * (sign === "-" ? -1 : 1);
  return wall + ms - offset;
}
