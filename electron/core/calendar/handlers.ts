import { AppError } from "../../../shared/contract/index";
import type { PlantDetail } from "../../../shared/contract/methods/calendar";
import {
  argoSyncWindows,
  buildContext,
  changesFeedIcs,
  checkRange,
  checkWindow,
  conflictToJson,
  DAY,
  DEFAULT_HORIZON_MS,
  expandCalendar,
  findNextWindow,
  firstZone,
  formatInstant,
  instanceToJson,
  nameKey,
  type PlannedChange,
  type PlantCalendar,
  parseDurationText,
  parseInstant,
  parsePlantCalendar,
  presetCalendarIcs,
  presetEvents,
  replaceShiftEvents,
  SHIFT_PRESETS,
  shiftPreset,
} from "../../../shared/domain/calendar/index";
import { type KnownPlant, unknownPlantMessage } from "../../../shared/domain/policy/index";
import type { Handlers } from "../dispatch";
import type { RegisterAuditInput } from "../register/audit";
import type { CoreServices } from "../services";
import {
  importAuditRow,
  previewHandler,
  readImportFile,
  requireReplacer,
  uncategorisedWarning,
} from "./import-handlers";
import { knownPlants } from "./known-plants";
import { findPlant, insertPlant, listPlants, removePlant, toSummary, updatePlant } from "./plant-store";
import { pendingPublication } from "./publication";
import { allowEnforcedPlants, plantWindowInputs } from "./sync-window-inputs";

type CalendarMethodName =
  | "plant.list"
  | "plant.known"
  | "plant.get"
  | "plant.import"
  | "plant.previewImport"
  | "plant.export"
  | "plant.applyPreset"
  | "plant.remove"
  | "calendar.feed"
  | "calendar.presets"
  | "calendar.expand"
  | "calendar.check"
  | "calendar.nextWindow"
  | "calendar.syncWindows";

const DEFAULT_BUFFER = 30 * 60_000;

function instant(text: string, what: string): number {
  const t = parseInstant(text);
  if (t === null) throw new AppError("invalid-input", `${what} is not an RFC 3339 time.`);
  return t;
}

function durationMs(text: string | undefined, fallback: number, what: string): number {
  if (text === undefined) return fallback;
  const ms = parseDurationText(text);
  if (ms === null) throw new AppError("invalid-input", `${what} "${text}" is not a duration (90m, 2h, 1h30m, PT2H).`);
  return ms;
}

