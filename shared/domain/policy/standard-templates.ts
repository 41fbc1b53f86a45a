import { stringify } from "yaml";
import { z } from "zod";
import { AppError } from "../../errors/app-error";
import { AREAS, RISK_CLASSES, type RiskClass, STAGES } from "../register/vocabulary";
import { parseYamlDoc } from "./documents";

// The standard-change catalogue (docs/gitops-repo.md, `.shiftgate/standard-changes/<id>.yaml`): each template is a
// change the CAB pre-approved once, as a signed policy commit, for a bounded scope. A standard change is raised from
// one and inherits that pre-approval only while it stays inside the scope.

/** A template id: it names its file, so no slashes or dots. */
export const TEMPLATE_ID = /^[a-z][a-z0-9-]{0,63}$/;

const standardTemplateSchema = z
  .object({
    id: z.string().regex(TEMPLATE_ID, "a template id like odoo-security-patch"),
    title: z.string().min(1).max(200),
    /** The areas the template covers (its scope). */
    areas: z.array(z.enum(AREAS)).min(1),
    plants: z.array(z.string().min(1)).min(1),
    environments: z.array(z.enum(STAGES)).min(1),
    maxRisk: z.enum(RISK_CLASSES),
    // A database migration is never pre-approved: it always goes to the CAB as a normal change.
    dbMigration: z.literal(false),
    steps: z.array(z.string().min(1)).min(1),
  })
  .strict();

export type StandardTemplate = z.infer<typeof standardTemplateSchema>;

/** The catalogue path of a template. */
export function templatePath(id: string): string {
  return `.shiftgate/standard-changes/${id}.yaml`;
}

/** The template id a catalogue path names, or null for any other path. */
export function templateIdOfPath(path: string): string | null {
  const m = /^\.shiftgate\/standard-changes\/([^/]+)\.yaml$/.exec(path);
  return m?.[1] ?? null;
}

/** Reads one template file; its `id` must match its file name. */
export function parseStandardTemplate(text: string, fileId: string): StandardTemplate {
  const label = templatePath(fileId);
  const template = parseYamlDoc(standardTemplateSchema, text, label);
  if (template.id !== fileId)
    throw new AppError("invalid-input", `${label}: id ${template.id} does not match the file name ${fileId}.yaml.`);
  return template;
}

/** A template's file bytes, keys in the documented order. */
export function writeStandardTemplate(t: StandardTemplate): string {
  const { id, title, areas, plants, environments, maxRisk, dbMigration, steps } = t;
  return stringify({ id, title, areas, plants, environments, maxRisk, dbMigration, steps }, { lineWidth: 0 });
}

/** What the scope check needs to know about a standard change. */
export interface StandardScopeView {
  readonly area: string;
  readonly plants: readonly string[];
  readonly environment: string;
  /** Null until its risk is assessed. */
  readonly risk: RiskClass | null;
  readonly dbMigration: boolean;
}

const RANK: Readonly<Record<RiskClass, number>> = { low: 1, medium: 2, high: 3 };

/** Each way the change leaves its template's scope, as a sentence naming the template's limit; empty when inside. */
export function scopeProblems(template: StandardTemplate, change: StandardScopeView): string[] {
  const out: string[] = [];
  const outside = change.plants.filter((p) => !template.plants.includes(p));
  if (outside.length > 0)
    out.push(`plants ${outside.join(", ")} are outside its plants (${template.plants.join(", ")})`);
  if (!template.environments.includes(change.environment as (typeof STAGES)[number]))
    out.push(`environment ${change.environment} is not one of its environments (${template.environments.join(", ")})`);
  if (!template.areas.includes(change.area as (typeof AREAS)[number]))
    out.push(`area ${change.area} is outside its scope (${template.areas.join(", ")})`);
  if (change.risk !== null && RANK[change.risk] > RANK[template.maxRisk])
    out.push(`risk ${change.risk} is above its maximum risk ${template.maxRisk}`);
  if (change.dbMigration) out.push("a database migration is never part of a standard change");
  return out;
}

/** The catalogue's ids for a message: "a, b" or "(the catalogue is empty)". */
function catalogueList(catalogue: ReadonlyMap<string, StandardTemplate>): string {
  return catalogue.size > 0 ? [...catalogue.keys()].sort().join(", ") : "(the catalogue is empty)";
}

/**
 * The template a standard change is raised from, refusing a missing or unknown id (listing the catalogue) and a
 * change outside its scope (naming the limit). Other types must not name a template.
 */
export function assertStandardScope(
  type: string,
  templateId: string | null,
  change: StandardScopeView,
  catalogue: ReadonlyMap<string, StandardTemplate>,
): StandardTemplate | null {
  if (type !== "standard") {
    if (templateId !== null)
      throw new AppError(
        "invalid-input",
        `Only a standard change is raised from a template; a ${type} change names none (remove template ${templateId}).`,
        { issues: [{ path: "template", message: "only for type standard" }] },
      );
    return null;
  }
  if (templateId === null)
    throw new AppError(
      "forbidden",
      "A standard change is raised from a template of the standard-change catalogue: choose one of " +
        `${catalogueList(catalogue)}, or raise it as a normal change for the CAB.`,
      { reason: "standard-without-template", catalogue: [...catalogue.keys()].sort() },
    );
  const template = catalogue.get(templateId);
  if (!template)
    throw new AppError(
      "forbidden",
      `There is no standard-change template ${templateId} in the catalogue; choose one of ${catalogueList(catalogue)}, ` +
        "or raise it as a normal change for the CAB.",
      { reason: "unknown-template", catalogue: [...catalogue.keys()].sort() },
    );
  const problems = scopeProblems(template, change);
  if (problems.length > 0)
    throw new AppError(
      "forbidden",
      `This change is outside standard-change template ${template.id} (${template.title}): ${problems.join("; ")}. ` +
        "Bring it inside the template, or raise it as a normal change for the CAB.",
      { reason: "standard-out-of-scope", template: template.id, problems },
    );
  return template;
}
