import type { ChangeSortField, ChangeSummary, ListPage } from "../../../shared/contract/index";
import { type NumberQuery, parseNumberQuery, provisionalNumber } from "../../../shared/domain/register/change-number";
import {
  type Area,
  CHANGE_STATUSES,
  type ChangeStatus,
  type ChangeType,
  type RiskClass,
  type Stage,
} from "../../../shared/domain/register/vocabulary";
import { type ChangeRow, RISK_RANK, toSummary } from "./change-rows";
import type { Db } from "./db";
import { stmt } from "./statements";

/** The filters of the register list, as the contract parses them. */
interface ChangeListQuery {
  readonly status?: readonly ChangeStatus[];
  readonly type?: readonly ChangeType[];
  readonly plant?: readonly string[];
  readonly area?: readonly Area[];
  readonly risk?: readonly RiskClass[];
  readonly environment?: readonly Stage[];
  readonly windowFrom?: string;
  readonly windowTo?: string;
  readonly unscheduled?: boolean;
  readonly q?: string;
  readonly sort: { readonly field: ChangeSortField; readonly dir: "asc" | "desc" };
  readonly page: number;
  readonly pageSize: number;
}

// Status sorts in lifecycle order, not alphabetically.
const STATUS_ORDER = `CASE status ${CHANGE_STATUSES.map((s, i) => `WHEN '${s}' THEN ${i}`).join(" ")} END`;

const SORT_SQL: Readonly<Record<ChangeSortField, string>> = {
  updatedAt: "updated_at",
  // Creation order is insertion order: rid needs no index of its own and a search can page by it alone.
  createdAt: "rid",
  windowStart: "window_start_ms",
  title: "title COLLATE NOCASE",
  status: STATUS_ORDER,
  risk: "risk_rank",
  number: "number",
};

/** Above this many matches a search sorted by update time walks the index instead of sorting the matches. */
const DENSE_MATCHES = 2_000;

/**
 * Turns what a person types into an FTS5 query: every word must appear, the last may be a prefix
 * (search as you type). Words are quoted, so FTS5 syntax in the input is searched for, never run.
 */
function ftsQuery(q: string): string | null {
  const words = q.match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length === 0) return null;
  return words.map((w, i) => `"${w}"${i === words.length - 1 ? "*" : ""}`).join(" ");
}

function inList(column: string, values: readonly (string | number)[], where: string[], params: unknown[]): void {
  if (values.length === 0) return;
  where.push(`${column} IN (${values.map(() => "?").join(", ")})`);
  params.push(...values);
}

function numberFilter(db: Db, q: NumberQuery, where: string[], params: unknown[]): void {
  if (q.kind === "chg") {
    // A number this change had before a renumbering on push finds it too (exact only: an alias is not typed as a start).
    where.push("(number = ? OR number LIKE ? OR id IN (SELECT change_id FROM change_aliases WHERE number = ?))");
    params.push(q.exact ?? q.prefix, `${q.prefix}%`, q.exact ?? "");
    return;
  }
  // A provisional number is a hash of the id: compare it over the changes that have no CHG number yet.
  const ids = (stmt(db, "SELECT id FROM changes WHERE number IS NULL AND deleted_at IS NULL").pluck().all() as string[])
    .filter((id) => provisionalNumber(id) === q.number)
    .slice(0, 100);
  where.push(ids.length > 0 ? `id IN (${ids.map(() => "?").join(", ")})` : "0");
  params.push(...ids);
}

