import type { ChangeArtifact, ChangeSummary, Person } from "../../../shared/contract/index";
import type {
  Area,
  ChangeStatus,
  ChangeType,
  GateName,
  RiskClass,
  Stage,
} from "../../../shared/domain/register/vocabulary";
import { isWindowPassed } from "../../../shared/domain/register/window-passed";
import type { Db } from "./db";
import { stmt } from "./statements";

/** A `changes` row as SQLite returns it. */
export interface ChangeRow {
  rid: number;
  id: string;
  number: string | null;
  title: string;
  description: string;
  type: ChangeType;
  status: ChangeStatus;
  area: Area;
  plants: string;
  plant_mask: number;
  environment: Stage;
  stage: Stage;
  risk: RiskClass | null;
  risk_rank: number | null;
  risk_score: number | null;
  requester_name: string;
  requester_email: string;
  implementer_name: string | null;
  implementer_email: string | null;
  /** The person a change was raised for when its creator named someone else (migration 0011). */
  on_behalf_of_name: string | null;
  on_behalf_of_email: string | null;
  /** change.yaml's artifact as JSON ({image, tag, digest}), once submitted or imported (migration 0013). */
  artifact: string | null;
  window_start: string | null;
  window_end: string | null;
  window_start_ms: number | null;
  window_end_ms: number | null;
  db_migration: number;
  rollback_plan: string;
  snapshot_ref: string | null;
  checkpoint_ref: string | null;
  link_incident: string | null;
  link_ticket: string | null;
  link_pr: string | null;
  validation: string;
  template: string | null;
  created_at: string;
  updated_at: string;
  version: number;
  deleted_at: string | null;
  deleted_reason: string | null;
}

/** The editable fields of a change, as the contract gives them (after defaults). */
export interface ChangeFields {
  readonly title: string;
  readonly description: string;
  readonly type: ChangeType;
  readonly area: Area;
  readonly plants: readonly string[];
  readonly environment: Stage;
  readonly requester: Person;
  readonly implementer: Person | null;
  readonly window: { readonly start: string; readonly end: string } | null;
  readonly dbMigration: boolean;
  readonly rollbackPlan: string;
  readonly snapshotRef: string | null;
  readonly checkpointRef: string | null;
  readonly links: {
    readonly incident?: string | null;
    readonly ticket?: string | null;
    readonly pullRequest?: string | null;
  };
  readonly validation: readonly GateName[];
  /** The standard-change template it is raised from (standard changes only). */
  readonly template: string | null;
}

export const RISK_RANK: Readonly<Record<RiskClass, number>> = { low: 1, medium: 2, high: 3 };

/** The column values of a change's editable fields. */
export function fieldColumns(f: ChangeFields) {
  return {
    title: f.title,
    description: f.description,
    type: f.type,
    area: f.area,
    plants: JSON.stringify(f.plants),
    environment: f.environment,
    requester_name: f.requester.name,
    requester_email: f.requester.email.toLowerCase(),
    implementer_name: f.implementer?.name ?? null,
    implementer_email: f.implementer?.email.toLowerCase() ?? null,
    window_start: f.window?.start ?? null,
    window_end: f.window?.end ?? null,
    window_start_ms: f.window ? Date.parse(f.window.start) : null,
    window_end_ms: f.window ? Date.parse(f.window.end) : null,
    db_migration: f.dbMigration ? 1 : 0,
    rollback_plan: f.rollbackPlan,
    snapshot_ref: f.snapshotRef,
    checkpoint_ref: f.checkpointRef,
    link_incident: f.links.incident ?? null,
    link_ticket: f.links.ticket ?? null,
    link_pr: f.links.pullRequest ?? null,
    validation: JSON.stringify(f.validation),
    template: f.template,
  };
}

/** The editable fields of a stored change. */
export function rowFields(r: ChangeRow): ChangeFields {
  return {
    title: r.title,
    description: r.description,
    type: r.type,
    area: r.area,
    plants: JSON.parse(r.plants) as string[],
    environment: r.environment,
    requester: { name: r.requester_name, email: r.requester_email },
    implementer:
      r.implementer_name !== null && r.implementer_email !== null
        ? { name: r.implementer_name, email: r.implementer_email }
        : null,
    window: r.window_start !== null && r.window_end !== null ? { start: r.window_start, end: r.window_end } : null,
    dbMigration: r.db_migration === 1,
    rollbackPlan: r.rollback_plan,
    snapshotRef: r.snapshot_ref,
    checkpointRef: r.checkpoint_ref,
    links: { incident: r.link_incident, ticket: r.link_ticket, pullRequest: r.link_pr },
    validation: JSON.parse(r.validation) as GateName[],
    template: r.template,
  };
}

