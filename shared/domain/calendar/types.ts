import type ICAL from "ical.js";
import type { ZoneRules } from "./zone";

/** The categories the conflict rules act on; any other event is shown and ignored by them. */
export type Category = "SHIFT" | "BLACKOUT" | "MAINTENANCE";

/** A DTSTART/DTEND/RDATE/EXDATE value: a wall-clock reading and the zone it is read in. */
export interface TimeValue {
  readonly wall: number;
  readonly zone: ZoneRules;
  readonly isDate: boolean;
  readonly utc: boolean;
}

/** How an instance's end follows from its start. */
export type EndRule =
  /** DTEND: the same wall-clock distance from the start, read in the end's zone (RFC 5545 §3.8.2.2 + calendars.md). */
  | { readonly kind: "wall"; readonly wallDelta: number; readonly zone: ZoneRules }
  /** DURATION: days and weeks are nominal (same wall time), hours/minutes/seconds exact. */
  | { readonly kind: "duration"; readonly days: number; readonly exactMs: number };

/** A parsed RRULE: ical.js iterates it in wall-clock time; COUNT and UNTIL are applied by the engine. */
export interface RuleSpec {
  readonly text: string;
  readonly freq: string;
  readonly interval: number;
  readonly count: number | null;
  readonly until: TimeValue | null;
  /** Plain weekdays (0 = Sunday) from BYDAY when the rule has no ordinals. */
  readonly byDay: readonly number[] | null;
  readonly wkst: number;
  /** True when the rule is FREQ=DAILY/WEEKLY with at most INTERVAL, BYDAY (no ordinals), WKST, COUNT, UNTIL. */
  readonly simple: boolean;
  readonly recur: ICAL.Recur;
}

/** An RDATE: a start (wall time in the series' start zone) and, for PERIOD values, an explicit end instant. */
export interface ExtraDate {
  readonly wall: number;
  readonly end: number | null;
}

/** A RECURRENCE-ID override of one instance. */
export interface Override {
  readonly line: number;
  /** The original instance's start instant, or its wall day when RECURRENCE-ID is a date. */
  readonly recurrenceId: number;
  readonly recurrenceIsDate: boolean;
  readonly start: TimeValue;
  readonly end: EndRule | null;
  readonly summary: string | null;
  readonly category: Category | null | undefined;
  readonly cancelled: boolean;
}

/** One VEVENT with its recurrence and overrides. */
export interface EventSeries {
  readonly uid: string;
  readonly summary: string;
  readonly category: Category | null;
  readonly line: number;
  readonly start: TimeValue;
  readonly end: EndRule;
  readonly rule: RuleSpec | null;
  readonly rdates: readonly ExtraDate[];
  readonly exdates: ReadonlySet<number>;
  /** EXDATE dates (VALUE=DATE) as wall days: any instance starting that day is excluded. */
  readonly exdateDays: ReadonlySet<number>;
  readonly overrides: readonly Override[];
}

/** One plant's calendar, parsed. */
export interface PlantCalendar {
  readonly file: string;
  /** X-WR-CALNAME, or null when the file has none. */
  readonly name: string | null;
  readonly timeZone: string;
  readonly zone: ZoneRules;
  readonly series: readonly EventSeries[];
}

/** One occurrence of an event, as instants (ms since the epoch). */
export interface CalendarInstance {
  readonly uid: string;
  readonly summary: string;
  readonly category: Category | null;
  readonly start: number;
  readonly end: number;
  /** Start of the original instance when this one is an override, else null. */
  readonly recurrenceId: number | null;
}
