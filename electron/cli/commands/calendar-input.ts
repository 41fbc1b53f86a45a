import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { BOUNDS } from "../../../shared/contract/bounds";
import { AppError } from "../../../shared/contract/index";
import {
  applyCategoryMapping,
  type CategoryRule,
  type PlannedChange,
  type PlantCalendar,
  parseDurationText,
  parseInstant,
  parsePlantCalendar,
  uncategorisedEvents,
} from "../../../shared/domain/calendar/index";
import { UsageError } from "../args";
import type { CliIo } from "../io";

/** Reads a file named on the command line; a missing or unreadable file is bad input (exit 2). */
export function readInputFile(io: CliIo, file: string): string {
  try {
    return readFileSync(resolve(io.cwd, file), "utf8");
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a folder" : "cannot be read";
    throw new AppError("invalid-input", `${file}: ${why}`, { file });
  }
}

/**
 * Reads and parses the plant calendars named by --ics (each refused whole with file and line when broken), with
 * the --map rules written in as CATEGORIES. A calendar whose events carry no category at all is said loudly on
 * standard error: its blackouts would block nothing.
 */
export function readCalendars(
  io: CliIo,
  files: readonly string[],
  timeZone?: string,
  mapping: readonly CategoryRule[] = [],
): PlantCalendar[] {
  return files.map((file) => {
    const raw = readInputFile(io, file);
    parsePlantCalendar(raw, { file, timeZone });
    const text = mapping.length > 0 ? applyCategoryMapping(raw, mapping) : raw;
    const u = uncategorisedEvents(text);
    if (u.count > 0 && u.count === u.total)
      io.stderr(
        `warning: ${file}: none of its ${u.total} events has a category (SHIFT, BLACKOUT, MAINTENANCE), so it blocks nothing; map them with --map summary:TEXT=BLACKOUT (or category:NAME=…, color:VALUE=…)\n`,
      );
    return parsePlantCalendar(text, { file, timeZone });
  });
}

/** `--map by:match=CATEGORY` rules (by: summary, category or color), or a usage error naming the bad one. */
export function mapFlags(values: readonly string[] | undefined): CategoryRule[] {
  return (values ?? []).map((v) => {
    const m = /^(summary|category|color):(.+)=(SHIFT|BLACKOUT|MAINTENANCE)$/i.exec(v);
    if (!m?.[1] || !m[2] || !m[3])
      throw new UsageError(
        `--map ${JSON.stringify(v)} must be summary:TEXT=BLACKOUT (or category:…, color:…; SHIFT, BLACKOUT, MAINTENANCE)`,
      );
    return {
      by: m[1].toLowerCase() as CategoryRule["by"],
      match: m[2],
      as: m[3].toUpperCase() as CategoryRule["as"],
    };
  });
}

/** An RFC 3339 instant from a flag, or a usage error naming the flag. */
export function instantFlag(value: string, flag: string): number {
  const t = parseInstant(value);
  if (t === null)
    throw new UsageError(`--${flag} ${JSON.stringify(value)} is not an RFC 3339 time (2026-03-07T19:00:00-06:00)`);
  const year = new Date(t).getUTCFullYear();
  if (year < BOUNDS.minYear || year > BOUNDS.maxYear)
    throw new UsageError(
      `--${flag} ${JSON.stringify(value)} must lie in the years ${BOUNDS.minYear} to ${BOUNDS.maxYear}`,
    );
  return t;
}

/** Refuses a range that ends before it starts or spans more than maxDays (docs/contract-bounds.md), as the contract does. */
export function rangeFlags(from: number, to: number, maxDays: number, flag: string): void {
  if (!(to > from)) throw new UsageError(`--${flag} must end after it starts`);
  if (to - from > maxDays * 86_400_000) throw new UsageError(`--${flag} may span at most ${maxDays} days`);
}

/** A duration from a flag (`90m`, `2h`, `1h30m`, `PT2H`), or a usage error naming the flag. */
export function durationFlag(value: string | undefined, flag: string, fallback: number, maxHours: number): number {
  if (value === undefined) return fallback;
  const ms = parseDurationText(value);
  if (ms === null) throw new UsageError(`--${flag} ${JSON.stringify(value)} is not a duration (90m, 2h, 1h30m, PT2H)`);
  if (ms > maxHours * 3_600_000) throw new UsageError(`--${flag} may be at most ${maxHours} hours`);
  return ms;
}

/** Reads the --changes file: a JSON array of {id, plants, start, end, area, environment, implementer}. */
export function readChanges(io: CliIo, file: string | undefined): PlannedChange[] {
  if (file === undefined) return [];
  const text = readInputFile(io, file);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new AppError(
      "invalid-input",
      `${file}: not valid JSON (${error instanceof Error ? error.message : "parse error"})`,
      { file },
    );
  }
  if (!Array.isArray(data)) throw new AppError("invalid-input", `${file}: expected a JSON array of changes`, { file });
  return data.map((item: unknown, i) => readChange(item, `${file}: change ${i + 1}`));
}

function readChange(item: unknown, where: string): PlannedChange {
  if (typeof item !== "object" || item === null) throw new AppError("invalid-input", `${where} is not an object`);
  const o = item as Record<string, unknown>;
  const text = (key: string, requiredField: boolean): string | null => {
    const v = o[key];
    if (v === undefined || v === null) {
      if (requiredField) throw new AppError("invalid-input", `${where} has no "${key}"`);
      return null;
    }
    if (typeof v !== "string") throw new AppError("invalid-input", `${where}: "${key}" must be a string`);
    return v;
  };
  const id = text("id", true) ?? "";
  const time = (key: string): number => {
    const t = parseInstant(text(key, true) ?? "");
    if (t === null) throw new AppError("invalid-input", `${where} (${id}): "${key}" is not an RFC 3339 time`);
    return t;
  };
  const plants = o.plants;
  if (!Array.isArray(plants) || !plants.every((p) => typeof p === "string")) {
    throw new AppError("invalid-input", `${where} (${id}): "plants" must be an array of plant names`);
  }
  const start = time("start");
  const end = time("end");
  if (end < start) throw new AppError("invalid-input", `${where} (${id}): ends before it starts`);
  return {
    id,
    plants: plants as string[],
    start,
    end,
    area: text("area", false),
    environment: text("environment", false),
    implementer: text("implementer", false),
  };
}
