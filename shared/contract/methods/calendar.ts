import { z } from "zod";
import type { UncategorisedEvents } from "../../domain/calendar/category-mapping";
import { parseDurationText } from "../../domain/calendar/duration";
import type { ArgoSyncWindow, CalendarDiff, ConflictJson, InstanceJson } from "../../domain/calendar/index";
import type { KnownPlants } from "../../domain/policy/plants";
import { BOUNDS, boundedDate, boundedText, inYears, plantName, plantRefs, rangeCheck, YEARS_MESSAGE } from "../bounds";
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

/**
 * A calendar replaced on this laptop that the GitOps repository does not hold yet: verify and every other laptop
 * still read the old one until a policy-admin publishes it (gitops.publishCalendars).
 */
export interface PendingPublication {
  /** When the newest unpublished replacement was made (RFC 3339). */
  readonly since: string;
  /** Who made it: the proved key holder the audit row names. */
  readonly by: string;
}

/** A plant as the plant list shows it: its summary and whether its calendar still waits for publication. */
export interface PlantListItem extends PlantSummary {
  readonly pendingPublication: PendingPublication | null;
  /**
   * Argo CD enforces this plant's maintenance as allow windows (policy `plants[].argocd`, `maintenance: enforced`):
   * a window outside maintenance can never sync there, so it is a blocking conflict, not a warning.
   */
  readonly maintenanceEnforced: boolean;
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

interface CheckResult {
  readonly ok: boolean;
  readonly conflicts: readonly ConflictJson[];
}

interface NextWindowResult {
  readonly start: string;
  readonly end: string;
  readonly inMaintenance: boolean;
}

interface PresetInfo {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly crews: readonly string[];
  readonly cycleDays: number;
}

/** What importing a calendar file would do, shown before it is applied (plant.previewImport). */
export interface PlantImportPreview {
  /** The plant it replaces (its id), or null when the file names a new plant. */
  readonly plant: string | null;
  readonly name: string;
  readonly timeZone: string;
  /** Shifts, blackouts and maintenance added, removed and changed, and their occurrences over the next 90 days. */
  readonly diff: CalendarDiff;
  /** Whether the selected key holder may apply it, and if not, why and who may. */
  readonly allowed: boolean;
  readonly refusal: string | null;
  /** Events without SHIFT, BLACKOUT or MAINTENANCE (after the mapping given), to map before importing. */
  readonly uncategorised: UncategorisedEvents;
  /** A loud warning when events would import without a category (their blackouts would block nothing). */
  readonly warning: string | null;
}

// ---------- input schemas ----------

const categoryRule = z
  .object({
    by: z.enum(["summary", "category", "color"]),
    match: boundedText(200),
    as: z.enum(["SHIFT", "BLACKOUT", "MAINTENANCE"]),
  })
  .strict();

const importFile = {
  ics: z.string().min(1).max(BOUNDS.icsChars),
  /**
   * How events without CATEGORIES become shifts, blackouts or maintenance (first matching rule); an empty list
   * imports them without a category on purpose.
   */
  mapping: z.array(categoryRule).max(100).optional(),
  fileName: boundedText(255).optional(),
  /** The zone to use when the calendar has no X-WR-TIMEZONE. */
  timeZone: boundedText(64).optional(),
};

const rfc3339 = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i, "an RFC 3339 time")
  .refine((t) => !Number.isNaN(Date.parse(t)), "a valid RFC 3339 time")
  .refine(inYears, YEARS_MESSAGE);
/** A duration such as 90m or PT2H, positive and at most `maxMs` long (it sets how far the engine expands). */
const duration = (maxMs: number, what: string) =>
  z
    .string()
    .max(40)
    .regex(/^(\d+[dhms])+$|^P/i, "a duration such as 90m, 2h, 1h30m or PT2H")
    .superRefine((text, ctx) => {
      const ms = parseDurationText(text);
      if (ms === null) ctx.addIssue({ code: "custom", message: "a duration such as 90m, 2h, 1h30m or PT2H" });
      else if (ms > maxMs)
        ctx.addIssue({ code: "custom", message: `${what} may be at most ${maxMs / 3_600_000} hours` });
    });
const HOUR_MS = 3_600_000;
const buffer = duration(BOUNDS.bufferHours * HOUR_MS, "the buffer");
const otherText = boundedText(200).nullish();

