import {
  AREAS,
  CHANGE_SORT_FIELDS,
  CHANGE_STATUSES,
  CHANGE_TYPES,
  RISK_CLASSES,
  STAGES,
} from "../../../shared/contract/index";
import { EMPTY_QUERY, type ListQuery } from "./list-query";

// Pure: the register list's filters and sort as the query part of its hash (`#/register?status=approved&sort=title.asc`),
// so a list can be shared, reloaded and reached with Back. A link is untrusted text: every value is checked against
// the closed sets the contract knows, and anything else is dropped (the filter reads "Any"), never passed on.

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** Plant ids as policy.yaml writes them; a filter value is lower-case. */
const PLANT = /^[a-z][a-z0-9-]{0,31}$/;
const MAX_Q = 200;

function pick<T extends string>(options: readonly T[], value: string | null): T | "" {
  return value !== null && (options as readonly string[]).includes(value) ? (value as T) : "";
}

/** A yyyy-mm-dd day that exists (not 2026-02-31), in the contract's years; else "". */
function day(value: string | null): string {
  if (value === null || !DAY.test(value)) return "";
  const [y, m, d] = value.split("-").map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  const real = date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  return real && y >= 2000 && y <= 2100 ? value : "";
}

/** Free search text: single line, no control characters, at most what change.list accepts. */
function searchText(value: string | null): string {
  if (value === null) return "";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
  if (value.length > MAX_Q || /[\u0000-\u001f\u007f\u2028\u2029\u202a-\u202e\u2066-\u2069]/.test(value)) return "";
  return value;
}

/** The list query a hash's query part names; unknown keys and hostile values are ignored. */
export function queryFromHash(hash: string): ListQuery {
  const at = hash.indexOf("?");
  if (at < 0) return EMPTY_QUERY;
  const params = new URLSearchParams(hash.slice(at + 1));
  const [field, dir] = (params.get("sort") ?? "").split(".");
  const sortField = pick(CHANGE_SORT_FIELDS, field ?? null);
  const plant = params.get("plant") ?? "";
  return {
    q: searchText(params.get("q")),
    status: pick(CHANGE_STATUSES, params.get("status")),
    type: pick(CHANGE_TYPES, params.get("type")),
    area: pick(AREAS, params.get("area")),
    risk: pick(RISK_CLASSES, params.get("risk")),
    environment: pick(STAGES, params.get("environment")),
    plant: PLANT.test(plant) ? plant : "",
    windowFrom: day(params.get("from")),
    windowTo: day(params.get("to")),
    sort:
      sortField === ""
        ? EMPTY_QUERY.sort
        : { field: sortField, dir: dir === "asc" || dir === "desc" ? dir : EMPTY_QUERY.sort.dir },
  };
}

/**
 * True when the hash carries a list query at all. A bare `#/register` (the menu, Alt+1, after a delete) keeps the
 * list as it was left; the empty list is written as the bare hash too, so it then stays empty.
 */
export function hashHasQuery(hash: string): boolean {
  return hash.includes("?");
}

/** The list hash for a query: only what differs from the empty list, in a fixed order. */
export function hashForQuery(query: ListQuery): string {
  const params = new URLSearchParams();
  const add = (key: string, value: string) => {
    if (value !== "") params.set(key, value);
  };
  add("q", query.q);
  add("status", query.status);
  add("type", query.type);
  add("area", query.area);
  add("risk", query.risk);
  add("environment", query.environment);
  add("plant", query.plant.trim().toLowerCase());
  add("from", query.windowFrom);
  add("to", query.windowTo);
  const sort = query.sort;
  if (sort.field !== EMPTY_QUERY.sort.field || sort.dir !== EMPTY_QUERY.sort.dir)
    add("sort", `${sort.field}.${sort.dir}`);
  const text = params.toString();
  return text === "" ? "#/register" : `#/register?${text}`;
}
