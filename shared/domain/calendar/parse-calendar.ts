import ICAL from "ical.js";
import {
  type ContentLine,
  calendarError,
  type IcsBlock,
  readBlocks,
  splitTextList,
  unescapeText,
} from "./content-lines";
import { readEnd, readRule, readTime, readTimes, type ValueContext, wallDay } from "./ics-values";
import type { Category, EndRule, EventSeries, ExtraDate, Override, PlantCalendar, TimeValue } from "./types";
import { vtimezoneZone } from "./vtimezone";
import { DAY, ianaZone, instantToWall, resolveZoneName, wallToInstant, type ZoneRules } from "./zone";

/** Where the text came from (for error messages) and the zone to use when it has no X-WR-TIMEZONE. */
interface ParseOptions {
  readonly file?: string;
  readonly timeZone?: string;
}

const CATEGORIES: readonly Category[] = ["SHIFT", "BLACKOUT", "MAINTENANCE"];

/**
 * Parses one plant calendar. A broken file is refused whole with an AppError 'calendar-invalid'
 * whose message and details name the file and line.
 */
export function parsePlantCalendar(text: string, options: ParseOptions = {}): PlantCalendar {
  const file = options.file ?? "calendar.ics";
  const root = readBlocks(text, file);
  const prop = (name: string) => root.props.find((p) => p.name === name);
  const calName = prop("X-WR-CALNAME");
  const tzProp = prop("X-WR-TIMEZONE");
  let timeZone: string;
  if (tzProp) {
    const resolved = resolveZoneName(unescapeText(tzProp.value));
    if (!resolved)
      throw calendarError(file, tzProp.line, `X-WR-TIMEZONE ${JSON.stringify(tzProp.value)} is not a known time zone`);
    timeZone = resolved;
  } else if (options.timeZone) {
    const resolved = resolveZoneName(options.timeZone);
    if (!resolved) throw calendarError(file, null, `time zone ${JSON.stringify(options.timeZone)} is not known`);
    timeZone = resolved;
  } else {
    throw calendarError(file, root.line, "the calendar has no X-WR-TIMEZONE; name the plant's time zone (--tz ZONE)");
  }
  const plantZone = ianaZone(timeZone);
  const vtimezones = new Map(
    root.children
      .filter((b) => b.name === "VTIMEZONE")
      .map((b) => [b.props.find((p) => p.name === "TZID")?.value.trim() ?? "", b] as const),
  );
  const zones = new Map<string, ZoneRules>();
  const ctx: ValueContext = {
    file,
    plantZone,
    zoneFor: (tzid, line) => {
      let zone = zones.get(tzid);
      if (!zone) {
        zone = zoneForTzid(tzid, vtimezones.get(tzid), file, line);
        zones.set(tzid, zone);
      }
      return zone;
    },
  };
  const events = root.children.filter((b) => b.name === "VEVENT");
  const masters = new Map<string, { block: IcsBlock; overrides: IcsBlock[] }>();
  const orphans: IcsBlock[] = [];
  for (const block of events) {
    const uid = eventUid(block, file);
    const isOverride = block.props.some((p) => p.name === "RECURRENCE-ID");
    const entry = masters.get(uid);
    if (!isOverride) {
      if (entry && entry.block !== block && !entry.block.props.some((p) => p.name === "RECURRENCE-ID")) {
        throw calendarError(
          file,
          block.line,
          `a second event with UID ${uid} (the first is at line ${entry.block.line})`,
        );
      }
      masters.set(uid, { block, overrides: entry?.overrides ?? [] });
    } else if (entry) entry.overrides.push(block);
    else masters.set(uid, { block, overrides: [block] });
  }
  const series: EventSeries[] = [];
  for (const [uid, { block, overrides }] of masters) {
    if (block.props.some((p) => p.name === "RECURRENCE-ID")) {
      // Overrides whose master is not in the file: each stands alone as a single event.
      for (const o of overrides) orphans.push(o);
      continue;
    }
    const s = readSeries(uid, block, overrides, ctx);
    if (s) series.push(s);
  }
  for (const o of orphans) {
    const s = readSeries(eventUid(o, file), o, [], ctx);
    if (s) series.push(s);
  }
  return { file, name: calName ? unescapeText(calName.value).trim() : null, timeZone, zone: plantZone, series };
}

function eventUid(block: IcsBlock, file: string): string {
  const uid = block.props.find((p) => p.name === "UID");
  return uid ? unescapeText(uid.value).trim() : `line-${block.line}@${file}`;
}

function zoneForTzid(tzid: string, vtimezone: IcsBlock | undefined, file: string, line: number): ZoneRules {
  if (vtimezone) {
    const location = vtimezone.props.find((p) => p.name === "X-LIC-LOCATION")?.value;
    const id = resolveZoneName(tzid) ?? (location ? resolveZoneName(location) : null) ?? tzid;
    return vtimezoneZone(id, vtimezone, file);
  }
  const iana = resolveZoneName(tzid);
  if (!iana)
    throw calendarError(file, line, `TZID ${JSON.stringify(tzid)} is neither a known zone nor defined by a VTIMEZONE`);
  return ianaZone(iana);
}

