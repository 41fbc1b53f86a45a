import { createHash } from "node:crypto";
import { type MeetingDoc, parseMeeting } from "../../../../shared/domain/policy/meeting-file";
import type { DocCache } from "./doc-cache";
import { type Finding, finding } from "./findings";
import type { HistoryCommit } from "./history";

// Keys sorted at every level, no whitespace: the same bytes from the same record on every laptop and in every tool
// (`yq -o=json 'del(.minutesSha256)' F | jq -S -c . | tr -d '\n'` prints them).
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object")
    return `{${Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`)
      .join(",")}}`;
  return JSON.stringify(value);
}

/**
 * The canonical minutes text of a closed meeting: everything its record says (attendees, items, every decision with
 * who took it and the signatures behind it) except `minutesSha256` itself, as sorted, compact JSON. The PDF is not
 * used: it is printed later, with the printing laptop's clock and calendars, so no other laptop could check it.
 */
function canonicalMinutes(doc: MeetingDoc): string {
  const { minutesSha256: _self, ...minutes } = doc;
  return canonicalJson(minutes);
}

/** The SHA-256 (hex) of a meeting's canonical minutes text: what `minutesSha256` holds. */
export function minutesSha256(doc: MeetingDoc): string {
  return createHash("sha256").update(canonicalMinutes(doc), "utf8").digest("hex");
}

/** Whether a meeting record's `minutesSha256` is the hash of its own canonical minutes (null: not stated, older). */
export function minutesAgree(doc: MeetingDoc): boolean {
  return doc.minutesSha256 === null || doc.minutesSha256 === minutesSha256(doc);
}

/** `minutes-mismatch` for a meeting record whose minutesSha256 is not the hash of the minutes it holds. */
export function minutesFindings(c: HistoryCommit, path: string, blob: string, docs: DocCache): Finding[] {
  let doc: MeetingDoc;
  try {
    doc = parseMeeting(docs.read(blob)?.toString("utf8") ?? "", path);
  } catch {
    return [];
  }
  if (minutesAgree(doc)) return [];
  return [
    finding(
      c.sha,
      null,
      "minutes-mismatch",
      `The meeting record ${path} states minutesSha256 ${doc.minutesSha256}, but its minutes hash to ${minutesSha256(doc)}: the record was changed after its minutes were taken.`,
    ),
  ];
}
