import { useVirtualizer } from "@tanstack/react-virtual";
import { type KeyboardEvent, useEffect, useRef, useState } from "react";
import type { ChangeSortField, ChangeSummary } from "../../../shared/contract/index";
import { RiskBadge, StatusBadge, WindowPassedBadge } from "../../components/badge";
import { ErrorBox } from "../../components/error-box";
import { usePageKeys } from "../../components/page-keys";
import { PlantWindow } from "../../components/plant-window";
import { formatDate, humanise, shortStage } from "./format";
import { type ColumnId, gridColumns, LIST_COLUMNS, loadHidden, saveHidden } from "./list-columns";
import { ColumnChooser, ExportCsv, FilterHint } from "./list-extras";
import { ListFilters } from "./list-filters";
import { isFiltered, type ListQuery, listInput, queryProblem } from "./list-query";
import { useChangePages } from "./use-change-pages";
import { useDebounced } from "./use-debounced";
import { goTo } from "./use-register-view";
import "./register-list.css";
import { displayNumber } from "../../../shared/domain/register/change-number";

const ROW_HEIGHT = 40;

/** True when a key press belongs to a text control, where single-letter shortcuts must not fire. */
function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

function Cell({ change, column }: { readonly change: ChangeSummary; readonly column: ColumnId }) {
  switch (column) {
    case "number":
      return <td className="cell cell-number">{displayNumber(change)}</td>;
    case "title":
      return (
        <td className="cell cell-title" title={change.title}>
          {change.title}
        </td>
      );
    case "status":
      return (
        <td className="cell">
          <StatusBadge status={change.status} />
        </td>
      );
    case "risk":
      return (
        <td className="cell">
          <RiskBadge risk={change.risk} emergency={change.type === "emergency"} />
        </td>
      );
    case "plants":
      return (
        <td className="cell" title={`${humanise(change.area)} · ${change.plants.join(", ")}`}>
          {humanise(change.area)} <span className="muted">· {change.plants.join(", ")}</span>
        </td>
      );
    case "stage":
      return (
        <td className="cell" title={`${humanise(change.stage)} → ${humanise(change.environment)}`}>
          {shortStage(change.stage)} <span className="muted">→ {shortStage(change.environment)}</span>
        </td>
      );
    case "window":
      return (
        <td className="cell cell-window">
          <PlantWindow window={change.window} plants={change.plants} first />{" "}
          <WindowPassedBadge passed={change.windowPassed} />
        </td>
      );
    case "updated":
      return <td className="cell muted">{formatDate(change.updatedAt)}</td>;
    default: {
      const never: never = column;
      return never;
    }
  }
}

/**
 * The register list: search, filters, sortable columns and a virtualised body that fetches only the pages
 * on screen, so 100,000 changes scroll like 100. Keyboard: ↑/↓ move, Enter opens, / searches, n creates.
 */
