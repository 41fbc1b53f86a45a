import ICAL from "ical.js";
import type { RuleSpec } from "./types";
import { DAY } from "./zone";

// Guards against rules that never produce a date (BYMONTHDAY=31;BYMONTH=2) spinning forever.
const MAX_STEPS = 200_000;

/** Encodes an ical.js time's wall-clock fields as a wall number. */
export function icalToWall(t: ICAL.Time): number {
  return Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
}

/** An ical.js floating time for a wall number, so its iterator works purely in wall-clock terms. */
export function wallToIcal(wall: number, isDate: boolean): ICAL.Time {
  const d = new Date(wall);
  return ICAL.Time.fromData({
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    isDate,
  });
}

/**
 * Visits the wall-clock starts of a recurrence in order: DTSTART first (RFC 5545 counts it as the first
 * instance), then the rule's dates, stopping at COUNT, when `beforeUntil` says no, or past `hi`.
 * Starts before `lo` may be skipped (never when COUNT needs every instance counted).
 */
export function iterateStarts(
  startWall: number,
  isDate: boolean,
  rule: RuleSpec,
  lo: number,
  hi: number,
  beforeUntil: (wall: number) => boolean,
  visit: (wall: number) => void,
): void {
  if (!beforeUntil(startWall)) return;
  visit(startWall);
  let count = 1;
  const limit = rule.count ?? Number.POSITIVE_INFINITY;
  const step = (wall: number): boolean => {
    if (wall <= startWall) return true;
    if (wall > hi || count >= limit || !beforeUntil(wall)) return false;
    count++;
    visit(wall);
    return true;
  };
  if (rule.simple) simpleStarts(startWall, rule, rule.count === null ? lo : Number.NEGATIVE_INFINITY, step);
  else icalStarts(startWall, isDate, rule, step);
}

function icalStarts(startWall: number, isDate: boolean, rule: RuleSpec, step: (wall: number) => boolean): void {
  const it = rule.recur.iterator(wallToIcal(startWall, isDate));
  for (let i = 0; i < MAX_STEPS; i++) {
    const next = it.next();
    if (!next) return;
    if (!step(icalToWall(next))) return;
  }
}

/** DAILY and WEEKLY rules by arithmetic: ical.js costs ~10 µs a date, too slow for a year of 20 plants. */
function simpleStarts(startWall: number, rule: RuleSpec, lo: number, step: (wall: number) => boolean): void {
  const startDay = Math.floor(startWall / DAY);
  const time = startWall - startDay * DAY;
  const weekday = (day: number) => (((day + 4) % 7) + 7) % 7;
  if (rule.freq === "DAILY") {
    const days = rule.byDay ? new Set(rule.byDay) : null;
    let k = Math.max(0, Math.floor((lo - startWall) / (rule.interval * DAY)) - 1);
    for (let i = 0; i < MAX_STEPS; i++, k++) {
      const day = startDay + k * rule.interval;
      if (days && !days.has(weekday(day))) continue;
      if (!step(day * DAY + time)) return;
    }
    return;
  }
  const offsetOf = (d: number) => (d - rule.wkst + 7) % 7;
  const offsets = [...new Set((rule.byDay ?? [weekday(startDay)]).map(offsetOf))].sort((a, b) => a - b);
  const weekStart = startDay - offsetOf(weekday(startDay));
  const period = rule.interval * 7;
  let w = Math.max(0, Math.floor((lo - weekStart * DAY) / (period * DAY)) - 1);
  for (let i = 0; i < MAX_STEPS; i++, w++) {
    for (const off of offsets) {
      const day = weekStart + w * period + off;
      if (day < startDay) continue;
      if (!step(day * DAY + time)) return;
    }
  }
}
