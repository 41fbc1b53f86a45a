import type { ExceptionMonth, ExceptionStats } from "../../../shared/contract/methods/approvals";
import type { ChangeSummary } from "../../../shared/contract/methods/register";
import { quorumMetTimes } from "../approvals/approval-store";
import type { Db } from "../register/db";
import { listChanges } from "../register/list";
import { allExceptions, findReview } from "./exception-store";

const HOUR = 3_600_000;

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const m = s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
  return Math.round(m * 10) / 10;
}

function monthOf(iso: string): string {
  return iso.slice(0, 7);
}

function allChanges(db: Db, now: Date): ChangeSummary[] {
  const out: ChangeSummary[] = [];
  for (let page = 1; ; page++) {
    const list = listChanges(db, { sort: { field: "createdAt", dir: "asc" }, page, pageSize: 500 }, now);
    out.push(...list.items);
    if (page * list.pageSize >= list.total) return out;
  }
}

/**
 * Monthly figures per plant over the last `months` months before `now` (UTC months of a change's creation):
 * how many changes were emergencies, how long approval took (creation → quorum met) and how long the
 * retrospective reviews took (break-glass end → review).
 */
export function exceptionStats(db: Db, now: Date, months: number): ExceptionStats {
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (months - 1), 1)).toISOString();
  const met = quorumMetTimes(db);
  const reviewHours = new Map<string, number>();
  for (const e of allExceptions(db)) {
    const review = findReview(db, e.changeId);
    if (review)
      reviewHours.set(e.changeId, (Date.parse(review.signature.signedAt) - Date.parse(e.breakGlass.end)) / HOUR);
  }
  const cells = new Map<string, { changes: number; emergencies: number; lead: number[]; review: number[] }>();
  for (const c of allChanges(db, now)) {
    if (c.createdAt < from) continue;
    for (const plant of c.plants) {
      const key = `${monthOf(c.createdAt)}|${plant}`;
      const cell = cells.get(key) ?? { changes: 0, emergencies: 0, lead: [], review: [] };
      cell.changes++;
      if (c.type === "emergency") cell.emergencies++;
      const metAt = met.get(c.id);
      if (metAt !== undefined) cell.lead.push((metAt - Date.parse(c.createdAt)) / HOUR);
      const r = reviewHours.get(c.id);
      if (r !== undefined) cell.review.push(r);
      cells.set(key, cell);
    }
  }
  const rows: ExceptionMonth[] = [...cells.entries()].map(([key, cell]) => {
    const [month = "", plant = ""] = key.split("|");
    return {
      month,
      plant,
      changes: cell.changes,
      emergencies: cell.emergencies,
      ratio: cell.changes ? Math.round((cell.emergencies / cell.changes) * 1000) / 1000 : 0,
      medianLeadHours: median(cell.lead),
      medianReviewHours: median(cell.review),
    };
  });
  rows.sort((a, b) => b.month.localeCompare(a.month) || a.plant.localeCompare(b.plant));
  return { months: rows };
}
