import type { AuditEvent, ChangeStatus, ChangeType, Stage } from "../../../shared/contract/index";
import { CHANGE_STATUSES, CHANGE_TYPES, STAGES } from "../../../shared/contract/index";

/** One moment in a change's life: a status or stage it entered. */
export interface HistoryStep {
  readonly at: number;
  readonly status: ChangeStatus | null;
  readonly stage: Stage | null;
}

/** A change as its audit rows tell it: what it is and every status and stage it entered, in order. */
export interface ChangeHistory {
  readonly id: string;
  readonly type: ChangeType;
  readonly plants: readonly string[];
  readonly steps: readonly HistoryStep[];
}

function field(side: unknown, key: string): unknown {
  return side !== null && typeof side === "object" && key in side ? (side as Record<string, unknown>)[key] : undefined;
}

function oneOf<T extends string>(values: readonly T[], value: unknown): T | null {
  return typeof value === "string" && (values as readonly string[]).includes(value) ? (value as T) : null;
}

interface Building {
  id: string;
  type: ChangeType;
  plants: string[];
  steps: HistoryStep[];
}

/**
 * Rebuilds each change's history from the audit chain alone (rows about entity "change", oldest first):
 * the create row gives type, plants and initial status; any later row whose `after` carries a status or
 * stage is a step; an edit of type or plants updates them. The audit is the one record nobody can rewrite,
 * so figures computed from it match what an auditor can recompute.
 */
export function historiesFromAudit(events: Iterable<AuditEvent>): ChangeHistory[] {
  const byId = new Map<string, Building>();
  for (const e of events) {
    if (e.entity !== "change" || e.entityId === null) continue;
    const at = Date.parse(e.at);
    let h = byId.get(e.entityId);
    if (!h) {
      h = { id: e.entityId, type: "normal", plants: [], steps: [] };
      byId.set(e.entityId, h);
    }
    const type = oneOf(CHANGE_TYPES, field(e.after, "type"));
    if (type) h.type = type;
    const plants = field(e.after, "plants");
    if (Array.isArray(plants)) h.plants = plants.filter((p): p is string => typeof p === "string");
    const status = oneOf(CHANGE_STATUSES, field(e.after, "status"));
    const stage = oneOf(STAGES, field(e.after, "stage"));
    if (status || stage) h.steps.push({ at, status, stage });
  }
  return [...byId.values()];
}
