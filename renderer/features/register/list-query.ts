import type {
  Area,
  ChangeSortField,
  ChangeStatus,
  ChangeType,
  MethodInput,
  RiskClass,
  Stage,
} from "../../../shared/contract/index";

/** What the register list shows: filters as the person set them, before they become a change.list input. */
export interface ListQuery {
  readonly q: string;
  readonly status: ChangeStatus | "";
  readonly type: ChangeType | "";
  readonly area: Area | "";
  readonly risk: RiskClass | "";
  readonly environment: Stage | "";
  readonly plant: string;
  /** Local days, yyyy-mm-dd, as a date input gives them. */
  readonly windowFrom: string;
  readonly windowTo: string;
  readonly sort: { readonly field: ChangeSortField; readonly dir: "asc" | "desc" };
}

export const EMPTY_QUERY: ListQuery = {
  q: "",
  status: "",
  type: "",
  area: "",
  risk: "",
  environment: "",
  plant: "",
  windowFrom: "",
  windowTo: "",
  sort: { field: "updatedAt", dir: "desc" },
};

/** The local midnight starting a yyyy-mm-dd day, as an RFC 3339 instant; `plusDays` moves it. */
function localMidnight(day: string, plusDays = 0): string | undefined {
  const d = new Date(`${day}T00:00:00`);
  if (Number.isNaN(d.getTime())) return undefined;
  d.setDate(d.getDate() + plusDays);
  return d.toISOString();
}

const one = <T extends string>(value: T | ""): T[] | undefined => (value === "" ? undefined : [value]);

/** The change.list input of a list query, without its page. */
export function listInput(query: ListQuery): Omit<MethodInput<"change.list">, "page" | "pageSize"> {
  const plant = query.plant.trim().toLowerCase();
  const q = query.q.trim();
  return {
    q: q === "" ? undefined : q,
    status: one(query.status),
    type: one(query.type),
    area: one(query.area),
    risk: one(query.risk),
    environment: one(query.environment),
    plant: plant === "" ? undefined : [plant],
    windowFrom: query.windowFrom ? localMidnight(query.windowFrom) : undefined,
    // The "to" day is inclusive for people, so the bound is the next midnight.
    windowTo: query.windowTo ? localMidnight(query.windowTo, 1) : undefined,
    sort: query.sort,
  };
}

/** True when any filter narrows the list. */
export function isFiltered(query: ListQuery): boolean {
  const { sort: _sort, ...filters } = query;
  return Object.values(filters).some((v) => v !== "");
}

/** Why a query cannot match anything as set (a "from" day after the "to" day), in words to act on; else null. */
export function queryProblem(query: ListQuery): string | null {
  if (query.windowFrom !== "" && query.windowTo !== "" && query.windowFrom > query.windowTo) {
    return `The window "from" day (${query.windowFrom}) is after the "to" day (${query.windowTo}), so no change could match. Swap the two days or clear one.`;
  }
  return null;
}

/** The filters in effect, as label and value, for a hint naming what narrows the list. */
export function activeFilters(query: ListQuery): readonly { readonly key: keyof ListQuery; readonly label: string }[] {
  const labels: Partial<Record<keyof ListQuery, string>> = {
    q: "search",
    status: "status",
    type: "type",
    area: "area",
    risk: "risk",
    environment: "environment",
    plant: "plant",
    windowFrom: "window from",
    windowTo: "window to",
  };
  return (Object.keys(labels) as (keyof ListQuery)[])
    .filter((key) => key !== "sort" && query[key] !== "")
    .map((key) => ({ key, label: `${labels[key]}: ${String(query[key])}` }));
}
