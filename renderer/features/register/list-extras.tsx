import { useState } from "react";
import type { ChangeSummary, MethodInput } from "../../../shared/contract/index";
import { useClient } from "../../api/client-context";
import { ErrorBox } from "../../components/error-box";
import { type ColumnId, FIXED_COLUMNS, LIST_COLUMNS, type ListColumn } from "./list-columns";
import { listCsv } from "./list-csv";
import { activeFilters, EMPTY_QUERY, type ListQuery } from "./list-query";

/** Which columns the list shows; a disclosure of checkboxes, so Tab and Space reach each. */
export function ColumnChooser({
  hidden,
  onChange,
}: {
  readonly hidden: readonly ColumnId[];
  readonly onChange: (hidden: readonly ColumnId[]) => void;
}) {
  return (
    <details className="column-chooser" data-testid="column-chooser">
      <summary className="btn">Columns</summary>
      <fieldset className="column-chooser-list">
        <legend className="muted">Shown columns (kept on this laptop)</legend>
        {LIST_COLUMNS.map((c) => (
          <label key={c.id}>
            <input
              type="checkbox"
              checked={!hidden.includes(c.id)}
              disabled={FIXED_COLUMNS.includes(c.id)}
              data-testid={`column-${c.id}`}
              onChange={(e) => onChange(e.target.checked ? hidden.filter((h) => h !== c.id) : [...hidden, c.id])}
            />{" "}
            {c.label}
          </label>
        ))}
      </fieldset>
    </details>
  );
}

const EXPORT_PAGE = 500;

/** Saves the current list (every filtered row, not only those on screen; the shown columns) as a CSV file. */
export function ExportCsv({
  input,
  columns,
  disabled,
}: {
  readonly input: Omit<MethodInput<"change.list">, "page" | "pageSize">;
  readonly columns: readonly ListColumn[];
  readonly disabled: boolean;
}) {
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      const rows: ChangeSummary[] = [];
      for (let page = 1; ; page++) {
        const got = await client.call("change.list", { ...input, page, pageSize: EXPORT_PAGE });
        rows.push(...got.items);
        if (got.items.length < EXPORT_PAGE || rows.length >= got.total) break;
      }
      const url = URL.createObjectURL(new Blob([listCsv(rows, columns)], { type: "text/csv;charset=utf-8" }));
      const a = document.createElement("a");
      a.href = url;
      a.download = "shiftgate-changes.csv";
      document.body.append(a);
      a.click();
      a.remove();
      // Revoked later: some browsers read the blob after click() returns.
      window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button
        type="button"
        className="btn"
        disabled={disabled || busy}
        data-testid="register-export-csv"
        onClick={() => void run()}
      >
        {busy ? "Exporting…" : "Export CSV"}
      </button>
      {error ? <ErrorBox error={error} /> : null}
    </>
  );
}

/**
 * Says why the list is empty when filters make it so: a contradictory query names what to fix; an empty filtered
 * list names each filter in effect, each removable, so nobody stares at a blank list.
 */
export function FilterHint({
  query,
  problem,
  empty,
  onQuery,
}: {
  readonly query: ListQuery;
  readonly problem: string | null;
  readonly empty: boolean;
  readonly onQuery: (next: ListQuery) => void;
}) {
  if (problem !== null) {
    return (
      <div className="filter-hint" role="status" data-testid="filter-hint">
        <span>{problem}</span>
        <button
          type="button"
          className="btn"
          data-testid="filter-hint-swap"
          onClick={() => onQuery({ ...query, windowFrom: query.windowTo, windowTo: query.windowFrom })}
        >
          Swap the days
        </button>
      </div>
    );
  }
  const filters = activeFilters(query);
  if (!empty || filters.length === 0) return null;
  return (
    <div className="filter-hint" role="status" data-testid="filter-hint">
      <span>
        {filters.length === 1
          ? "No change matches this filter. Remove it to see the whole list:"
          : "No change matches all of these filters together. Remove one to widen the list:"}
      </span>
      {filters.map((f) => (
        <button
          key={f.key}
          type="button"
          className="btn"
          data-testid={`filter-hint-drop-${f.key}`}
          onClick={() => onQuery({ ...query, [f.key]: EMPTY_QUERY[f.key] })}
        >
          {f.label} ✕
        </button>
      ))}
      <button
        type="button"
        className="btn"
        data-testid="filter-hint-clear"
        onClick={() => onQuery({ ...EMPTY_QUERY, sort: query.sort })}
      >
        Clear all
      </button>
    </div>
  );
}
