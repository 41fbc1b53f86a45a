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

/**
 * One STANDARD/DAYLIGHT observance: its fixed onsets (DTSTART, RDATEs) and its RRULE's, walked on demand (onset
 * wall time is in TZOFFSETFROM). Everything that can be wrong with the block is found here, when the calendar is read.
 */
interface Observance {
  readonly from: number;
  readonly to: number;
  readonly walls: number[];
  /** The RRULE's iterator while it may still yield onsets up to LAST_YEAR, else null. */
  iterator: ICAL.RecurIterator | null;
  steps: number;
}

function observance(block: IcsBlock, file: string): Observance {
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
  let iterator: ICAL.RecurIterator | null = null;
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
    iterator = recur.iterator(wallToIcal(start, false));
  }
  return { from, to, walls, iterator, steps: 0 };
}

/** Walks an observance's RRULE up to the onsets of `year` (never past LAST_YEAR or MAX_ONSETS onsets). */
function walkTo(o: Observance, year: number): void {
  while (o.iterator) {
    if (o.steps >= MAX_ONSETS) {
      o.iterator = null;
      return;
    }
    const last = o.walls[o.walls.length - 1];
    if (o.steps > 0 && last !== undefined && new Date(last).getUTCFullYear() > year) return;
    o.steps++;
    const next = o.iterator.next();
    if (!next || next.year > LAST_YEAR) {
      o.iterator = null;
      return;
    }
    o.walls.push(icalToWall(next));
  }
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

// A yearly rule walked to 2200 through ical.js costs tens of milliseconds per zone (most of a CLI verify): the
// onsets are walked only as far as the instants asked about (and a decade beyond, so the list is rebuilt rarely).
// An onset in a year past the walk has a wall time, and so an instant, after every instant asked about so far:
// the last onset at or before an instant is the same in the shorter list.
const WALK_AHEAD_YEARS = 10;

function evaluate(id: string, blocks: readonly IcsBlock[], file: string): ZoneRules {
  const observances = blocks.map((o) => observance(o, file));
  let walked = Number.NEGATIVE_INFINITY;
  let unique: Transition[] = [];
  let first: Transition;
  const walk = (year: number) => {
    walked = Math.min(year, LAST_YEAR + 1);
    for (const o of observances) walkTo(o, walked);
    const all = observances
      .flatMap((o) => o.walls.map((w) => ({ at: w - o.from, from: o.from, to: o.to })))
      .sort((a, b) => a.at - b.at);
    unique = all.filter((t, i) => i === 0 || t.at !== all[i - 1]?.at);
    first = unique[0] as Transition;
  };
  walk(1970);
  return cachedZone(id, (instant) => {
    // An instant's onset has a wall time at most a day later (offsets are under a day): its year, or the next.
    const year = new Date(instant).getUTCFullYear() + 1;
    if (year > walked && walked <= LAST_YEAR) walk(year + WALK_AHEAD_YEARS);
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
