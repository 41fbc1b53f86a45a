import { createHash } from "node:crypto";
import type { AuditEvent, AuditVerifyResult } from "../../../shared/contract/index";
import type { ReportFile } from "../../../shared/contract/methods/reports";

const COLUMNS = [
  "seq",
  "at",
  "actor",
  "door",
  "action",
  "entity",
  "entityId",
  "reason",
  "before",
  "after",
  "prevHash",
  "hash",
] as const;

// RFC 4180 quoting; a leading = + - @ is prefixed so a spreadsheet never runs a cell as a formula.
function cell(value: string | number | null): string {
  if (value === null) return "";
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function json(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

function file(filename: string, mediaType: string, text: string): ReportFile {
  const content = Buffer.from(text, "utf8");
  return {
    filename,
    mediaType,
    contentBase64: content.toString("base64"),
    sha256: createHash("sha256").update(content).digest("hex"),
    size: content.length,
  };
}

/** The filter an export was made with, printed into it so an auditor knows what they hold. */
interface AuditExportFilter {
  readonly changeId?: string;
  readonly from?: string;
  readonly to?: string;
}

/**
 * The audit rows for auditors. Rows keep their seq, prev_hash and hash, so the chain can be re-verified
 * outside Shiftgate; the JSON form also carries the verification result at export time.
 */
export function auditExport(
  events: readonly AuditEvent[],
  format: "csv" | "json",
  meta: { readonly filter: AuditExportFilter; readonly verification: AuditVerifyResult; readonly at: Date },
): ReportFile {
  const stamp = meta.at.toISOString().slice(0, 10);
  const scope = meta.filter.changeId ? `-${meta.filter.changeId}` : "";
  if (format === "csv") {
    const lines = [COLUMNS.join(",")];
    for (const e of events) {
      const values: Record<(typeof COLUMNS)[number], string | number | null> = {
        seq: e.seq,
        at: e.at,
        actor: e.actor,
        door: e.door,
        action: e.action,
        entity: e.entity,
        entityId: e.entityId,
        reason: e.reason,
        before: json(e.before),
        after: json(e.after),
        prevHash: e.prevHash,
        hash: e.hash,
      };
      lines.push(COLUMNS.map((c) => cell(values[c])).join(","));
    }
    return file(`audit${scope}-${stamp}.csv`, "text/csv", `${lines.join("\r\n")}\r\n`);
  }
  const body = {
    kind: "shiftgate-audit",
    version: 1,
    exportedAt: meta.at.toISOString(),
    filter: meta.filter,
    verification: meta.verification,
    hashing:
      "hash = SHA-256 of json_array(seq, prev_hash, at, actor, door, action, entity, entity_id, change_id, before, after, reason) as SQLite builds it; the first row's prev_hash is 64 zeros",
    events,
  };
  return file(`audit${scope}-${stamp}.json`, "application/json", `${JSON.stringify(body, null, 2)}\n`);
}
