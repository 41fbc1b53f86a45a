import { ianaZone } from "./zone";

// One way of showing time, for every screen, minutes and PDFs: a window is read on the plant's own clocks, with the
// zone's abbreviation and offset beside it ("07 Dec 2026, 01:30 – 05:30 IST (UTC+05:30)"), so a signer in Berlin and
// a leader in Pune read the same words. Pure (Intl only): the renderer and the core share it.

const DAY = 86_400_000;
// Languages whose short zone names we try, in order: the first that has a letter abbreviation for the zone wins
// (en-US knows CST but not IST; en-IN knows IST; en-GB knows CET).
const NAME_LANGUAGES = ["en-US", "en-GB", "en-IN"];
const abbrevs = new Map<string, string>();

/** "UTC+01:00", "UTC-06:00", "UTC+05:30": the offset a zone's clocks run at, at an instant. */
export function offsetText(zone: string, instant: number): string {
  const minutes = Math.round(ianaZone(zone).offsetAt(instant) / 60_000);
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `UTC${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

/** The zone's letter abbreviation at an instant ("IST", "CET", "CST"), or null where no language has one. */
function zoneAbbreviation(zone: string, instant: number): string | null {
  if (zone === "UTC" || zone === "Etc/UTC") return "UTC";
  const key = `${zone}|${ianaZone(zone).offsetAt(instant)}`;
  const known = abbrevs.get(key);
  if (known !== undefined) return known || null;
  let found = "";
  for (const language of NAME_LANGUAGES) {
    try {
      const name =
        new Intl.DateTimeFormat(language, { timeZone: zone, timeZoneName: "short" })
          .formatToParts(instant)
          .find((p) => p.type === "timeZoneName")?.value ?? "";
      if (/^[A-Z]{2,5}$/.test(name) && name !== "GMT") {
        found = name;
        break;
      }
    } catch {
      break;
    }
  }
  abbrevs.set(key, found);
  return found || null;
}

/** "IST (UTC+05:30)", "CET (UTC+01:00)"; the offset alone where the zone has no abbreviation; "UTC" for UTC. */
export function zoneLabel(zone: string, instant: number): string {
  const offset = offsetText(zone, instant);
  const name = zoneAbbreviation(zone, instant);
  if (name === "UTC" && offset === "UTC+00:00") return "UTC";
  return name ? `${name} (${offset})` : offset;
}

function parts(instant: number, zone: string): { readonly date: string; readonly time: string } {
  const fmt = new Intl.DateTimeFormat("en-GB", {
    timeZone: zone,
    weekday: "short",
    day: "2-digit",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(instant);
  const get = (type: string) => fmt.find((p) => p.type === type)?.value ?? "";
  return {
    date: `${get("weekday")} ${get("day")} ${get("month")} ${get("year")}`,
    time: `${get("hour")}:${get("minute")}`,
  };
}

/** "Mon 07 Dec 2026, 01:30 IST (UTC+05:30)": one instant on a zone's clocks. */
export function formatZonedInstant(iso: string, zone: string): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  const p = parts(at, zone);
  return `${p.date}, ${p.time} ${zoneLabel(zone, at)}`;
}

/**
 * "Mon 07 Dec 2026, 01:30 – 05:30 IST (UTC+05:30)": a window on a zone's clocks; the end shows only its time when
 * it falls on the same local day. The label is the one in force at the start.
 */
export function formatZonedWindow(window: { readonly start: string; readonly end: string }, zone: string): string {
  const start = Date.parse(window.start);
  const end = Date.parse(window.end);
  if (Number.isNaN(start) || Number.isNaN(end)) return `${window.start} – ${window.end}`;
  const rules = ianaZone(zone);
  const a = parts(start, zone);
  const b = parts(end, zone);
  const sameDay =
    Math.floor((start + rules.offsetAt(start)) / DAY) === Math.floor((end - 1 + rules.offsetAt(end - 1)) / DAY);
  return `${a.date}, ${a.time} – ${sameDay ? b.time : `${b.date}, ${b.time}`} ${zoneLabel(zone, start)}`;
}
