import { expandCalendar } from "./expand";
import type { CalendarInstance, Category, EventSeries, PlantCalendar } from "./types";
import { DAY, formatInstant } from "./zone";

/** How far ahead a replacement's instances are compared: what the plant will feel in the next quarter. */
const CALENDAR_DIFF_DAYS = 90;

/** What a replacement does to one kind of event. */
export interface CalendarKindDiff {
  /** Events (VEVENT series, matched by UID) added, removed, changed (same UID, other times or rule), kept. */
  readonly series: {
    readonly added: number;
    readonly removed: number;
    readonly changed: number;
    readonly kept: number;
  };
  /** Occurrences in the compared range, matched by start and end, before and after, and those gained or lost. */
  readonly instances: {
    readonly before: number;
    readonly after: number;
    readonly added: number;
    readonly removed: number;
  };
}

/** The difference between a plant's calendar and its replacement, by the kinds the conflict rules act on. */
export interface CalendarDiff {
  /** The compared range, RFC 3339 in the plant's zone. */
  readonly from: string;
  readonly to: string;
  readonly shift: CalendarKindDiff;
  readonly blackout: CalendarKindDiff;
  readonly maintenance: CalendarKindDiff;
  /** True when nothing of any kind is added, removed or changed. */
  readonly unchanged: boolean;
}

const KINDS = [
  ["shift", "SHIFT"],
  ["blackout", "BLACKOUT"],
  ["maintenance", "MAINTENANCE"],
] as const satisfies readonly (readonly [string, Category])[];

// What makes a series the same event: its text, category, first start, rule, extra and excluded dates, overrides.
// The zone rules object is left out (its name is in the calendar); the instances compared below catch zone moves.
function fingerprint(s: EventSeries): string {
  return JSON.stringify([
    s.summary,
    s.category,
    s.start.wall,
    s.start.isDate,
    s.start.utc,
    s.end.kind === "wall" ? ["wall", s.end.wallDelta] : ["duration", s.end.days, s.end.exactMs],
    s.rule?.text ?? null,
    s.rdates.map((r) => [r.wall, r.end]),
    [...s.exdates].sort((a, b) => a - b),
    [...s.exdateDays].sort((a, b) => a - b),
    s.overrides.map((o) => [o.recurrenceId, o.start.wall, o.summary, o.category ?? null, o.cancelled]),
  ]);
}

function seriesDiff(before: readonly EventSeries[], after: readonly EventSeries[]): CalendarKindDiff["series"] {
  const old = new Map(before.map((s) => [s.uid, fingerprint(s)]));
  const next = new Map(after.map((s) => [s.uid, fingerprint(s)]));
  let added = 0;
  let changed = 0;
  let kept = 0;
  for (const [uid, print] of next) {
    const was = old.get(uid);
    if (was === undefined) added++;
    else if (was === print) kept++;
    else changed++;
  }
  const removed = [...old.keys()].filter((uid) => !next.has(uid)).length;
  return { added, removed, changed, kept };
}

// Occurrences are matched by time, not UID: a regenerated file with new UIDs for the same shifts loses nothing.
function instanceDiff(
  before: readonly CalendarInstance[],
  after: readonly CalendarInstance[],
): CalendarKindDiff["instances"] {
  const count = new Map<string, number>();
  for (const i of before) count.set(`${i.start}/${i.end}`, (count.get(`${i.start}/${i.end}`) ?? 0) + 1);
  let added = 0;
  for (const i of after) {
    const key = `${i.start}/${i.end}`;
    const left = count.get(key) ?? 0;
    if (left > 0) count.set(key, left - 1);
    else added++;
  }
  const removed = [...count.values()].reduce((a, b) => a + b, 0);
  return { before: before.length, after: after.length, added, removed };
}

/** Compares a plant's calendar (null for a new plant) with its replacement over `days` from `now`. */
export function diffCalendars(
  before: PlantCalendar | null,
  after: PlantCalendar,
  now: number,
  days: number = CALENDAR_DIFF_DAYS,
): CalendarDiff {
  const to = now + days * DAY;
  const oldInstances = before ? expandCalendar(before, now, to) : [];
  const newInstances = expandCalendar(after, now, to);
  const kind = (category: Category): CalendarKindDiff => ({
    series: seriesDiff(
      (before?.series ?? []).filter((s) => s.category === category),
      after.series.filter((s) => s.category === category),
    ),
    instances: instanceDiff(
      oldInstances.filter((i) => i.category === category),
      newInstances.filter((i) => i.category === category),
    ),
  });
  const [shift, blackout, maintenance] = KINDS.map(([, category]) => kind(category)) as [
    CalendarKindDiff,
    CalendarKindDiff,
    CalendarKindDiff,
  ];
  const unchanged = [shift, blackout, maintenance].every(
    (k) => k.series.added + k.series.removed + k.series.changed + k.instances.added + k.instances.removed === 0,
  );
  return {
    from: formatInstant(after.zone, now),
    to: formatInstant(after.zone, to),
    shift,
    blackout,
    maintenance,
    unchanged,
  };
}

/** One line per kind for an audit row or a confirmation: "shift: 15 events removed, 0 added; 320 → 0 in 90 days". */
export function describeCalendarDiff(diff: CalendarDiff): string {
  return KINDS.map(([name]) => {
    const k = diff[name];
    return `${name}: ${k.series.added} added, ${k.series.removed} removed, ${k.series.changed} changed; ${k.instances.before} → ${k.instances.after} occurrences`;
  }).join("; ");
}
