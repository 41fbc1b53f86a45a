import {
  type Conflict,
  type ConflictContext,
  conflictContext,
  indexPlant,
  nameKey,
  type PlannedChange,
} from "./conflicts";
import { expandCalendar } from "./expand";
import type { CalendarInstance, Category, PlantCalendar } from "./types";
import { DAY, formatInstant, UTC_ZONE, type ZoneRules } from "./zone";

/** A calendar instance as the CLI and the contract print it. */
export interface InstanceJson {
  readonly uid: string;
  readonly summary: string;
  readonly category: Category | null;
  readonly start: string;
  readonly end: string;
}

/** A conflict as the CLI and the contract print it. */
export interface ConflictJson {
  readonly kind: Conflict["kind"];
  readonly plant: string | null;
  readonly with: string | null;
  readonly start: string;
  readonly end: string;
}

/** The name a plant is known by: its X-WR-CALNAME, else its file name without `.ics`. */
export function plantName(calendar: PlantCalendar): string {
  return calendar.name ?? (calendar.file.split(/[\\/]/).pop() ?? calendar.file).replace(/\.ics$/i, "");
}

/** Prints an instance with the plant zone's offset at each instant. */
export function instanceToJson(instance: CalendarInstance, zone: ZoneRules): InstanceJson {
  return {
    uid: instance.uid,
    summary: instance.summary,
    category: instance.category,
    start: formatInstant(zone, instance.start),
    end: formatInstant(zone, instance.end),
  };
}

/** Prints a conflict in its plant's zone (the first named plant's zone when it has none). */
export function conflictToJson(conflict: Conflict, ctx: ConflictContext, fallback: ZoneRules): ConflictJson {
  const zone = (conflict.plant && ctx.plants.get(nameKey(conflict.plant))?.zone) || fallback;
  return { ...conflict, start: formatInstant(zone, conflict.start), end: formatInstant(zone, conflict.end) };
}

/** Expands each calendar over [from, to) and indexes it, together with the other changes. */
export function buildContext(
  calendars: readonly PlantCalendar[],
  from: number,
  to: number,
  changes: readonly PlannedChange[],
  bufferMs: number,
): ConflictContext {
  const seen = new Map<string, PlantCalendar>();
  for (const c of calendars) seen.set(nameKey(plantName(c)), c);
  const plants = [...seen.values()].map((c) => indexPlant(plantName(c), c.zone, expandCalendar(c, from, to)));
  return conflictContext(plants, changes, bufferMs);
}

/** The range a check of [start, end) must expand: the window, the buffer, and a day either side for long events. */
export function checkRange(start: number, end: number, bufferMs: number): { from: number; to: number } {
  return { from: start - bufferMs - DAY, to: end + bufferMs + DAY };
}

/** The zone a set of named plants prints in when a conflict names none. */
export function firstZone(ctx: ConflictContext, plants: readonly string[]): ZoneRules {
  for (const p of plants) {
    const z = ctx.plants.get(nameKey(p))?.zone;
    if (z) return z;
  }
  return UTC_ZONE;
}
