import { z } from "zod";
import type { ArgoSyncWindow, ConflictJson, InstanceJson } from "../../domain/calendar/index";
import { method } from "../define";

// ---------- output types ----------

/** A stored plant as lists show it. */
export interface PlantSummary {
  readonly id: string;
  readonly name: string;
  readonly timeZone: string;
  readonly eventCount: number;
  readonly source: string | null;
  readonly updatedAt: string;
}

/** A plant with its calendar text (the renderer parses it with the same pure engine to preview while dragging). */
export interface PlantDetail extends PlantSummary {
  readonly ics: string;
}

/** Instances of several plants over a range, each tagged with its plant. */
export interface ExpandResult {
  readonly plants: readonly PlantSummary[];
  readonly instances: readonly (InstanceJson & { readonly plant: string })[];
}

export interface CheckResult {
  readonly ok: boolean;
  readonly conflicts: readonly ConflictJson[];
}

export interface NextWindowResult {
  readonly start: string;
  readonly end: string;
  readonly inMaintenance: boolean;
}

export interface PresetInfo {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly crews: readonly string[];
  readonly cycleDays: number;
}

// ---------- input schemas ----------

const rfc3339 = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i, "an RFC 3339 time");
const duration = z.string().regex(/^(\d+[dhms])+$|^P/i, "a duration such as 90m, 2h, 1h30m or PT2H");
const plantRefs = z.array(z.string().min(1)).min(1);

/** Another planned change, as `--changes` holds it. */
export const plannedChangeSchema = z
  .object({
    id: z.string().min(1),
    plants: z.array(z.string().min(1)),
    start: rfc3339,
    end: rfc3339,
    area: z.string().nullish(),
    environment: z.string().nullish(),
    implementer: z.string().nullish(),
  })
  .strict();

const changeDescription = {
  /** The change being placed, so it is not counted against itself when rescheduled. */
  id: z.string().nullish(),
  plants: plantRefs,
  area: z.string().nullish(),
  environment: z.string().nullish(),
  implementer: z.string().nullish(),
  changes: z.array(plannedChangeSchema).max(100_000).default([]),
  buffer: duration.optional(),
};

export const calendarMethods = {
  "plant.list": method<readonly PlantSummary[]>()({ input: z.object({}).strict(), mutates: false }),
  "plant.get": method<PlantDetail>()({ input: z.object({ plant: z.string().min(1) }).strict(), mutates: false }),
  "plant.import": method<PlantSummary>()({
    input: z
      .object({
        ics: z.string().min(1).max(20_000_000),
        fileName: z.string().max(255).optional(),
        /** The zone to use when the calendar has no X-WR-TIMEZONE. */
        timeZone: z.string().optional(),
        /** Replace the calendar of a plant with the same name instead of refusing. */
        replace: z.boolean().default(false),
      })
      .strict(),
    mutates: true,
  }),
  "plant.export": method<{ readonly fileName: string; readonly ics: string }>()({
    input: z.object({ plant: z.string().min(1) }).strict(),
    mutates: false,
  }),
  "plant.applyPreset": method<PlantSummary>()({
    input: z
      .object({
        preset: z.string().min(1),
        /** An existing plant (its SHIFT events are replaced, blackouts and maintenance kept) or a new plant's name. */
        plant: z.string().min(1),
        timeZone: z.string().optional(),
        anchor: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date YYYY-MM-DD"),
      })
      .strict(),
    mutates: true,
  }),
  "plant.remove": method<PlantSummary>()({
    input: z.object({ plant: z.string().min(1), reason: z.string().max(2000).optional() }).strict(),
    mutates: true,
  }),
  "calendar.feed": method<{ readonly fileName: string; readonly ics: string }>()({
    input: z
      .object({
        /** Feed title (e.g. "Berlin Assembly changes"). */
        name: z.string().min(1).max(200),
        changes: z
          .array(
            z
              .object({
                id: z.string().min(1),
                title: z.string(),
                start: rfc3339,
                end: rfc3339,
                plants: z.array(z.string()),
                status: z.string().nullish(),
                url: z.string().url().nullish(),
              })
              .strict(),
          )
          .max(100_000),
      })
      .strict(),
    mutates: false,
  }),
  "calendar.presets": method<readonly PresetInfo[]>()({ input: z.object({}).strict(), mutates: false }),
  "calendar.expand": method<ExpandResult>()({
    input: z.object({ plants: z.array(z.string().min(1)).optional(), from: rfc3339, to: rfc3339 }).strict(),
    mutates: false,
  }),
  "calendar.check": method<CheckResult>()({
    input: z.object({ ...changeDescription, start: rfc3339, end: rfc3339 }).strict(),
    mutates: false,
  }),
  "calendar.nextWindow": method<NextWindowResult | null>()({
    input: z.object({ ...changeDescription, duration, after: rfc3339 }).strict(),
    mutates: false,
  }),
  "calendar.syncWindows": method<{ readonly syncWindows: readonly ArgoSyncWindow[] }>()({
    input: z.object({ plants: z.array(z.string().min(1)).optional() }).strict(),
    mutates: false,
  }),
} as const;
