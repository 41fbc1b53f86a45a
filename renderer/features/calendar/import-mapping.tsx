import { useId, useState } from "react";
import type { UncategorisedEvents } from "../../../shared/domain/calendar/category-mapping";
import type { CategoryRule } from "../../../shared/domain/calendar/index";

const CHOICES = [
  ["", "— leave without a category"],
  ["SHIFT", "Shift"],
  ["BLACKOUT", "Blackout"],
  ["MAINTENANCE", "Maintenance"],
] as const;

type Choice = (typeof CHOICES)[number][0];

interface Row {
  readonly by: CategoryRule["by"];
  readonly match: string;
  readonly label: string;
}

function rowsOf(u: UncategorisedEvents): Row[] {
  return [
    ...u.summaries.map((s) => ({
      by: "summary" as const,
      match: s.summary,
      label: `${s.summary || "(no summary)"} (${s.count})`,
    })),
    ...u.categories.map((c) => ({ by: "category" as const, match: c, label: `Category ${c}` })),
    ...u.colors.map((c) => ({ by: "color" as const, match: c, label: `Colour ${c}` })),
  ];
}

/**
 * The mapping step of an import whose events have no CATEGORIES (plain Google or Apple exports): without it every
 * blackout would block nothing. Each summary, category or colour is mapped to a shift, blackout or maintenance;
 * the core writes the categories into the stored calendar (plant.import's mapping).
 */
export function ImportMapping({
  warning,
  uncategorised,
  busy,
  onApply,
  onCancel,
}: {
  readonly warning: string;
  readonly uncategorised: UncategorisedEvents;
  readonly busy: boolean;
  readonly onApply: (rules: CategoryRule[]) => void;
  readonly onCancel: () => void;
}) {
  const ids = useId();
  const rows = rowsOf(uncategorised);
  const [chosen, setChosen] = useState<Record<string, Choice>>({});
  const keyOf = (r: Row) => `${r.by}:${r.match}`;
  const rules = rows.flatMap((r): CategoryRule[] => {
    const as = chosen[keyOf(r)];
    return as ? [{ by: r.by, match: r.match, as }] : [];
  });
  const blackouts = rules.filter((r) => r.as === "BLACKOUT").length;
  return (
    <section className="cal-import-mapping" aria-labelledby={`${ids}-title`} data-testid="calendar-import-mapping">
      <h3 id={`${ids}-title`}>Map the events to shifts, blackouts and maintenance</h3>
      <div className="error-box" role="alert" data-testid="calendar-import-warning">
        {warning}
      </div>
      <table className="cal-import-map-table">
        <tbody>
          {rows.map((r, i) => (
            <tr key={keyOf(r)}>
              <th scope="row">
                <label htmlFor={`${ids}-${i}`}>{r.label}</label>
              </th>
              <td>
                <select
                  id={`${ids}-${i}`}
                  value={chosen[keyOf(r)] ?? ""}
                  onChange={(e) => setChosen({ ...chosen, [keyOf(r)]: e.target.value as Choice })}
                  data-testid={`calendar-map-${r.by}-${i}`}
                >
                  {CHOICES.map(([value, text]) => (
                    <option key={value} value={value}>
                      {text}
                    </option>
                  ))}
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {blackouts === 0 && (
        <p className="muted">No blackout is mapped yet: nothing in this calendar would block a release.</p>
      )}
      <div className="cal-import-actions">
        <button
          type="button"
          className="btn primary"
          disabled={busy}
          onClick={() => onApply(rules)}
          data-testid="calendar-import-map-apply"
        >
          {rules.length === 0
            ? "Import without categories"
            : `Import with ${rules.length} mapping${rules.length === 1 ? "" : "s"}`}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </section>
  );
}
