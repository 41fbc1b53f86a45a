// Plants are known things (issue #13 item 7): one list of ids and display names that the register, the calendars,
// change.yaml and `calendar check --changes` all use, so a typo never becomes a phantom plant.

/** A plant a change may name: its id (slug) and display name. */
export interface KnownPlant {
  readonly id: string;
  readonly name: string;
  readonly timeZone?: string;
  /** The Argo CD selectors of the plant's sync windows (policy.yaml only). */
  readonly argocd?: {
    readonly applications?: readonly string[];
    readonly namespaces?: readonly string[];
    readonly clusters?: readonly string[];
    readonly maintenance?: "enforced" | "advisory";
  };
}

/** Where the known plants came from: the policy in force, or (with no policy listing them) the register's calendar. */
type KnownPlantsSource = "policy" | "calendar";

/** The known plants and where they came from. */
export interface KnownPlants {
  readonly source: KnownPlantsSource;
  readonly plants: readonly KnownPlant[];
}

/** The names among `names` that are not the id of a known plant, in order. */
export function unknownPlants(known: readonly KnownPlant[], names: readonly string[]): readonly string[] {
  const ids = new Set(known.map((p) => p.id));
  return names.filter((n) => !ids.has(n));
}

/** "berlin (Berlin Assembly), chicago (Chicago Packaging)" or a sentence saying there are none. */
export function describeKnownPlants(known: readonly KnownPlant[]): string {
  if (known.length === 0) return "none yet";
  return [...known]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((p) => (p.name && p.name !== p.id ? `${p.id} (${p.name})` : p.id))
    .join(", ");
}

/** The sentence a refusal carries for the first unknown plant. */
export function unknownPlantMessage(name: string, known: readonly KnownPlant[]): string {
  const fix =
    known.length === 0
      ? " Name the plants in .shiftgate/policy.yaml (plants:) or import a plant calendar first."
      : " Pick one of the known plants, or ask a policy-admin to add the plant to .shiftgate/policy.yaml.";
  return `Unknown plant '${name}'; known plants: ${describeKnownPlants(known)}.${fix}`;
}
