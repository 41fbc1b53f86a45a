import { plantNameProblem } from "../../../shared/contract/bounds";
import { AppError } from "../../../shared/contract/index";
import type { PlantDetail, PlantImportPreview } from "../../../shared/contract/methods/calendar";
import {
  type CalendarDiff,
  describeCalendarDiff,
  diffCalendars,
  type PlantCalendar,
  parsePlantCalendar,
  plantName,
} from "../../../shared/domain/calendar/index";
import type { Handlers } from "../dispatch";
import type { RegisterAuditInput } from "../register/audit";
import type { CoreServices } from "../services";
import { calendarReplacer } from "./calendar-rights";
import { findPlant, insertPlant, toSummary, updatePlant } from "./plant-store";

interface ImportFile {
  readonly ics: string;
  readonly fileName?: string;
  readonly timeZone?: string;
}

/** The file parsed, the plant it names (when it exists) and what replacing it would change. */
interface ReadImport {
  readonly file: string;
  readonly calendar: PlantCalendar;
  readonly name: string;
  readonly existing: PlantDetail | null;
  readonly diff: CalendarDiff;
}

const calendarOf = (p: PlantDetail): PlantCalendar =>
  parsePlantCalendar(p.ics, { file: `${p.id}.ics`, timeZone: p.timeZone });

// Preview and import read the file the same way, so what the preview shows is what import applies.
function readImport(services: CoreServices, input: ImportFile, now: number): ReadImport {
  const file = input.fileName ?? "pasted calendar";
  const calendar = parsePlantCalendar(input.ics, { file, timeZone: input.timeZone });
  const name = plantName(calendar).trim();
  // The name comes from inside the file (X-WR-CALNAME), past the contract's checks: same rule, checked here.
  const problem = plantNameProblem(name);
  if (problem) {
    throw new AppError(
      "calendar-invalid",
      `The calendar's name (X-WR-CALNAME) ${problem}; give the plant a name in the file and import it again.`,
      { file },
    );
  }
  const existing = findPlant(services.register.db, name);
  const diff = diffCalendars(existing ? calendarOf(existing) : null, calendar, now);
  return { file, calendar, name, existing, diff };
}

/** `plant.previewImport` and `plant.import`: a replacement is shown as a diff first and applied only by those allowed. */
export function importHandlers(services: CoreServices): Pick<Handlers, "plant.previewImport" | "plant.import"> {
  const db = services.register.db;
  const rights = { db, gitopsDir: services.gitopsDir };
  return {
    "plant.previewImport": (input, ctx) => {
      const read = readImport(services, input, ctx.clock.now().getTime());
      const verdict = read.existing ? calendarReplacer(rights, read.existing) : null;
      return {
        plant: read.existing?.id ?? null,
        name: read.existing?.name ?? read.name,
        timeZone: read.calendar.timeZone,
        diff: read.diff,
        allowed: !(verdict instanceof AppError),
        refusal: verdict instanceof AppError ? verdict.message : null,
      } satisfies PlantImportPreview;
    },
    "plant.import": (input, ctx) => {
      const read = readImport(services, input, ctx.clock.now().getTime());
      const { existing } = read;
      if (existing && !input.replace) {
        throw new AppError(
          "conflict",
          `A plant called "${existing.name}" exists; import with replace to update its calendar.`,
          { plant: existing.id },
        );
      }
      const record = {
        name: read.name,
        timeZone: read.calendar.timeZone,
        ics: input.ics,
        source: input.fileName ?? null,
        eventCount: read.calendar.series.length,
      };
      if (!existing) {
        const saved = insertPlant(db, ctx.clock, record);
        ctx.audit({ action: "plant.import", entity: "plant", entityId: saved.id, after: toSummary(saved) });
        return toSummary(saved);
      }
      // Checked before any write: a refused replacement leaves the plant, its calendar and the audit chain as they were.
      const actor = requireReplacer(rights, existing);
      const saved = updatePlant(db, ctx.clock, existing.id, record);
      const entry: RegisterAuditInput = {
        action: "plant.replace-calendar",
        entity: "plant",
        entityId: saved.id,
        before: toSummary(existing),
        // The repository still holds the old calendar until a policy-admin publishes (gitops.publishCalendars).
        after: { ...toSummary(saved), diff: read.diff, publication: "pending" },
        reason: describeCalendarDiff(read.diff),
        actor,
      };
      ctx.audit(entry);
      return toSummary(saved);
    },
  };
}

/** The proved key holder allowed to replace this plant's calendar; throws `forbidden` naming who may. */
export function requireReplacer(
  rights: Parameters<typeof calendarReplacer>[0],
  plant: { readonly id: string; readonly name: string },
): string {
  const verdict = calendarReplacer(rights, plant);
  if (verdict instanceof AppError) throw verdict;
  return verdict.email;
}