/** Handlers for plants and the `calendar.*` methods. */
export function calendarHandlers(services: CoreServices): Pick<Handlers, CalendarMethodName> {
  const db = services.register.db;
  const plantOrThrow = (ref: string): PlantDetail => {
    const p = findPlant(db, ref);
    if (!p) throw new AppError("not-found", `There is no plant "${ref}".`, { plant: ref });
    return p;
  };
  // With a policy listing plants, a calendar is only stored for one of them, under its id (by id, name or file name).
  const policyPlantFor = (name: string, fileName: string | undefined, field: string): KnownPlant | null => {
    const known = knownPlants(db, services.gitopsDir);
    if (known.source !== "policy") return null;
    const stem = fileName?.replace(/^.*[\\/]/, "").replace(/\.ics$/i, "");
    const match = known.plants.find(
      (p) => p.id === name || p.name.toLowerCase() === name.toLowerCase() || (stem !== undefined && p.id === stem),
    );
    if (match) return match;
    throw new AppError("invalid-input", unknownPlantMessage(name, known.plants), {
      field,
      unknown: [name],
      known: known.plants.map((p) => p.id),
      source: known.source,
    });
  };
  const calendarOf = (p: PlantDetail): PlantCalendar =>
    parsePlantCalendar(p.ics, { file: `${p.id}.ics`, timeZone: p.timeZone });
  const calendarsFor = (refs: readonly string[] | undefined): PlantCalendar[] =>
    (refs ? refs.map(plantOrThrow) : listPlants(db)).map(calendarOf);
  // Changes name plants by id (change.yaml) or by name; the engine matches names.
  // A change naming a plant without a calendar here was left out of every shift check: refuse it with the known list.
  const nameOf = (ref: string, changeId: string): string => {
    const plant = findPlant(db, ref);
    if (plant) return plant.name;
    const known = knownPlants(db, services.gitopsDir);
    throw new AppError("invalid-input", `Change ${changeId}: ${unknownPlantMessage(ref, known.plants)}`, {
      field: "changes",
      plant: ref,
    });
  };
  const changesOf = (
    input: readonly {
      id: string;
      plants: readonly string[];
      start: string;
      end: string;
      area?: string | null;
      environment?: string | null;
      implementer?: string | null;
    }[],
  ): PlannedChange[] =>
    input.map((c) => ({
      ...c,
      plants: c.plants.map((p) => nameOf(p, c.id)),
      start: instant(c.start, `change ${c.id} start`),
      end: instant(c.end, `change ${c.id} end`),
    }));
  const rights = { db, gitopsDir: services.gitopsDir };
  return {
    ...previewHandler(services),
    "plant.list": () => {
      const plants = listPlants(db);
      const enforced = allowEnforcedPlants(db, services.gitopsDir, plants);
      return plants.map((p) => ({
        ...toSummary(p),
        pendingPublication: pendingPublication(db, services.gitopsDir, p),
        maintenanceEnforced: enforced.has(nameKey(p.name)),
      }));
    },
    "plant.known": () => {
      const known = knownPlants(db, services.gitopsDir);
      // The form's picker needs who the plants are; their Argo CD selectors stay with the sync windows.
      return { ...known, plants: known.plants.map(({ argocd: _argocd, ...p }) => p) };
    },
    "plant.get": (input) => plantOrThrow(input.plant),
    "plant.import": (input, ctx) => {
      const { cal, name, ics, uncategorised } = readImportFile(input);
      // A calendar with no category at all would be a plant with no blackouts: it needs a mapping (an empty one
      // imports it as it is, on purpose).
      if (!input.mapping && uncategorised.count > 0 && uncategorised.count === uncategorised.total)
        throw new AppError("calendar-invalid", uncategorisedWarning(uncategorised) ?? "", {
          reason: "uncategorised",
          uncategorised,
        });
      const record = {
        name,
        timeZone: cal.timeZone,
        ics,
        source: input.fileName ?? null,
        eventCount: cal.series.length,
      };
      const known = policyPlantFor(name, input.fileName, "ics");
      const existing = (known && findPlant(db, known.id)) || findPlant(db, name);
      if (existing && !input.replace) {
        throw new AppError(
          "conflict",
          `A plant called "${existing.name}" exists; import with replace to update its calendar.`,
          { plant: existing.id },
        );
      }
      // Who may replace is checked here, before any write; the row carries the replacer and the diff.
      const auditRow = importAuditRow(rights, existing, cal, ctx.clock.now().getTime());
      const saved = existing
        ? updatePlant(db, ctx.clock, existing.id, record)
        : insertPlant(db, ctx.clock, record, known?.id);
      ctx.audit(auditRow(saved.id, toSummary(saved)));
      // A calendar change is what makes the published sync windows stale (gitops/republish.ts listens).
      ctx.emit("register.changed", { entity: "plant", id: saved.id });
      return toSummary(saved);
    },
    "plant.export": (input) => {
      const p = plantOrThrow(input.plant);
      return { fileName: `${p.id}.ics`, ics: p.ics };
    },
    "plant.applyPreset": (input, ctx) => {
      shiftPreset(input.preset);
      const stamp = ctx.clock.now().getTime();
      const known = policyPlantFor(input.plant, undefined, "plant");
      const existing = (known && findPlant(db, known.id)) || findPlant(db, input.plant);
      // A preset replaces every shift of an existing plant: the same review as importing over its calendar.
      const actor = existing ? requireReplacer(rights, existing) : undefined;
      const timeZone = input.timeZone ?? existing?.timeZone;
      if (!timeZone) throw new AppError("invalid-input", "A new plant needs its time zone.");
      const ics = existing
        ? replaceShiftEvents(existing.ics, presetEvents(input.preset, input.anchor, timeZone), stamp)
        : presetCalendarIcs(input.preset, { name: known?.name ?? input.plant, timeZone, anchor: input.anchor, stamp });
      const cal = parsePlantCalendar(ics, { file: `${input.plant}.ics`, timeZone });
      const record = {
        name: existing?.name ?? known?.name ?? input.plant,
        timeZone: cal.timeZone,
        ics,
        source: `preset:${input.preset}`,
        eventCount: cal.series.length,
      };
      const saved = existing
        ? updatePlant(db, ctx.clock, existing.id, record)
        : insertPlant(db, ctx.clock, record, known?.id);
      const entry: RegisterAuditInput = {
        action: "plant.apply-preset",
        entity: "plant",
        entityId: saved.id,
        after: { preset: input.preset, anchor: input.anchor },
        ...(actor ? { actor } : {}),
      };
      ctx.audit(entry);
      ctx.emit("register.changed", { entity: "plant", id: saved.id });
      return toSummary(saved);
    },
    "plant.remove": (input, ctx) => {
      const p = plantOrThrow(input.plant);
      // Removing drops every shift, blackout and maintenance window: the most a replacement can do.
      const actor = requireReplacer(rights, p);
      removePlant(db, ctx.clock, p.id);
      const entry: RegisterAuditInput = {
        action: "plant.remove",
        entity: "plant",
        entityId: p.id,
        before: toSummary(p),
        reason: input.reason ?? null,
        actor,
      };
      ctx.audit(entry);
      ctx.emit("register.changed", { entity: "plant", id: p.id });
      return toSummary(p);
    },
    "calendar.feed": (input, ctx) => {
      const changes = input.changes.map((c) => ({
        ...c,
        start: instant(c.start, `${c.id} start`),
        end: instant(c.end, `${c.id} end`),
      }));
      const fileName = `${
        input.name
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, "-")
          .replace(/^-|-$/g, "") || "changes"
      }.ics`;
      return { fileName, ics: changesFeedIcs(input.name, changes, ctx.clock.now().getTime()) };
    },
    "calendar.presets": () =>
      SHIFT_PRESETS.map((p) => ({
        id: p.id,
        name: p.name,
        description: p.description,
        crews: Object.keys(p.crews),
        cycleDays: Object.values(p.crews)[0]?.length ?? 0,
      })),
    "calendar.expand": (input) => {
      const from = instant(input.from, "from");
      const to = instant(input.to, "to");
      if (!(to > from)) throw new AppError("invalid-input", "to must be after from.");
      if (to - from > 400 * DAY) throw new AppError("invalid-input", "Expand at most 400 days at a time.");
      const plants = input.plants ? input.plants.map(plantOrThrow) : listPlants(db);
      const instances = plants.flatMap((p) => {
        const cal = calendarOf(p);
        return expandCalendar(cal, from, to).map((i) => ({ ...instanceToJson(i, cal.zone), plant: p.name }));
      });
      return { plants: plants.map(toSummary), instances };
    },
    "calendar.check": (input) => {
      const start = instant(input.start, "start");
      const end = instant(input.end, "end");
      const buffer = durationMs(input.buffer, DEFAULT_BUFFER, "buffer");
      const names = input.plants.map((p) => plantOrThrow(p).name);
      const range = checkRange(start, end, buffer);
      const ctx = {
        ...buildContext(calendarsFor(input.plants), range.from, range.to, changesOf(input.changes), buffer),
        allowEnforced: allowEnforcedPlants(db, services.gitopsDir, input.plants.map(plantOrThrow)),
      };
      const result = checkWindow(ctx, { ...input, plants: names, start, end });
      const zone = firstZone(ctx, names);
      return { ok: result.ok, conflicts: result.conflicts.map((c) => conflictToJson(c, ctx, zone)) };
    },
    "calendar.nextWindow": (input) => {
      const after = instant(input.after, "after");
      const d = durationMs(input.duration, 0, "duration");
      const buffer = durationMs(input.buffer, DEFAULT_BUFFER, "buffer");
      const names = input.plants.map((p) => plantOrThrow(p).name);
      const ctx = buildContext(
        calendarsFor(input.plants),
        after - d - buffer - DAY,
        after + DEFAULT_HORIZON_MS + d + buffer + DAY,
        changesOf(input.changes),
        buffer,
      );
      const found = findNextWindow(ctx, { ...input, plants: names, durationMs: d, after });
      if (!found) return null;
      const zone = firstZone(ctx, names);
      return {
        start: formatInstant(zone, found.start),
        end: formatInstant(zone, found.end),
        inMaintenance: found.inMaintenance,
      };
    },
    "calendar.syncWindows": (input, ctx) => {
      const plants = input.plants ? input.plants.map(plantOrThrow) : listPlants(db);
      const plan = argoSyncWindows(plantWindowInputs(db, services.gitopsDir, plants), ctx.clock.now().getTime());
      return { syncWindows: plan.windows, warnings: plan.warnings };
    },
  };
}
