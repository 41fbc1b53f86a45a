import { useMethodQuery } from "../../api/queries";
import type { FieldControlProps } from "../../components/field";

/** The ids in the form's plants text (comma or space separated), in order. */
export function plantIds(text: string): readonly string[] {
  return text
    .split(/[\s,]+/)
    .map((p) => p.trim())
    .filter((p) => p !== "");
}

/**
 * Plants are known things: a checkbox per plant policy.yaml (or, without a repository, the register's calendar) knows,
 * never free text. A plant an existing change names that is no longer known stays listed, flagged, so an edit can
 * drop it but nothing is silently deleted. The core refuses unknown plants whatever a page sends.
 */
export function PlantPicker({
  control,
  value,
  onChange,
  onBlur,
}: {
  readonly control: FieldControlProps;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly onBlur: () => void;
}) {
  const known = useMethodQuery("plant.known", {});
  const chosen = plantIds(value);
  const plants = known.data?.plants ?? [];
  const strays = chosen.filter((id) => !plants.some((p) => p.id === id));
  const toggle = (id: string, on: boolean) => {
    const order = [...plants.map((p) => p.id), ...strays];
    onChange(order.filter((p) => (p === id ? on : chosen.includes(p))).join(", "));
  };
  return (
    <fieldset
      className="plant-picker"
      id={control.id}
      aria-invalid={control["aria-invalid"]}
      aria-describedby={control["aria-describedby"]}
      data-testid="input-plants"
    >
      {known.isPending && <span className="muted">Loading plants…</span>}
      {known.data && plants.length === 0 && (
        <span className="muted" data-testid="plants-none">
          No plants are known yet: import a plant calendar or list plants in policy.yaml.
        </span>
      )}
      {plants.map((p) => (
        <label key={p.id} className="check">
          <input
            type="checkbox"
            checked={chosen.includes(p.id)}
            data-testid={`input-plant-${p.id}`}
            onChange={(e) => toggle(p.id, e.target.checked)}
            onBlur={onBlur}
          />
          {p.name} <span className="muted">({p.id})</span>
        </label>
      ))}
      {strays.map((id) => (
        <label key={id} className="check plant-unknown" data-testid={`plant-unknown-${id}`}>
          <input type="checkbox" checked data-testid={`input-plant-${id}`} onChange={() => toggle(id, false)} />
          {id} <span className="field-error">not a known plant: untick it</span>
        </label>
      ))}
    </fieldset>
  );
}

/** Flags the plants a change names that are not known (recorded before the check, or dropped from policy.yaml). */
export function UnknownPlantsFlag({ ids }: { readonly ids: readonly string[] }) {
  const known = useMethodQuery("plant.known", {});
  if (!known.data) return null;
  const strays = ids.filter((id) => !known.data.plants.some((p) => p.id === id));
  if (strays.length === 0) return null;
  return (
    <span className="field-error" data-testid="summary-plants-unknown">
      {" "}
      · not a known plant: {strays.join(", ")} (edit the change to pick known plants)
    </span>
  );
}
