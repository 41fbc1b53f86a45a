import type { ChangeDetail } from "../../../shared/contract/index";
import { DEFAULT_GATE_POLICY, type GatePolicy } from "../../../shared/domain/policy/gate-rules";
import { assertStandardScope, type StandardScopeView } from "../../../shared/domain/policy/standard-templates";
import { productionReadiness } from "../../../shared/domain/register/gates";
import type { RiskClass } from "../../../shared/domain/register/vocabulary";
import type { HandlerContext } from "../dispatch";
import { type Catalogue, templatesOf } from "../gitops/standard-catalogue";
import { type ChangeFields, type ChangeRow, findChange, rowFields } from "./change-rows";
import type { Db } from "./db";
import { gatesOf } from "./queries";
import { systemTransition } from "./system-moves";

/** The audit actor of a standard change's pre-approval: the catalogue, not whoever assessed it. */
const CATALOGUE_ACTOR_PART = "standard-catalogue";

/** True when the fields involve the catalogue: a standard change, or any change naming a template. */
export function needsCatalogue(fields: { readonly type: string; readonly template?: string | null }): boolean {
  return fields.type === "standard" || (fields.template ?? null) !== null;
}

function scopeView(fields: ChangeFields, risk: RiskClass | null): StandardScopeView {
  return {
    area: fields.area,
    plants: fields.plants,
    environment: fields.environment,
    risk,
    dbMigration: fields.dbMigration,
  };
}

/**
 * Refuses fields that a standard change's template does not cover (or a template on another type); `catalogue` is
 * null only when needsCatalogue said no.
 */
export function checkStandard(catalogue: Catalogue | null, fields: ChangeFields, risk: RiskClass | null): void {
  if (catalogue === null && !needsCatalogue(fields)) return;
  assertStandardScope(fields.type, fields.template, scopeView(fields, risk), templatesOf(catalogue ?? new Map()));
}

/** The same check for a stored change (its risk as assessed). */
export function checkStandardRow(catalogue: Catalogue | null, row: ChangeRow, risk = row.risk): void {
  checkStandard(catalogue, rowFields(row), risk);
}

/**
 * A standard change that is assessed, inside its template and ready for its environment inherits the template's
 * pre-approval: the core moves it to approved on that evidence, as `system:standard-catalogue`, naming the template
 * and the commit that approved it. Anything short of that leaves it assessed; returns the change when it moved.
 */
export function inheritPreApproval(
  db: Db,
  ctx: HandlerContext,
  id: string,
  catalogue: Catalogue,
  gatePolicy: GatePolicy = DEFAULT_GATE_POLICY,
): ChangeDetail | null {
  const row = findChange(db, id);
  if (!row || row.deleted_at !== null || row.type !== "standard" || row.status !== "assessed") return null;
  const fields = rowFields(row);
  const entry = fields.template !== null ? catalogue.get(fields.template) : undefined;
  if (!entry || entry.commit === "" || row.risk === null) return null;
  try {
    checkStandard(catalogue, fields, row.risk);
  } catch {
    return null;
  }
  const readiness = productionReadiness(
    gatePolicy,
    { risk: row.risk, validation: fields.validation },
    gatesOf(db, row.id),
  );
  if (!readiness.ready && fields.environment === "production") return null;
  const t = entry.template;
  return systemTransition(db, ctx, CATALOGUE_ACTOR_PART, {
    id: row.id,
    to: "approved",
    expectedVersion: row.version,
    reason: `Pre-approved by standard-change template ${t.id} (${t.title}), approved in commit ${entry.commit}.`,
  });
}