export function RegisterList({
  query,
  onQuery,
  active,
  onActive,
}: {
  readonly query: ListQuery;
  readonly onQuery: (next: ListQuery) => void;
  readonly active: number;
  readonly onActive: (index: number) => void;
}) {
  const searchRef = useRef<HTMLInputElement>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const gridRef = useRef<HTMLTableElement>(null);
  const [range, setRange] = useState<readonly [number, number]>([0, 30]);
  const q = useDebounced(query.q, 150);
  const input = listInput({ ...query, q });
  const inputKey = JSON.stringify(input);
  // A contradictory query (a "from" day after the "to" day) is not sent: the page says what to fix instead.
  const problem = queryProblem(query);
  const pages = useChangePages(input, range[0], range[1], problem === null);
  const [hidden, setHidden] = useState<readonly ColumnId[]>(() => loadHidden(window.localStorage));
  const columns = LIST_COLUMNS.filter((c) => !hidden.includes(c.id));
  const template = gridColumns(columns);
  const chooseHidden = (next: readonly ColumnId[]) => {
    setHidden(next);
    saveHidden(window.localStorage, next);
  };
  const virtualizer = useVirtualizer({
    count: pages.total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    onChange: (v) => {
      const items = v.getVirtualItems();
      const next: readonly [number, number] = [items[0]?.index ?? 0, items.at(-1)?.index ?? 0];
      setRange((prev) => (prev[0] === next[0] && prev[1] === next[1] ? prev : next));
    },
  });

  // Coming back from a change, the row that was open is brought into view again.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only on mount and when the list first loads
  useEffect(() => {
    if (!pages.loaded) return;
    if (active > 0) virtualizer.scrollToIndex(active, { align: "center" });
    // Arrows work at once, whether the person came from the menu or back from a change.
    if (document.activeElement === document.body) gridRef.current?.focus({ preventScroll: true });
  }, [pages.loaded]);

  // A new filter or sort is a new list: start it from the top, not where the old one was scrolled to.
  const shownKey = useRef(inputKey);
  useEffect(() => {
    if (shownKey.current === inputKey) return;
    shownKey.current = inputKey;
    virtualizer.scrollToOffset(0);
  }, [inputKey, virtualizer]);

  usePageKeys("register", (e) => {
    if (e.altKey || e.ctrlKey || e.metaKey || typingIn(e.target)) return;
    if (e.key === "/") {
      e.preventDefault();
      searchRef.current?.focus();
    } else if (e.key === "n") {
      e.preventDefault();
      goTo({ kind: "new" });
    }
  });

  const total = pages.total;
  const move = (index: number) => {
    const next = Math.max(0, Math.min(total - 1, index));
    onActive(next);
    virtualizer.scrollToIndex(next, { align: "auto" });
  };
  const open = (index: number) => {
    const change = pages.rowAt(index);
    if (change) goTo({ kind: "change", id: change.id });
  };
  const onGridKey = (e: KeyboardEvent<HTMLTableElement>) => {
    // Keys pressed on a sort button inside the grid belong to that button (Enter sorts, it does not open).
    if (e.target !== e.currentTarget) return;
    const pageRows = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / ROW_HEIGHT) - 1);
    const target: Record<string, number> = {
      ArrowDown: active + 1,
      ArrowUp: active - 1,
      PageDown: active + pageRows,
      PageUp: active - pageRows,
      Home: 0,
      End: total - 1,
    };
    const to = target[e.key];
    if (to !== undefined) {
      e.preventDefault();
      move(to);
    } else if (e.key === "Enter") {
      e.preventDefault();
      open(active);
    }
  };
  const sortBy = (field: ChangeSortField) => {
    // A new column starts in its natural order: words and windows A→Z / soonest, risk and dates newest first.
    const first = field === "risk" || field === "updatedAt" || field === "createdAt" ? "desc" : "asc";
    const dir = query.sort.field !== field ? first : query.sort.dir === "asc" ? "desc" : "asc";
    onQuery({ ...query, sort: { field, dir } });
  };
  const activeRendered = virtualizer.getVirtualItems().some((v) => v.index === active);

  return (
    <section className="page register-list-page" aria-labelledby="register-title">
      <header className="register-head">
        <h1 id="register-title">Register</h1>
        <span className="muted" data-testid="register-count" aria-live="polite">
          {pages.loaded ? `${total.toLocaleString()} change${total === 1 ? "" : "s"}` : "Loading…"}
        </span>
        <span className="spacer" />
        <span className="muted register-keys">↑/↓ move · Enter open · / search · n new</span>
        <ColumnChooser hidden={hidden} onChange={chooseHidden} />
        <ExportCsv input={input} columns={columns} disabled={problem !== null || total === 0} />
        <a className="btn primary" href="#/register/new" aria-keyshortcuts="n" data-testid="register-new">
          New change
        </a>
      </header>
      <ListFilters query={query} onChange={onQuery} searchRef={searchRef} onLeave={() => gridRef.current?.focus()} />
      {pages.error && <ErrorBox error={pages.error} />}
      <FilterHint query={query} problem={problem} empty={pages.loaded && total === 0} onQuery={onQuery} />
      <div className="register-scroll" ref={scrollRef} data-testid="register-scroll">
        {/* The grid is one tab stop; arrows move the active row inside it (aria-activedescendant). */}
        <table
          ref={gridRef}
          className="register-grid"
          // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: the WAI-ARIA data grid pattern is a table
          role="grid"
          tabIndex={0}
          aria-label="Changes"
          aria-rowcount={total + 1}
          aria-activedescendant={activeRendered ? `change-row-${active}` : undefined}
          // Busy while the typed search has not reached the list yet or its first page is still being read.
          aria-busy={q !== query.q || !pages.loaded}
          onKeyDown={onGridKey}
          data-testid="register-grid"
        >
          <thead>
            <tr className="register-row register-header" aria-rowindex={1} style={{ gridTemplateColumns: template }}>
              {columns.map((c) => {
                const sort: ChangeSortField | undefined = "sort" in c ? c.sort : undefined;
                const sorted = sort !== undefined && query.sort.field === sort;
                return (
                  <th
                    key={c.label}
                    className="cell"
                    scope="col"
                    aria-sort={sorted ? (query.sort.dir === "asc" ? "ascending" : "descending") : undefined}
                  >
                    {sort ? (
                      <button
                        type="button"
                        className="sort-button"
                        data-testid={`sort-${sort}`}
                        onClick={() => sortBy(sort)}
                      >
                        {c.label}
                        <span aria-hidden="true">{sorted ? (query.sort.dir === "asc" ? " ▲" : " ▼") : ""}</span>
                      </button>
                    ) : (
                      c.label
                    )}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody className="register-body" style={{ height: virtualizer.getTotalSize() }}>
            {virtualizer.getVirtualItems().map((item) => {
              const change = pages.rowAt(item.index);
              return (
                <tr
                  key={item.key}
                  id={`change-row-${item.index}`}
                  aria-rowindex={item.index + 2}
                  aria-selected={item.index === active}
                  className={`register-row${item.index === active ? " is-active" : ""}`}
                  data-testid={change ? "change-row" : "change-row-loading"}
                  data-change-id={change?.id}
                  style={{
                    transform: `translateY(${item.start}px)`,
                    height: ROW_HEIGHT,
                    gridTemplateColumns: template,
                  }}
                  onClick={() => {
                    onActive(item.index);
                    // The change this row shows, not whatever the index holds by the time the click lands.
                    if (change) goTo({ kind: "change", id: change.id });
                  }}
                >
                  {change ? (
                    columns.map((c) => <Cell key={c.id} change={change} column={c.id} />)
                  ) : (
                    <td className="cell muted">Loading…</td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
        {pages.loaded && total === 0 && problem === null && (
          <p className="register-empty muted" data-testid="register-empty">
            {isFiltered(query) ? "No change matches these filters." : "No change yet. Press n to create one."}
          </p>
        )}
      </div>
    </section>
  );
}
