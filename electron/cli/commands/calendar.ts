import { stringify } from "yaml";
import { BOUNDS } from "../../../shared/contract/bounds";
import {
  argoSyncWindows,
  buildContext,
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
  parseInstant,
} from "../../../shared/domain/calendar/index";
import { parseFlags, required, UsageError } from "../args";
import { type CliIo, type ExitCode, printJson } from "../io";
import { durationFlag, instantFlag, mapFlags, rangeFlags, readCalendars, readChanges } from "./calendar-input";
import { allowEnforcedLanes, mapChangePlants, plantMapping } from "./calendar-plants";
import type { Command } from "./index";

// These commands work on the files they are given and touch no register, so CI pipelines can run them anywhere;
// they use the same pure engine (shared/domain/calendar) the core's calendar.* methods use.

const DEFAULT_BUFFER = 30 * 60_000;

async function expandCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const f = parseFlags(argv, {
    ics: { type: "string" },
    from: { type: "string" },
    to: { type: "string" },
    tz: { type: "string" },
    json: { type: "boolean" },
  });
  const from = instantFlag(required(f.from, "from"), "from");
  const to = instantFlag(required(f.to, "to"), "to");
  if (!(to > from)) throw new UsageError("--to must be after --from");
  rangeFlags(from, to, BOUNDS.calendarRangeDays, "from/--to");
  const [cal] = readCalendars(io, [required(f.ics, "ics")], f.tz);
  if (!cal) throw new UsageError("--ics is required");
  const instances = expandCalendar(cal, from, to).map((i) => instanceToJson(i, cal.zone));
  if (f.json) printJson(io, instances);
  else {
    const lines = instances.map(
      (i) => `${i.start}  ${i.end}  ${(i.category ?? "-").padEnd(11)}  ${i.summary} (${i.uid})`,
    );
    io.stdout(`${lines.join("\n")}${lines.length ? "\n" : ""}${instances.length} instances in ${cal.timeZone}\n`);
  }
  return 0;
}

const changeFlags = {
  ics: { type: "string", multiple: true },
  plant: { type: "string", multiple: true },
  area: { type: "string" },
  environment: { type: "string" },
  implementer: { type: "string" },
  changes: { type: "string" },
  policy: { type: "string" },
  buffer: { type: "string" },
  tz: { type: "string" },
  map: { type: "string", multiple: true },
  json: { type: "boolean" },
} as const;

async function checkCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const f = parseFlags(argv, { ...changeFlags, window: { type: "string" } });
  const window = required(f.window, "window");
  const [a, b, extra] = window.split("/");
  if (a === undefined || b === undefined || extra !== undefined) throw new UsageError("--window must be START/END");
  const start = instantFlag(a, "window");
  const end = instantFlag(b, "window");
  rangeFlags(start, end, BOUNDS.calendarRangeDays, "window");
  const buffer = durationFlag(f.buffer, "buffer", DEFAULT_BUFFER, BOUNDS.bufferHours);
  const calendars = readCalendars(io, required(f.ics, "ics"), f.tz, mapFlags(f.map));
  const toLane = plantMapping(io, calendars, f.policy);
  const plants = required(f.plant, "plant").map((p) => toLane(p, "--plant"));
  const changes = mapChangePlants(readChanges(io, f.changes), toLane);
  const range = checkRange(start, end, buffer);
  const ctx = {
    ...buildContext(calendars, range.from, range.to, changes, buffer),
    allowEnforced: allowEnforcedLanes(io, calendars, f.policy),
  };
  const result = checkWindow(ctx, {
    plants,
    start,
    end,
    area: f.area,
    environment: f.environment,
    implementer: f.implementer,
  });
  const zone = firstZone(ctx, plants);
  const conflicts = result.conflicts.map((c) => conflictToJson(c, ctx, zone));
  if (f.json) printJson(io, { ok: result.ok, conflicts });
  else {
    const head = result.ok ? "ok: no blocking conflict" : "NOT ok: the window has blocking conflicts";
    const lines = conflicts.map(
      (c) => `  ${c.kind.padEnd(19)} ${c.plant ?? "-"}  ${c.with ?? "-"}  ${c.start} – ${c.end}`,
    );
    io.stdout(`${[head, ...lines].join("\n")}\n`);
  }
  return result.ok ? 0 : 1;
}

