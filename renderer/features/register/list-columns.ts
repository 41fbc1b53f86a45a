import type { ChangeSortField } from "../../../shared/contract/index";

/** The register list's columns, in screen order. */
export const LIST_COLUMNS = [
  { id: "number", label: "Number", width: "64px", sort: "number" },
  { id: "title", label: "Title", width: "minmax(200px, 1fr)", sort: "title" },
  { id: "status", label: "Status", width: "150px", sort: "status" },
  { id: "risk", label: "Risk", width: "132px", sort: "risk" },
  { id: "plants", label: "Area · plants", width: "140px" },
  { id: "stage", label: "Stage → target", width: "120px" },
  { id: "window", label: "Window", width: "178px", sort: "windowStart" },
  { id: "updated", label: "Updated", width: "100px", sort: "updatedAt" },
] as const satisfies readonly {
  readonly id: string;
  readonly label: string;
  readonly width: string;
  readonly sort?: ChangeSortField;
}[];

export type ColumnId = (typeof LIST_COLUMNS)[number]["id"];
export type ListColumn = (typeof LIST_COLUMNS)[number];

const IDS: readonly string[] = LIST_COLUMNS.map((c) => c.id);
/** The number and title always show: a row without them cannot be told apart or opened knowingly. */
export const FIXED_COLUMNS: readonly ColumnId[] = ["number", "title"];
const STORE_KEY = "shiftgate.register.columns";

/** The hidden columns a stored value names; anything unknown or malformed is ignored. */
export function hiddenFromStored(stored: string | null): readonly ColumnId[] {
  if (stored === null) return [];
  try {
    const parsed: unknown = JSON.parse(stored);
    if (!Array.isArray(parsed)) return [];
    return LIST_COLUMNS.map((c) => c.id).filter(
      (id) => parsed.includes(id) && IDS.includes(id) && !FIXED_COLUMNS.includes(id),
    );
  } catch {
    return [];
  }
}

/** The hidden columns this laptop chose (kept in the page's local storage, per laptop, not per register). */
export function loadHidden(storage: Pick<Storage, "getItem">): readonly ColumnId[] {
  return hiddenFromStored(storage.getItem(STORE_KEY));
}

export function saveHidden(storage: Pick<Storage, "setItem">, hidden: readonly ColumnId[]): void {
  storage.setItem(STORE_KEY, JSON.stringify(hidden));
}

/** The grid's column widths for the shown columns. */
export function gridColumns(columns: readonly { readonly width: string }[]): string {
  return columns.map((c) => c.width).join(" ");
}
