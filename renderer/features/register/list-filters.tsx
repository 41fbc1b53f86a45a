import { type RefObject, useId } from "react";
import { AREAS, CHANGE_STATUSES, CHANGE_TYPES, RISK_CLASSES, STAGES } from "../../../shared/contract/index";
import { useMethodQuery } from "../../api/queries";
import { EMPTY_QUERY, isFiltered, type ListQuery } from "./list-query";
import { vocabularyOptions } from "./vocabulary-options";

function Choice<T extends string>({
  label,
  name,
  value,
  options,
  onChange,
}: {
  readonly label: string;
  readonly name: string;
  readonly value: T | "";
  readonly options: readonly T[];
  readonly onChange: (value: T | "") => void;
}) {
  return (
    <label className="filter">
      <span>{label}</span>
      <select
        className="input"
        value={value}
        data-testid={`filter-${name}`}
        onChange={(e) => onChange((options as readonly string[]).includes(e.target.value) ? (e.target.value as T) : "")}
      >
        <option value="">Any</option>
        {vocabularyOptions(options)}
      </select>
    </label>
  );
}

/** The register's search box and filters; every control is a plain form control, so Tab reaches each. */
export function ListFilters({
  query,
  onChange,
  searchRef,
  onLeave,
}: {
  readonly query: ListQuery;
  readonly onChange: (next: ListQuery) => void;
  readonly searchRef: RefObject<HTMLInputElement | null>;
  /** Moves focus from the search box to the results. */
  readonly onLeave: () => void;
}) {
  // The known plants (policy.yaml, else the calendar) are suggestions only: a filter may still find older changes
  // recorded with a plant that is no longer known.
  const plants = useMethodQuery("plant.known", {});
  const plantListId = useId();
  const set = <K extends keyof ListQuery>(key: K, value: ListQuery[K]) => onChange({ ...query, [key]: value });
  return (
    <search className="register-filters">
      <label className="filter filter-search">
        <span>Search</span>
        <input
          ref={searchRef}
          className="input"
          type="search"
          placeholder="Title, description, comments…  ( / )"
          aria-keyshortcuts="/"
          value={query.q}
          data-testid="register-search"
          onChange={(e) => set("q", e.target.value)}
          onKeyDown={(e) => {
            // From the search box straight into the results, as in a mail client.
            if (e.key === "ArrowDown" || e.key === "Enter") {
              e.preventDefault();
              onLeave();
            }
          }}
        />
      </label>
      <Choice
        label="Status"
        name="status"
        value={query.status}
        options={CHANGE_STATUSES}
        onChange={(v) => set("status", v)}
      />
      <Choice label="Type" name="type" value={query.type} options={CHANGE_TYPES} onChange={(v) => set("type", v)} />
      <Choice label="Area" name="area" value={query.area} options={AREAS} onChange={(v) => set("area", v)} />
      <Choice label="Risk" name="risk" value={query.risk} options={RISK_CLASSES} onChange={(v) => set("risk", v)} />
      <Choice
        label="Environment"
        name="environment"
        value={query.environment}
        options={STAGES}
        onChange={(v) => set("environment", v)}
      />
      <label className="filter">
        <span>Plant</span>
        <input
          list={plantListId}
          className="input filter-plant"
          value={query.plant}
          placeholder="e.g. berlin"
          data-testid="filter-plant"
          onChange={(e) => set("plant", e.target.value)}
        />
        <datalist id={plantListId}>
          {(plants.data?.plants ?? []).map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </datalist>
      </label>
      {(
        [
          ["windowFrom", "Window from", "filter-window-from"],
          ["windowTo", "to", "filter-window-to"],
        ] as const
      ).map(([field, label, testId]) => (
        <label key={field} className="filter">
          <span>{label}</span>
          <input
            className="input"
            type="date"
            value={query[field]}
            data-testid={testId}
            onChange={(e) => set(field, e.target.value)}
          />
        </label>
      ))}
      <button
        type="button"
        className="btn"
        disabled={!isFiltered(query)}
        data-testid="filters-clear"
        onClick={() => onChange({ ...EMPTY_QUERY, sort: query.sort })}
      >
        Clear
      </button>
    </search>
  );
}
