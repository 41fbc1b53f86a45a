import type { RegisterExport } from "../../../shared/contract/index";
import { type ChangeRow, rowFields, toSummary } from "./change-rows";
import type { Db } from "./db";
import { gatesOf, latestAssessment } from "./queries";
import { stmt } from "./statements";

const CSV_COLUMNS = [
  "id",
  "number",
  "title",
  "type",
  "status",
  "area",
  "plants",
  "environment",
  "stage",
  "risk",
  "riskScore",
  "requester",
  "implementer",
  "windowStart",
  "windowEnd",
  "dbMigration",
  "createdAt",
  "updatedAt",
  "deleted",
] as const;

// RFC 4180 quoting; a leading = + - @ is prefixed so a spreadsheet never runs a cell as a formula.
function csvCell(value: string | number | boolean | null): string {
  if (value === null) return "";
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvRow(r: ChangeRow, nowMs: number): string {
  const s = toSummary(r, nowMs);
  const values: Record<(typeof CSV_COLUMNS)[number], string | number | boolean | null> = {
    id: s.id,
    number: s.number,
    title: s.title,
    type: s.type,
    status: s.status,
    area: s.area,
    plants: s.plants.join(" "),
    environment: s.environment,
    stage: s.stage,
    risk: s.risk,
    riskScore: s.riskScore,
    requester: s.requester.email,
    implementer: s.implementer?.email ?? null,
    windowStart: s.window?.start ?? null,
    windowEnd: s.window?.end ?? null,
    dbMigration: r.db_migration === 1,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
    deleted: r.deleted_at !== null,
  };
  return CSV_COLUMNS.map((c) => csvCell(values[c])).join(",");
}

/** The whole register (tombstoned changes included, flagged) as JSON or CSV text. */
/** `now` (the core's clock) judges each change's windowPassed. */
export function exportRegister(db: Db, format: "json" | "csv", now: Date): RegisterExport {
  const rows = stmt(db, "SELECT * FROM changes ORDER BY rid").iterate() as IterableIterator<ChangeRow>;
  if (format === "csv") {
    const lines = [CSV_COLUMNS.join(",")];
    for (const r of rows) lines.push(csvRow(r, now.getTime()));
    return { format, mediaType: "text/csv", content: `${lines.join("\r\n")}\r\n` };
  }
  const changes = [];
  for (const r of [...rows]) {
    const comments = stmt(
      db,
      "SELECT id, author, body, created_at AS createdAt FROM comments WHERE change_id = ? ORDER BY rowid",
    ).all(r.id);
    const evidence = stmt(
      db,
      "SELECT id, gate_id AS gateId, filename, media_type AS mediaType, size, sha256, attached_by AS attachedBy, attached_at AS attachedAt FROM evidence WHERE change_id = ? ORDER BY rowid",
    ).all(r.id);
    changes.push({
      ...toSummary(r, now.getTime()),
      ...rowFields(r),
      deleted: r.deleted_at !== null,
      deletedReason: r.deleted_reason,
      assessment: latestAssessment(db, r.id),
      gates: gatesOf(db, r.id),
      comments,
      evidence,
    });
  }
  return {
    format,
    mediaType: "application/json",
    content: `${JSON.stringify({ kind: "shiftgate-register", version: 1, changes }, null, 2)}\n`,
  };
}