function categoryOf(block: IcsBlock): Category | null {
  for (const p of block.props) {
    if (p.name !== "CATEGORIES") continue;
    for (const value of splitTextList(p.value)) {
      const c = CATEGORIES.find((k) => k === value.toUpperCase());
      if (c) return c;
    }
  }
  return null;
}

function one(block: IcsBlock, name: string, file: string): ContentLine | undefined {
  const all = block.props.filter((p) => p.name === name);
  if (all.length > 1) throw calendarError(file, all[1]?.line ?? block.line, `${name} appears twice in one event`);
  return all[0];
}

function readSeries(
  uid: string,
  block: IcsBlock,
  overrideBlocks: readonly IcsBlock[],
  ctx: ValueContext,
): EventSeries | null {
  const { file } = ctx;
  const dtstart = one(block, "DTSTART", file);
  if (!dtstart) throw calendarError(file, block.line, "the event has no DTSTART");
  const start = readTime(dtstart.value, dtstart, ctx);
  const end = readEnd(start, one(block, "DTEND", file), one(block, "DURATION", file), ctx) ?? defaultEnd(start);
  const rrules = block.props.filter((p) => p.name === "RRULE");
  const rule = rrules[0] ? readRule(rrules[0], start, ctx) : null;
  const rdates: ExtraDate[] = [];
  for (const p of block.props.filter((q) => q.name === "RDATE")) {
    if (p.params.VALUE?.[0]?.toUpperCase() === "PERIOD") {
      for (const period of p.value.split(",")) rdates.push(readPeriod(period, p, start, ctx));
    } else for (const t of readTimes(p, ctx)) rdates.push({ wall: toStartZone(t, start), end: null });
  }
  const exdates = new Set<number>();
  const exdateDays = new Set<number>();
  for (const p of block.props.filter((q) => q.name === "EXDATE")) {
    for (const t of readTimes(p, ctx)) {
      if (t.isDate) exdateDays.add(wallDay(t.wall));
      else exdates.add(wallToInstant(t.zone, t.wall));
    }
  }
  const overrides = overrideBlocks.map((o) => readOverride(o, ctx));
  const status = one(block, "STATUS", file)?.value.trim().toUpperCase();
  if (status === "CANCELLED") return null;
  const summary = one(block, "SUMMARY", file);
  return {
    uid,
    summary: summary ? unescapeText(summary.value) : "",
    category: categoryOf(block),
    line: block.line,
    start,
    end,
    rule,
    rdates,
    exdates,
    exdateDays,
    overrides,
  };
}

function defaultEnd(start: TimeValue): EndRule {
  // RFC 5545 §3.6.1: a date without DTEND lasts one day; a date-time without one is a point in time.
  return start.isDate ? { kind: "duration", days: 1, exactMs: 0 } : { kind: "duration", days: 0, exactMs: 0 };
}

/** An RDATE in another zone than DTSTART is moved to the start zone's wall clock at the same instant. */
function toStartZone(t: TimeValue, start: TimeValue): number {
  if (t.zone === start.zone || t.isDate) return t.wall;
  return instantToWall(start.zone, wallToInstant(t.zone, t.wall));
}

function readPeriod(text: string, prop: ContentLine, start: TimeValue, ctx: ValueContext): ExtraDate {
  const [from, to] = text.split("/");
  if (!from || !to) throw calendarError(ctx.file, prop.line, `RDATE period ${JSON.stringify(text)} is not START/END`);
  const s = readTime(from, prop, ctx);
  const sInstant = wallToInstant(s.zone, s.wall);
  let end: number;
  if (/^[+-]?P/i.test(to)) {
    const d = ICAL.Duration.fromString(to);
    end =
      wallToInstant(s.zone, s.wall + (d.weeks * 7 + d.days) * DAY) +
      (d.hours * 3600 + d.minutes * 60 + d.seconds) * 1000;
  } else {
    const e = readTime(to, prop, ctx);
    end = wallToInstant(e.zone, e.wall);
  }
  if (end < sInstant) throw calendarError(ctx.file, prop.line, "RDATE period ends before it starts");
  return { wall: toStartZone(s, start), end };
}

function readOverride(block: IcsBlock, ctx: ValueContext): Override {
  const { file } = ctx;
  const rid = one(block, "RECURRENCE-ID", file);
  if (!rid) throw calendarError(file, block.line, "override without RECURRENCE-ID");
  const ridTime = readTime(rid.value, rid, ctx);
  const dtstart = one(block, "DTSTART", file);
  const start = dtstart ? readTime(dtstart.value, dtstart, ctx) : ridTime;
  const summary = one(block, "SUMMARY", file);
  const hasCategories = block.props.some((p) => p.name === "CATEGORIES");
  return {
    line: block.line,
    recurrenceId: ridTime.isDate ? wallDay(ridTime.wall) : wallToInstant(ridTime.zone, ridTime.wall),
    recurrenceIsDate: ridTime.isDate,
    start,
    end: readEnd(start, one(block, "DTEND", file), one(block, "DURATION", file), ctx),
    summary: summary ? unescapeText(summary.value) : null,
    category: hasCategories ? categoryOf(block) : undefined,
    cancelled: one(block, "STATUS", file)?.value.trim().toUpperCase() === "CANCELLED",
  };
}