/** One page of live changes matching the filters, sorted, with the total count. */
export function listChanges(db: Db, query: ChangeListQuery, now: Date): ListPage<ChangeSummary> {
  const summarise = (r: ChangeRow): ChangeSummary => toSummary(r, now.getTime());
  const where = ["deleted_at IS NULL"];
  const params: unknown[] = [];
  inList("status", query.status ?? [], where, params);
  inList("type", query.type ?? [], where, params);
  inList("area", query.area ?? [], where, params);
  inList("environment", query.environment ?? [], where, params);
  inList(
    "risk_rank",
    (query.risk ?? []).map((r) => RISK_RANK[r]),
    where,
    params,
  );
  const plants = query.plant ?? [];
  if (plants.length > 0) {
    const bits = plants.map((p) => stmt(db, "SELECT bit FROM plant_bits WHERE plant = ?").pluck().get(p));
    if (bits.every((b) => typeof b === "number")) {
      // Inside the covering index: no table or change_plants reads for counting.
      where.push("(plant_mask & ?) <> 0");
      params.push((bits as number[]).reduce((mask, b) => mask + 2 ** b, 0));
    } else {
      where.push(
        `EXISTS (SELECT 1 FROM change_plants WHERE change_id = changes.id AND plant IN (${plants.map(() => "?").join(", ")}))`,
      );
      params.push(...plants);
    }
  }
  // Overlap with [windowFrom, windowTo): changes without a window never match a window filter.
  if (query.windowFrom !== undefined) {
    where.push("window_end_ms > ?");
    params.push(Date.parse(query.windowFrom));
  }
  if (query.windowTo !== undefined) {
    where.push("window_start_ms < ?");
    params.push(Date.parse(query.windowTo));
  }
  // The calendar's unscheduled tray: changes that have no window yet.
  if (query.unscheduled === true) where.push("window_start_ms IS NULL");
  // A change number (CHG or provisional, as the screens show it) is looked up by number, not as words.
  const asNumber = query.q !== undefined ? parseNumberQuery(query.q) : null;
  if (asNumber !== null) numberFilter(db, asNumber, where, params);
  const match = query.q !== undefined && asNumber === null ? ftsQuery(query.q) : null;
  if (match !== null) {
    where.push("rid IN (SELECT rowid FROM change_fts WHERE change_fts MATCH ?)");
    params.push(match);
  }
  const clause = where.join(" AND ");
  const dir = query.sort.dir === "asc" ? "ASC" : "DESC";
  const order = `${SORT_SQL[query.sort.field]} ${dir} NULLS LAST, rid ${dir}`;
  const offset = (query.page - 1) * query.pageSize;
  const plainSearch = match !== null && where.length === 2;
  // Tombstones are not in the full-text index, so it counts a plain search alone.
  const searchTotal = plainSearch
    ? (stmt(db, "SELECT count(*) FROM change_fts WHERE change_fts MATCH ?").pluck().get(match) as number)
    : null;
  if (searchTotal !== null && searchTotal > DENSE_MATCHES && query.sort.field === "updatedAt") {
    // Many matches: walk the update-time index and stop at the page, rather than sort every match.
    const rids = stmt(
      db,
      `SELECT rid FROM changes INDEXED BY changes_updated WHERE ${clause} ORDER BY ${order} LIMIT ? OFFSET ?`,
    )
      .pluck()
      .all(...params, query.pageSize, offset) as number[];
    return {
      items: rowsByRid(db, rids).map(summarise),
      total: searchTotal,
      page: query.page,
      pageSize: query.pageSize,
    };
  }
  if (searchTotal !== null && query.sort.field === "createdAt") {
    // Creation order is the index's own rowid order: the full-text index answers alone.
    const rids = stmt(
      db,
      `SELECT rowid FROM change_fts WHERE change_fts MATCH ? ORDER BY rowid ${dir} LIMIT ? OFFSET ?`,
    )
      .pluck()
      .all(match, query.pageSize, offset) as number[];
    return {
      items: rowsByRid(db, rids).map(summarise),
      total: searchTotal,
      page: query.page,
      pageSize: query.pageSize,
    };
  }
  if (match !== null) {
    // A search visits each matching row once: the window count rides along with the sort, instead of a
    // second pass over every match just to count them.
    const page = stmt(
      db,
      `SELECT rid, count(*) OVER () AS total FROM changes WHERE ${clause} ORDER BY ${order} LIMIT ? OFFSET ?`,
    ).all(...params, query.pageSize, offset) as { rid: number; total: number }[];
    const total = page[0]?.total ?? searchTotal ?? countChanges(db, clause, params);
    return {
      items: rowsByRid(
        db,
        page.map((r) => r.rid),
      ).map(summarise),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }
  const total = countChanges(db, clause, params);
  // Sort and page the row ids first (inside the covering index for most sort keys), then read only the
  // page's rows: sorting whole rows would drag every matching change through the sorter.
  const rows = stmt(
    db,
    `SELECT * FROM changes WHERE rid IN (SELECT rid FROM changes WHERE ${clause} ORDER BY ${order} LIMIT ? OFFSET ?)
     ORDER BY ${order}`,
  ).all(...params, query.pageSize, offset) as ChangeRow[];
  return { items: rows.map(summarise), total, page: query.page, pageSize: query.pageSize };
}

function countChanges(db: Db, clause: string, params: readonly unknown[]): number {
  return stmt(db, `SELECT count(*) FROM changes WHERE ${clause}`)
    .pluck()
    .get(...params) as number;
}

// Rows in the order of the given ids.
function rowsByRid(db: Db, rids: readonly number[]): ChangeRow[] {
  const byRid = stmt(db, "SELECT * FROM changes WHERE rid = ?");
  return rids.map((rid) => byRid.get(rid) as ChangeRow);
}
