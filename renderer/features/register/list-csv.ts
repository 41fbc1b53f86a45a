import type { ChangeSummary } from "../../../shared/contract/index";
import { displayNumber } from "../../../shared/domain/register/change-number";
import type { ColumnId } from "./list-columns";

// Pure: the register list as CSV, the chosen columns of the filtered rows. Cells are plain values (ISO instants,
// stored ids), not the screen's localised text, so a spreadsheet sorts them.

/**
 * One CSV cell. A cell a spreadsheet would read as a formula (starting with = + - @, or a tab or carriage return
 * that some strip before looking) gets a leading apostrophe, so a title like `=HYPERLINK(…)` stays text; then
 * quotes, commas and line breaks are quoted as RFC 4180 says.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) || safe !== value ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The value of one column for one change, as the CSV writes it. */
function csvValue(change: ChangeSummary, column: ColumnId): string {
  switch (column) {
    case "number":
      return displayNumber(change);
    case "title":
      return change.title;
    case "status":
      return change.status;
    case "risk":
      return change.risk ?? "";
    case "plants":
      return `${change.area}: ${change.plants.join(" ")}`;
    case "stage":
      return `${change.stage} -> ${change.environment}`;
    case "window":
      return change.window ? `${change.window.start}/${change.window.end}` : "";
    case "updated":
      return change.updatedAt;
    default: {
      const never: never = column;
      return never;
    }
  }
}

/** The CSV text: a header of the column labels, then one line per change; CRLF line ends as RFC 4180 has them. */
export function listCsv(
  rows: readonly ChangeSummary[],
  columns: readonly { readonly id: ColumnId; readonly label: string }[],
): string {
  const lines = [columns.map((c) => csvCell(c.label)).join(",")];
  for (const row of rows) lines.push(columns.map((c) => csvCell(csvValue(row, c.id))).join(","));
  return `${lines.join("\r\n")}\r\n`;
}