/** Another planned change, as `--changes` holds it. */
const plannedChangeSchema = z
  .object({
    id: boundedText(100),
    plants: z.array(plantName).max(BOUNDS.plantRefs),
    start: rfc3339,
    end: rfc3339,
    area: otherText,
    environment: otherText,
    implementer: otherText,
  })
  .strict();

const changeDescription = {
  /** The change being placed, so it is not counted against itself when rescheduled. */
  id: boundedText(100).nullish(),
  plants: plantRefs,
  area: otherText,
  environment: otherText,
  implementer: otherText,
  changes: z.array(plannedChangeSchema).max(BOUNDS.plannedChanges).default([]),
  buffer: buffer.optional(),
};

export const calendarMethods = {
  "plant.list": method<readonly PlantListItem[]>()({ input: z.object({}).strict(), mutates: false }),
  // The plants a change may name (policy.yaml's plants:, else the register's calendar): the change form's picker.
  "plant.known": method<KnownPlants>()({ input: z.object({}).strict(), mutates: false }),
  "plant.get": method<PlantDetail>()({ input: z.object({ plant: plantName }).strict(), mutates: false }),
  "plant.import": method<PlantSummary>()({
    input: z
      .object({
        ...importFile,
        /** Replace the calendar of a plant with the same name instead of refusing. */
        replace: z.boolean().default(false),
      })
      .strict(),
    mutates: true,
  }),
  "plant.previewImport": method<PlantImportPreview>()({ input: z.object(importFile).strict(), mutates: false }),
  "plant.export": method<{ readonly fileName: string; readonly ics: string }>()({
    input: z.object({ plant: plantName }).strict(),
    mutates: false,
  }),
  "plant.applyPreset": method<PlantSummary>()({
    input: z
      .object({
        preset: boundedText(64),
        /** An existing plant (its SHIFT events are replaced, blackouts and maintenance kept) or a new plant's name. */
        plant: plantName,
        timeZone: boundedText(64).optional(),
        anchor: boundedDate,
      })
      .strict(),
    mutates: true,
  }),
  "plant.remove": method<PlantSummary>()({
    input: z.object({ plant: plantName, reason: boundedText(2000, { emptyOk: true }).optional() }).strict(),
    mutates: true,
  }),
  "calendar.feed": method<{ readonly fileName: string; readonly ics: string }>()({
    input: z
      .object({
        /** Feed title (e.g. "Berlin Assembly changes"). */
        name: boundedText(200),
        changes: z
          .array(
            z
              .object({
                id: boundedText(100),
                title: boundedText(200, { emptyOk: true }),
                start: rfc3339,
                end: rfc3339,
                plants: z.array(plantName).max(BOUNDS.plantRefs),
                status: boundedText(50).nullish(),
                url: z.string().max(2_000).url().nullish(),
              })
              .strict(),
          )
          .max(BOUNDS.plannedChanges),
      })
      .strict(),
    mutates: false,
  }),
  "calendar.presets": method<readonly PresetInfo[]>()({ input: z.object({}).strict(), mutates: false }),
  "calendar.expand": method<ExpandResult>()({
    input: z
      .object({ plants: plantRefs.optional(), from: rfc3339, to: rfc3339 })
      .strict()
      .superRefine(rangeCheck("from", "to", BOUNDS.calendarRangeDays, "the range")),
    mutates: false,
  }),
  "calendar.check": method<CheckResult>()({
    input: z
      .object({ ...changeDescription, start: rfc3339, end: rfc3339 })
      .strict()
      .superRefine(rangeCheck("start", "end", BOUNDS.calendarRangeDays, "the window")),
    mutates: false,
  }),
  "calendar.nextWindow": method<NextWindowResult | null>()({
    input: z
      .object({
        ...changeDescription,
        duration: duration(BOUNDS.nextWindowDurationDays * 24 * HOUR_MS, "the duration"),
        after: rfc3339,
      })
      .strict(),
    mutates: false,
  }),
  "calendar.syncWindows": method<{
    readonly syncWindows: readonly ArgoSyncWindow[];
    readonly warnings: readonly string[];
  }>()({
    input: z.object({ plants: plantRefs.optional() }).strict(),
    mutates: false,
  }),
} as const;
