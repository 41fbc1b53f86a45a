import ICAL from "ical.js";
import { type ContentLine, calendarError } from "./content-lines";
import type { EndRule, RuleSpec, TimeValue } from "./types";
import { DAY, HOUR, MINUTE, UTC_ZONE, wallToInstant, type ZoneRules } from "./zone";

/** What reading a time value needs: the file (for errors), the plant zone and the TZID lookup. */
export interface ValueContext {
  readonly file: string;
  readonly plantZone: ZoneRules;
  readonly zoneFor: (tzid: string, line: number) => ZoneRules;
}

const DATE_TIME = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$/;

/** Reads one DATE or DATE-TIME value under a property's VALUE and TZID parameters. */
export function readTime(text: string, prop: ContentLine, ctx: ValueContext): TimeValue {
  const m = DATE_TIME.exec(text.trim());
  if (!m) throw calendarError(ctx.file, prop.line, `${prop.name} has a malformed date or time ${JSON.stringify(text)}`);
  const [, y, mo, d, h, mi, s, z] = m;
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0));
  const check = new Date(wall);
  if (
    check.getUTCMonth() !== Number(mo) - 1 ||
    check.getUTCDate() !== Number(d) ||
    Number(h ?? 0) > 23 ||
    Number(mi ?? 0) > 59 ||
    Number(s ?? 0) > 60
  ) {
    throw calendarError(ctx.file, prop.line, `${prop.name} names a date or time that does not exist: ${text}`);
  }
  const valueType = prop.params.VALUE?.[0]?.toUpperCase();
  const isDate = h === undefined;
  if (valueType === "DATE" && !isDate)
    throw calendarError(ctx.file, prop.line, `${prop.name} is VALUE=DATE but holds a time`);
  if (valueType === "DATE-TIME" && isDate)
    throw calendarError(ctx.file, prop.line, `${prop.name} is a DATE-TIME without a time`);
  if (isDate) return { wall, zone: ctx.plantZone, isDate: true, utc: false };
  if (z) return { wall, zone: UTC_ZONE, isDate: false, utc: true };
  const tzid = prop.params.TZID?.[0];
  const zone = tzid ? ctx.zoneFor(tzid, prop.line) : ctx.plantZone;
  return { wall, zone, isDate: false, utc: false };
}

/** Reads a comma-separated list of times (RDATE, EXDATE). */
export function readTimes(prop: ContentLine, ctx: ValueContext): TimeValue[] {
  return prop.value.split(",").map((v) => readTime(v, prop, ctx));
}

/** Reads a DURATION (or a PERIOD's duration) as nominal days and exact milliseconds. */
function readDuration(text: string, prop: ContentLine, file: string): { days: number; exactMs: number } {
  if (!/^[+-]?P(\d+W|(\d+D)?(T(\d+H)?(\d+M)?(\d+S)?)?)$/i.test(text.trim()) || /T$/i.test(text.trim())) {
    throw calendarError(file, prop.line, `${prop.name} is not an ISO 8601 duration: ${JSON.stringify(text)}`);
  }
  const d = ICAL.Duration.fromString(text.trim());
  if (d.isNegative) throw calendarError(file, prop.line, `${prop.name} is negative`);
  return { days: d.weeks * 7 + d.days, exactMs: d.hours * HOUR + d.minutes * MINUTE + d.seconds * 1000 };
}

/** The end rule from DTEND or DURATION, checked against the start. */
export function readEnd(
  start: TimeValue,
  dtend: ContentLine | undefined,
  duration: ContentLine | undefined,
  ctx: ValueContext,
): EndRule | null {
  if (dtend && duration) throw calendarError(ctx.file, duration.line, "an event has both DTEND and DURATION");
  if (dtend) {
    const end = readTime(dtend.value, dtend, ctx);
    if (end.isDate !== start.isDate) {
      throw calendarError(
        ctx.file,
        dtend.line,
        "DTEND must be a date when DTSTART is a date, and a time when it is a time",
      );
    }
    const delta =
      end.zone === start.zone
        ? end.wall - start.wall
        : wallToInstant(end.zone, end.wall) - wallToInstant(start.zone, start.wall);
    if (delta < 0) throw calendarError(ctx.file, dtend.line, "DTEND is before DTSTART");
    return { kind: "wall", wallDelta: end.wall - start.wall, zone: end.zone };
  }
  if (duration) return { kind: "duration", ...readDuration(duration.value, duration, ctx.file) };
  return null;
}

const WEEKDAYS = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"];
const SIMPLE_KEYS = new Set(["FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "WKST"]);

/** Parses an RRULE with ical.js, lifting COUNT and UNTIL out so they are applied in the right zone. */
export function readRule(prop: ContentLine, start: TimeValue, ctx: ValueContext): RuleSpec {
  const text = prop.value.trim();
  let recur: ICAL.Recur;
  try {
    recur = ICAL.Recur.fromString(text);
  } catch (error) {
    throw calendarError(
      ctx.file,
      prop.line,
      `RRULE cannot be read: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (!recur.freq) throw calendarError(ctx.file, prop.line, "RRULE has no FREQ");
  if (!Number.isInteger(recur.interval) || recur.interval < 1)
    throw calendarError(ctx.file, prop.line, "RRULE has a bad INTERVAL");
  const parts = new Map(
    text.split(";").map((p) => {
      const [k, v] = p.split("=");
      return [(k ?? "").toUpperCase(), (v ?? "").toUpperCase()] as const;
    }),
  );
  const untilText = parts.get("UNTIL");
  if (untilText !== undefined && parts.has("COUNT"))
    throw calendarError(ctx.file, prop.line, "RRULE has both COUNT and UNTIL");
  const until =
    untilText === undefined
      ? null
      : readTime(untilText, { ...prop, name: "UNTIL", params: {} }, { ...ctx, plantZone: start.zone });
  const count = recur.count ?? null;
  if (count !== null && count < 1) throw calendarError(ctx.file, prop.line, "RRULE has a bad COUNT");
  recur.count = null;
  recur.until = null;
  const byDayText = parts.get("BYDAY");
  const plainDays = byDayText?.split(",").every((d) => WEEKDAYS.includes(d)) ?? true;
  const byDay = byDayText && plainDays ? byDayText.split(",").map((d) => WEEKDAYS.indexOf(d)) : null;
  const simple =
    (recur.freq === "DAILY" || recur.freq === "WEEKLY") &&
    plainDays &&
    [...parts.keys()].every((k) => SIMPLE_KEYS.has(k));
  const wkst = WEEKDAYS.indexOf(parts.get("WKST") ?? "MO");
  return {
    text,
    freq: recur.freq,
    interval: recur.interval,
    count,
    until,
    byDay,
    wkst: wkst < 0 ? 1 : wkst,
    simple,
    recur,
  };
}

/** A wall day number (days since 1970-01-01 in wall terms). */
export function wallDay(wall: number): number {
  return Math.floor(wall / DAY);
}