async function nextWindowCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const f = parseFlags(argv, { ...changeFlags, duration: { type: "string" }, after: { type: "string" } });
  const after = instantFlag(required(f.after, "after"), "after");
  const duration = durationFlag(required(f.duration, "duration"), "duration", 0, BOUNDS.nextWindowDurationDays * 24);
  if (duration <= 0) throw new UsageError("--duration must be positive");
  const buffer = durationFlag(f.buffer, "buffer", DEFAULT_BUFFER, BOUNDS.bufferHours);
  const calendars = readCalendars(io, required(f.ics, "ics"), f.tz, mapFlags(f.map));
  const toLane = plantMapping(io, calendars, f.policy);
  const plants = required(f.plant, "plant").map((p) => toLane(p, "--plant"));
  const changes = mapChangePlants(readChanges(io, f.changes), toLane);
  const ctx = buildContext(
    calendars,
    after - duration - buffer - DAY,
    after + DEFAULT_HORIZON_MS + duration + buffer + DAY,
    changes,
    buffer,
  );
  const found = findNextWindow(ctx, {
    plants,
    durationMs: duration,
    after,
    area: f.area,
    environment: f.environment,
    implementer: f.implementer,
  });
  const zone = firstZone(ctx, plants);
  const value = found
    ? {
        start: formatInstant(zone, found.start),
        end: formatInstant(zone, found.end),
        inMaintenance: found.inMaintenance,
      }
    : { start: null, end: null, inMaintenance: false };
  if (f.json) printJson(io, value);
  else if (found) io.stdout(`${value.start} – ${value.end}${found.inMaintenance ? " (inside maintenance)" : ""}\n`);
  else io.stdout("No safe window within a year.\n");
  return found ? 0 : 1;
}

async function syncWindowsCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const f = parseFlags(argv, {
    ics: { type: "string", multiple: true },
    format: { type: "string" },
    json: { type: "boolean" },
    yaml: { type: "boolean" },
    from: { type: "string" },
    tz: { type: "string" },
    application: { type: "string", multiple: true },
    namespace: { type: "string", multiple: true },
    cluster: { type: "string", multiple: true },
  });
  const format = f.format ?? "argocd";
  if (format !== "argocd") throw new UsageError(`--format ${format} is not supported (argocd)`);
  if (f.json && f.yaml) throw new UsageError("give --json or --yaml, not both");
  const now = f.from === undefined ? Date.now() : (parseInstant(f.from) ?? Number.NaN);
  if (Number.isNaN(now)) throw new UsageError("--from is not an RFC 3339 time");
  const calendars = readCalendars(io, required(f.ics, "ics"), f.tz);
  const scope = { applications: f.application ?? [], namespaces: f.namespace ?? [], clusters: f.cluster ?? [] };
  // One plant's windows must not hold every application: the selectors are said, never assumed.
  if (scope.applications.length + scope.namespaces.length + scope.clusters.length === 0)
    throw new UsageError(
      "name the Argo CD applications (--application, '*' for all), --namespace or --cluster the windows hold",
    );
  const plan = argoSyncWindows(
    calendars.map((calendar) => ({ plant: calendar.name ?? calendar.file, calendar, scope })),
    now,
  );
  for (const w of plan.warnings) io.stderr(`warning: ${w}\n`);
  const value = { syncWindows: plan.windows, warnings: plan.warnings };
  if (f.json) printJson(io, value);
  else io.stdout(stringify(value));
  return 0;
}

/** The `shiftgate calendar ...` sub-commands (contract: docs/calendars.md). */
export const calendarCommands: readonly Command[] = [
  {
    words: ["calendar", "expand"],
    usage: "calendar expand --ics FILE --from ISO --to ISO [--tz ZONE] [--json]",
    summary: "Every calendar instance overlapping [from, to), in the plant's zone",
    run: expandCommand,
  },
  {
    words: ["calendar", "check"],
    usage:
      "calendar check --ics FILE... --window START/END --plant NAME... [--map summary:TEXT=BLACKOUT...] [--area A] [--environment E] [--implementer EMAIL] [--changes FILE] [--policy FILE] [--buffer 30m] [--json]",
    summary: "Check a release window against plant calendars and other changes (exit 1 on conflicts)",
    run: checkCommand,
  },
  {
    words: ["calendar", "next-window"],
    usage:
      "calendar next-window --ics FILE... --plant NAME... --duration 2h --after ISO [--changes FILE] [--policy FILE] [--json]",
    summary: "The earliest safe window of that length, preferring maintenance windows",
    run: nextWindowCommand,
  },
  {
    words: ["calendar", "sync-windows"],
    usage:
      "calendar sync-windows --ics FILE... --application NAME...|--namespace NS...|--cluster C... --format argocd --json|--yaml [--from ISO]",
    summary: "Argo CD AppProject syncWindows (deny blackouts, allow maintenance)",
    run: syncWindowsCommand,
  },
];
