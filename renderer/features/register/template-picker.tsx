import type { StandardTemplateView } from "../../../shared/contract/index";
import { useMethodQuery } from "../../api/queries";
import { Field } from "../../components/field";
import { humanise } from "./format";

/**
 * The standard-change template a standard change is raised from, with the scope it must stay inside: the core
 * refuses a standard change without one or outside it, so the form offers only the catalogue.
 */
export function TemplatePicker({
  value,
  error,
  onChange,
  onBlur,
}: {
  readonly value: string;
  readonly error?: string | undefined;
  readonly onChange: (template: StandardTemplateView | null) => void;
  readonly onBlur: () => void;
}) {
  const catalogue = useMethodQuery("standard.templates", {});
  const templates = catalogue.data?.templates ?? [];
  const chosen = templates.find((t) => t.id === value) ?? null;
  const unavailable = catalogue.error ? catalogue.error.message : null;
  return (
    <Field
      label="Standard-change template"
      name="template"
      required
      wide
      error={error ?? unavailable ?? undefined}
      hint={
        chosen
          ? `Stays inside: ${chosen.plants.join(", ")}; ${chosen.environments.map(humanise).join(", ")}; ` +
            `${chosen.areas.map(humanise).join(", ")}; risk at most ${chosen.maxRisk}; no database migration. ` +
            `Steps: ${chosen.steps.join(" · ")}`
          : "A standard change is pre-approved by the CAB through its template; anything else is a normal change."
      }
    >
      {(c) => (
        <select
          {...c}
          value={value}
          onBlur={onBlur}
          data-testid="input-template"
          onChange={(e) => onChange(templates.find((t) => t.id === e.target.value) ?? null)}
        >
          <option value="">{catalogue.isLoading ? "Loading the catalogue…" : "Choose a template…"}</option>
          {templates.map((t) => (
            <option key={t.id} value={t.id}>
              {t.title} ({t.id})
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