/** The list form of a change; `nowMs` (the core's clock) judges whether its window passed. */
export function toSummary(r: ChangeRow, nowMs: number): ChangeSummary {
  const f = rowFields(r);
  return {
    id: r.id,
    number: r.number,
    title: r.title,
    type: r.type,
    status: r.status,
    area: r.area,
    plants: f.plants,
    environment: r.environment,
    stage: r.stage,
    risk: r.risk,
    riskScore: r.risk_score,
    requester: f.requester,
    implementer: f.implementer,
    window: f.window,
    windowPassed: isWindowPassed(r.status, f.window, nowMs),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}

/** A change row by id (tombstoned ones too), or undefined. */
export function findChange(db: Db, id: string): ChangeRow | undefined {
  return stmt(db, "SELECT * FROM changes WHERE id = ?").get(id) as ChangeRow | undefined;
}

const COLUMNS = Object.keys(fieldColumns(emptyFields()));

function emptyFields(): ChangeFields {
  return {
    title: "",
    description: "",
    type: "normal",
    area: "mrp",
    plants: [],
    environment: "development",
    requester: { name: "", email: "" },
    implementer: null,
    window: null,
    dbMigration: false,
    rollbackPlan: "",
    snapshotRef: null,
    checkpointRef: null,
    links: {},
    validation: [],
    template: null,
  };
}

// Built once: bulk creation runs these for every row.
const INSERT_SQL = `INSERT INTO changes (id, status, stage, created_at, updated_at, version, plant_mask, ${COLUMNS.join(", ")})
     VALUES (@id, @status, 'development', @at, @at, 1, @mask, ${COLUMNS.map((c) => `@${c}`).join(", ")})`;
const UPDATE_SQL = `UPDATE changes SET ${COLUMNS.map((c) => `${c} = @${c}`).join(", ")}, plant_mask = @mask, updated_at = @at,
     version = version + 1 WHERE id = @id`;

/**
 * The plant_mask of a set of plants, giving each new plant the next free bit. Plants past the 63rd get
 * no bit; list filters fall back to change_plants for them.
 */
function plantMask(db: Db, plants: readonly string[]): number {
  let mask = 0;
  for (const plant of plants) {
    let bit = stmt(db, "SELECT bit FROM plant_bits WHERE plant = ?").pluck().get(plant) as number | undefined;
    if (bit === undefined) {
      const next = stmt(db, "SELECT count(*) FROM plant_bits").pluck().get() as number;
      if (next > 62) continue;
      stmt(db, "INSERT INTO plant_bits (plant, bit) VALUES (?, ?)").run(plant, next);
      bit = next;
    }
    mask += 2 ** bit;
  }
  return mask;
}

/** Inserts a new change row and its plant index rows. */
export function insertChange(db: Db, id: string, fields: ChangeFields, status: ChangeStatus, at: string): void {
  const cols = fieldColumns(fields);
  stmt(db, INSERT_SQL).run({ ...cols, id, status, at, mask: plantMask(db, fields.plants) });
  const plant = stmt(db, "INSERT INTO change_plants (plant, change_id) VALUES (?, ?)");
  for (const p of fields.plants) plant.run(p, id);
}

/** Writes new values of the editable fields, bumps the version and keeps the plant index in step. */
export function updateChangeFields(db: Db, id: string, fields: ChangeFields, at: string): void {
  const cols = fieldColumns(fields);
  stmt(db, UPDATE_SQL).run({ ...cols, id, at, mask: plantMask(db, fields.plants) });
  stmt(db, "DELETE FROM change_plants WHERE change_id = ?").run(id);
  const plant = stmt(db, "INSERT INTO change_plants (plant, change_id) VALUES (?, ?)");
  for (const p of fields.plants) plant.run(p, id);
}

/** Bumps a change's version and time after a mutation of something it owns (comment, gate, evidence). */
export function touchChange(db: Db, id: string, at: string): void {
  stmt(db, "UPDATE changes SET updated_at = ?, version = version + 1 WHERE id = ?").run(at, id);
}

/** The stored artifact JSON as the change page shows it; anything unreadable is no artifact. */
export function artifactOf(json: string | null): ChangeArtifact | null {
  if (!json) return null;
  try {
    const a = JSON.parse(json) as { image?: unknown; tag?: unknown; digest?: unknown };
    if (typeof a.image !== "string") return null;
    return {
      image: a.image,
      tag: typeof a.tag === "string" ? a.tag : null,
      digest: typeof a.digest === "string" ? a.digest : null,
    };
  } catch {
    return null;
  }
}
