import { plantNameProblem } from "../../../shared/contract/bounds";
import { AppError } from "../../../shared/contract/index";
import type { PlantDetail, PlantImportPreview, PlantSummary } from "../../../shared/contract/methods/calendar";
import {
  applyCategoryMapping,
  type CalendarDiff,
  type CategoryRule,
  describeCalendarDiff,
  diffCalendars,
  type PlantCalendar,
  parsePlantCalendar,
  plantName,
  type UncategorisedEvents,
  uncategorisedEvents,
} from "../../../shared/domain/calendar/index";
import type { AuditInput, Handlers } from "../dispatch";
import type { RegisterAuditInput } from "../register/audit";
import type { CoreServices } from "../services";
import { type CalendarRightsSource, calendarReplacer } from "./calendar-rights";
import { findPlant, toSummary } from "./plant-store";

/** An imported file as the preview and the import read it. */
interface ImportFile {
  readonly ics: string;
  readonly fileName?: string;
  readonly timeZone?: string;
  readonly mapping?: readonly CategoryRule[];
}

/** The loud warning of a calendar whose events would import without a Shiftgate category; null when none. */
export function uncategorisedWarning(u: UncategorisedEvents): string | null {
  if (u.count === 0) return null;
  const what =
    u.count === u.total
      ? `None of its ${u.total} events has a category`
      : `${u.count} of its ${u.total} events have no category`;
  return `${what} (CATEGORIES: SHIFT, BLACKOUT or MAINTENANCE), as plain Google or Apple exports do: they would block nothing and open no window. Map them by summary, category or colour before importing.`;
}

/**
 * Parses an import (after its category mapping) and checks the plant name inside it; preview and import read a
 * file the same way. `ics` is the text to store: the file with the mapping's CATEGORIES written in.
 */
export function readImportFile(input: ImportFile): {
  readonly file: string;
  readonly cal: PlantCalendar;
  readonly name: string;
  readonly ics: string;
  readonly uncategorised: UncategorisedEvents;
} {
  const file = input.fileName ?? "pasted calendar";
  // Parsed first as given: a broken file is reported with its own line numbers, before any mapping is applied.
  parsePlantCalendar(input.ics, { file, timeZone: input.timeZone });
  const ics = input.mapping ? applyCategoryMapping(input.ics, input.mapping) : input.ics;
  const cal = parsePlantCalendar(ics, { file, timeZone: input.timeZone });
  const name = plantName(cal).trim();
  // The name comes from inside the file (X-WR-CALNAME), past the contract's checks: same rule, checked here.
  const problem = plantNameProblem(name);
  if (problem) {
    throw new AppError(
      "calendar-invalid",
      `The calendar's name (X-WR-CALNAME) ${problem}; give the plant a name in the file and import it again.`,
      { file },
    );
  }
  return { file, cal, name, ics, uncategorised: uncategorisedEvents(ics) };
}

const calendarOf = (p: PlantDetail): PlantCalendar =>
  parsePlantCalendar(p.ics, { file: `${p.id}.ics`, timeZone: p.timeZone });

/** The proved key holder allowed to replace this plant's calendar; throws `forbidden` naming who may. */
export function requireReplacer(
  rights: CalendarRightsSource,
  plant: { readonly id: string; readonly name: string },
): string {
  const verdict = calendarReplacer(rights, plant);
  if (verdict instanceof AppError) throw verdict;
  return verdict.email;
}

/**
 * The audit row of an import: a new plant's as before; a replacement's names the replacer (checked here, before
 * any write, so a refusal leaves everything as it was) and carries the diff. The repository keeps the old calendar
 * until a policy-admin publishes (gitops.publishCalendars), hence `publication: pending`.
 */
export function importAuditRow(
  rights: CalendarRightsSource,
  existing: PlantDetail | null,
  cal: PlantCalendar,
  now: number,
): (plantId: string, after: PlantSummary) => AuditInput {
  if (!existing) return (entityId, after) => ({ action: "plant.import", entity: "plant", entityId, after });
  const actor = requireReplacer(rights, existing);
  const diff: CalendarDiff = diffCalendars(calendarOf(existing), cal, now);
  return (entityId, after): RegisterAuditInput => ({
    action: "plant.replace-calendar",
    entity: "plant",
    entityId,
    before: toSummary(existing),
    after: { ...after, diff, publication: "pending" },
    reason: describeCalendarDiff(diff),
    actor,
  });
}

/** `plant.previewImport`: what importing the file would change, and whether the key holder may apply it. */
export function previewHandler(services: CoreServices): Pick<Handlers, "plant.previewImport"> {
  const db = services.register.db;
  const rights = { db, gitopsDir: services.gitopsDir };
  return {
    "plant.previewImport": (input, ctx) => {
      const { cal, name, uncategorised } = readImportFile(input);
      const existing = findPlant(db, name);
      const verdict = existing ? calendarReplacer(rights, existing) : null;
      return {
        plant: existing?.id ?? null,
        name: existing?.name ?? name,
        timeZone: cal.timeZone,
        diff: diffCalendars(existing ? calendarOf(existing) : null, cal, ctx.clock.now().getTime()),
        allowed: !(verdict instanceof AppError),
        refusal: verdict instanceof AppError ? verdict.message : null,
        uncategorised,
        warning: uncategorisedWarning(uncategorised),
      } satisfies PlantImportPreview;
    },
  };
}
