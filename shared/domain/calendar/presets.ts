import { AppError } from "../../errors/app-error";
import { type IcsEvent, writeIcs } from "./ics-writer";
import { DAY } from "./zone";

/** A shift: its letter in a crew pattern, name and wall-clock times (`end` before `start` means the next day). */
interface ShiftDef {
  readonly name: string;
  readonly start: string;
  readonly end: string;
}

/** A rota: a cycle of days; each crew's pattern has one letter (a shift) or '-' (off) per day. */
interface ShiftPreset {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly shifts: Readonly<Record<string, ShiftDef>>;
  readonly crews: Readonly<Record<string, string>>;
}

const EARLY_LATE_NIGHT = {
  E: { name: "early", start: "06:00", end: "14:00" },
  L: { name: "late", start: "14:00", end: "22:00" },
  N: { name: "night", start: "22:00", end: "06:00" },
};
const DAY_NIGHT = {
  D: { name: "day", start: "07:00", end: "19:00" },
  N: { name: "night", start: "19:00", end: "07:00" },
};

function rotate(pattern: string, by: number): string {
  const k = ((by % pattern.length) + pattern.length) % pattern.length;
  return pattern.slice(pattern.length - k) + pattern.slice(0, pattern.length - k);
}

const DUPONT = "NNNN---DDD-NNN---DDDD-------";

/** The shift patterns calendars.md lists, plus the general day shift the Pune demo plant runs. */
export const SHIFT_PRESETS: readonly ShiftPreset[] = [
  {
    id: "3x8-five-day",
    name: "3x8 five-day",
    description: "Early, late and night shifts Monday to Friday; three crews rotate weekly.",
    shifts: EARLY_LATE_NIGHT,
    crews: { A: "EEEEE--LLLLL--NNNNN--", B: "LLLLL--NNNNN--EEEEE--", C: "NNNNN--EEEEE--LLLLL--" },
  },
  {
    id: "3x8-continental",
    name: "3x8 continental",
    description: "Seven days a week: two earlies, two lates, two nights, two days off; four crews.",
    shifts: EARLY_LATE_NIGHT,
    crews: { A: "EELLNN--", B: rotate("EELLNN--", 2), C: rotate("EELLNN--", 4), D: rotate("EELLNN--", 6) },
  },
  {
    id: "2x12-dupont",
    name: "2x12 DuPont",
    description: "12-hour days and nights over a four-week cycle with four crews and a seven-day break.",
    shifts: DAY_NIGHT,
    crews: { A: DUPONT, B: rotate(DUPONT, 7), C: rotate(DUPONT, 14), D: rotate(DUPONT, 21) },
  },
  {
    id: "2x12-pitman",
    name: "2x12 Pitman 2-2-3",
    description: "12-hour shifts, two on, two off, three on over a two-week cycle; two day and two night crews.",
    shifts: DAY_NIGHT,
    crews: { A: "DD--DDD--DD---", B: "--DD---DD--DDD", C: "NN--NNN--NN---", D: "--NN---NN--NNN" },
  },
  {
    id: "4-on-4-off",
    name: "4-on-4-off",
    description: "12-hour shifts, four on and four off; two day and two night crews.",
    shifts: DAY_NIGHT,
    crews: { A: "DDDD----", B: "----DDDD", C: "NNNN----", D: "----NNNN" },
  },
  {
    id: "general-mon-sat",
    name: "General shift Mon–Sat",
    description: "One day shift 09:00–17:30 Monday to Saturday.",
    shifts: { G: { name: "general", start: "09:00", end: "17:30" } },
    crews: { G: "GGGGGG-" },
  },
];

const WEEKDAYS = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"];

/** Finds a preset by id; an unknown id is bad input. */
export function shiftPreset(id: string): ShiftPreset {
  const p = SHIFT_PRESETS.find((x) => x.id === id);
  if (!p)
    throw new AppError(
      "invalid-input",
      `There is no shift preset "${id}" (${SHIFT_PRESETS.map((x) => x.id).join(", ")}).`,
    );
  return p;
}

function local(day: number, hhmm: string): string {
  return `${new Date(day * DAY).toISOString().slice(0, 10).replace(/-/g, "")}T${hhmm.replace(":", "")}00`;
}

/**
 * The preset's shifts as RRULE events, one per crew, shift and block of the cycle, anchored on the Monday on or
 * before `anchor` (YYYY-MM-DD). Cycles of whole weeks become WEEKLY rules with BYDAY; others DAILY with INTERVAL.
 */
export function presetEvents(presetId: string, anchor: string, timeZone: string): IcsEvent[] {
  const preset = shiftPreset(presetId);
  const a = Date.parse(`${anchor}T00:00:00Z`);
  if (Number.isNaN(a)) throw new AppError("invalid-input", `The anchor date "${anchor}" is not YYYY-MM-DD.`);
  const anchorDay = Math.floor(a / DAY);
  const monday = anchorDay - ((((anchorDay + 4) % 7) + 6) % 7);
  const events: IcsEvent[] = [];
  for (const [crew, pattern] of Object.entries(preset.crews)) {
    const cycle = pattern.length;
    for (const [letter, shift] of Object.entries(preset.shifts)) {
      const days = [...pattern].flatMap((c, i) => (c === letter ? [i] : []));
      const groups =
        cycle % 7 === 0
          ? groupBy(days, (d) => Math.floor(d / 7)).map((g) => ({
              first: g[0] ?? 0,
              rrule: `FREQ=WEEKLY;INTERVAL=${cycle / 7};BYDAY=${g.map((d) => WEEKDAYS[(d + 1) % 7]).join(",")};WKST=MO`,
            }))
          : days.map((d) => ({ first: d, rrule: `FREQ=DAILY;INTERVAL=${cycle}` }));
      groups.forEach((g, n) => {
        const startDay = monday + g.first;
        const endDay = shift.end <= shift.start ? startDay + 1 : startDay;
        events.push({
          uid: `${preset.id}-${crew}-${shift.name}-${n + 1}@shiftgate`.toLowerCase(),
          summary: `Crew ${crew} ${shift.name}`,
          category: "SHIFT",
          start: local(startDay, shift.start),
          end: local(endDay, shift.end),
          tzid: timeZone,
          rrule: g.rrule,
        });
      });
    }
  }
  return events;
}

function groupBy(values: readonly number[], key: (v: number) => number): number[][] {
  const map = new Map<number, number[]>();
  for (const v of values) map.set(key(v), [...(map.get(key(v)) ?? []), v]);
  return [...map.values()];
}

/** A whole plant calendar for a preset, as plain .ics text a plant can hand-edit or export. */
export function presetCalendarIcs(
  presetId: string,
  plant: { readonly name: string; readonly timeZone: string; readonly anchor: string; readonly stamp: number },
  extra: readonly IcsEvent[] = [],
): string {
  const events = [...presetEvents(presetId, plant.anchor, plant.timeZone), ...extra];
  return writeIcs({ name: plant.name, timeZone: plant.timeZone, events, stamp: plant.stamp });
}
