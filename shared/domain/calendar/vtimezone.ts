import ICAL from "ical.js";
import { calendarError, type IcsBlock } from "./content-lines";
import { icalToWall, wallToIcal } from "./recurrence";
import { cachedZone, type ZoneRules } from "./zone";

// A VTIMEZONE is evaluated here rather than by ICAL.Timezone: ical.js places the transitions of a UTC instant
// hours off around each change (checked against US Central rules), which breaks exactly the nights that matter.

interface Transition {
  readonly at: number;
  readonly from: number;
  readonly to: number;
}

const LAST_YEAR = 2200;
const MAX_ONSETS = 5000;

function offsetValue(block: IcsBlock, name: string, file: string): number {
  const prop = block.props.find((p) => p.name === name);
  const m = prop ? /^([+-])(\d{2})(\d{2})(\d{2})?$/.exec(prop.value.trim()) : null;
  if (!m) throw calendarError(file, prop?.line ?? block.line, `${block.name} in VTIMEZONE needs a ${name} like +0100`);
  const [, sign, h, mi, s] = m;
  return (sign === "-" ? -1 : 1) * ((Number(h) * 60 + Number(mi)) * 60 + Number(s ?? 0)) * 1000;
}

function wallOf(value: string, line: number, file: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2}))?/.exec(value.trim());
  if (!m) throw calendarError(file, line, `VTIMEZONE date ${JSON.stringify(value)} cannot be read`);
  const [, y, mo, d, h, mi, s] = m;
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0));
}

/** The onsets of one STANDARD/DAYLIGHT observance as transitions (onset wall time is in TZOFFSETFROM). */
function observance(block: IcsBlock, file: string): Transition[] {
  const from = offsetValue(block, "TZOFFSETFROM", file);
  const to = offsetValue(block, "TZOFFSETTO", file);
  const dtstart = block.props.find((p) => p.name === "DTSTART");
  if (!dtstart) throw calendarError(file, block.line, `${block.name} in VTIMEZONE has no DTSTART`);
  const start = wallOf(dtstart.value, dtstart.line, file);
  const walls = [start];
  for (const rdate of block.props.filter((p) => p.name === "RDATE")) {
    for (const v of rdate.value.split(",")) walls.push(wallOf(v, rdate.line, file));
  }
  const rrule = block.props.find((p) => p.name === "RRULE");
  if (rrule) {
    let recur: ICAL.Recur;
    try {
      recur = ICAL.Recur.fromString(rrule.value.trim());
    } catch (error) {
      throw calendarError(
        file,
        rrule.line,
        `VTIMEZONE RRULE cannot be read: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const it = recur.iterator(wallToIcal(start, false));
    for (let i = 0; i < MAX_ONSETS; i++) {
      const next = it.next();
      if (!next || next.year > LAST_YEAR) break;
      walls.push(icalToWall(next));
    }
  }
  return walls.map((w) => ({ at: w - from, from, to }));
}

// Zone rules by the VTIMEZONE's content: a yearly RRULE is walked onset by onset to 2200 through ical.js, which
// costs tens of milliseconds per zone, and every version of a plant calendar (verify reads each one the history
// holds) carries the same VTIMEZONE. Only blocks that evaluated without an error are kept.
const zones = new Map<string, ZoneRules>();

function contentKey(id: string, observances: readonly IcsBlock[]): string {
  return JSON.stringify([id, observances.map((o) => [o.name, o.props.map((p) => [p.name, p.params, p.value])])]);
}

/** Zone rules from a VTIMEZONE block: the offset at an instant is the TZOFFSETTO of the last onset before it. */
export function vtimezoneZone(id: string, block: IcsBlock, file: string): ZoneRules {
  const observances = block.children.filter((c) => c.name === "STANDARD" || c.name === "DAYLIGHT");
  if (observances.length === 0) throw calendarError(file, block.line, "VTIMEZONE has no STANDARD or DAYLIGHT part");
  const key = contentKey(id, observances);
  const known = zones.get(key);
  if (known) return known;
  const zone = evaluate(id, observances, file);
  if (zones.size > 64) zones.clear();
  zones.set(key, zone);
  return zone;
}

function evaluate(id: string, observances: readonly IcsBlock[], file: string): ZoneRules {
  const all = observances.flatMap((o) => observance(o, file)).sort((a, b) => a.at - b.at);
  const unique = all.filter((t, i) => i === 0 || t.at !== all[i - 1]?.at);
  const first = unique[0] as Transition;
  return cachedZone(id, (instant) => {
    let lo = 0;
    let hi = unique.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((unique[mid]?.at ?? 0) <= instant) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? first.from : (unique[lo - 1] as Transition).to;
  });
}
