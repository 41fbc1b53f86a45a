import { AppError, type ChangeDetail, type Comment, type Person } from "../../../shared/contract/index";
import { assertPromotion, productionReadiness } from "../../../shared/domain/register/gates";
import {
  assertTransition,
  DELETABLE,
  EDITABLE,
  type TransitionSource,
} from "../../../shared/domain/register/lifecycle";
import { type ChangeStatus, DEFAULT_VALIDATION, type Stage } from "../../../shared/domain/register/vocabulary";
import { isWindowPassed } from "../../../shared/domain/register/window-passed";
import {
  type ChangeFields,
  type ChangeRow,
  findChange,
  insertChange,
  rowFields,
  touchChange,
  updateChangeFields,
} from "./change-rows";
import { gatePolicyOf, type OpEnv } from "./ops-env";
import { assertKnownPlants } from "./plant-check";
import { changeDetail, gatesOf, latestAssessment, liveChange } from "./queries";
import { stmt } from "./statements";
import { assertInsideEnforcedMaintenance, assertOutsideBlackouts } from "./window-rules";

/** A new change as the contract hands it over (validation optional: the default gates apply). */
export type NewChange = Omit<ChangeFields, "validation" | "template"> & {
  readonly validation?: ChangeFields["validation"];
  readonly template?: string | null;
};

function withDefaults(input: NewChange): ChangeFields {
  return { ...input, validation: input.validation ?? DEFAULT_VALIDATION, template: input.template ?? null };
}

/** Creates a draft change and returns its id; `onBehalfOf` is the person it was raised for, if not its requester. */
export function createChange(env: OpEnv, input: NewChange, onBehalfOf: Person | null = null): string {
  assertKnownPlants(env, input.plants);
  const id = env.newId();
  const fields = withDefaults(input);
  insertChange(env.db, id, fields, "draft", env.now.toISOString());
  if (onBehalfOf !== null) {
    stmt(env.db, "UPDATE changes SET on_behalf_of_name = ?, on_behalf_of_email = ? WHERE id = ?").run(
      onBehalfOf.name,
      onBehalfOf.email.toLowerCase(),
      id,
    );
  }
  env.audit({
    action: "change.create",
    entity: "change",
    entityId: id,
    after: { ...fields, status: "draft", ...(onBehalfOf !== null ? { onBehalfOf } : {}) },
    actor: env.actor,
  });
  return id;
}

function checkVersion(row: ChangeRow, expected: number | undefined): void {
  if (expected !== undefined && expected !== row.version) {
    throw new AppError(
      "conflict",
      `The change was edited by someone else meanwhile (version ${row.version}, you had ${expected}). Reload it and try again.`,
      { version: row.version },
    );
  }
}

/** Edits the given fields of a change that is not yet approved; `check` may refuse the edited fields first. */
export function updateChange(
  env: OpEnv,
  input: { id: string; patch: Partial<ChangeFields>; expectedVersion?: number; reason?: string },
  check: (next: ChangeFields, row: ChangeRow) => void = () => undefined,
): ChangeDetail {
  const row = liveChange(env.db, input.id);
  checkVersion(row, input.expectedVersion);
  if (!EDITABLE.includes(row.status)) {
    throw new AppError(
      "illegal-transition",
      `A ${row.status} change can no longer be edited; only ${EDITABLE.join(", ")} changes can.`,
      { from: row.status, allowed: [...EDITABLE] },
    );
  }
  // Only a patch that names plants is checked: an old change keeping a plant since removed from policy stays editable.
  assertKnownPlants(env, input.patch.plants, "patch.plants");
  const old = rowFields(row);
  const next: ChangeFields = { ...old, ...input.patch };
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const key of Object.keys(input.patch) as (keyof ChangeFields)[]) {
    if (JSON.stringify(old[key]) === JSON.stringify(next[key])) continue;
    before[key] = old[key];
    after[key] = next[key];
  }
  if (Object.keys(after).length === 0) return changeDetail(env.db, row, env.now, gatePolicyOf(env));
  // A draft may hold any window (the form shows its conflicts); once submitted, a window is a promise to the plant.
  if (row.status !== "draft" && next.window !== null && ("window" in after || "plants" in after)) {
    assertOutsideBlackouts(
      env.db,
      { id: row.id, type: next.type, plants: next.plants },
      next.window,
      "move",
      "invalid-input",
      env.now,
    );
    const moved = { id: row.id, type: next.type, plants: next.plants };
    assertInsideEnforcedMaintenance(env.db, env.plants?.(), moved, next.window, "move", "invalid-input");
  }
  check(next, row);
  updateChangeFields(env.db, row.id, next, env.now.toISOString());
  env.audit({
    action: "change.update",
    entity: "change",
    entityId: row.id,
    before,
    after,
    reason: input.reason ?? null,
    actor: env.actor,
  });
  return detailOf(env, row.id);
}

function detailOf(env: OpEnv, id: string): ChangeDetail {
  const row = findChange(env.db, id);
  if (!row) throw new AppError("internal", `Change ${id} vanished inside its own transaction.`);
  return changeDetail(env.db, row, env.now, gatePolicyOf(env));
}

/**
 * Moves a change along its lifecycle, enforcing the domain rules. `source` is "evidence" only for the capabilities
 * that derive a state (approvals, release, post-release validation); every door's call is a person's.
 */
export function transitionChange(
  env: OpEnv,
  input: { id: string; to: ChangeStatus; reason?: string; expectedVersion?: number },
  source: TransitionSource = "person",
): ChangeDetail {
  const row = liveChange(env.db, input.id);
  checkVersion(row, input.expectedVersion);
  const fields = rowFields(row);
  assertTransition(
    {
      type: row.type,
      status: row.status,
      environment: row.environment,
      hasRiskAssessment: latestAssessment(env.db, row.id) !== null,
      hasWindow: fields.window !== null,
      productionReadiness: productionReadiness(
        gatePolicyOf(env),
        { risk: row.risk, validation: fields.validation },
        gatesOf(env.db, row.id),
      ),
    },
    input.to,
    input.reason,
    source,
  );
  if (input.to === "scheduled" && fields.window) {
    if (isWindowPassed(row.status, fields.window, env.now.getTime())) {
      throw new AppError(
        "illegal-transition",
        `The change's window (${fields.window.start} – ${fields.window.end}) has passed, so it cannot be scheduled. ` +
          "Withdraw it to draft with a reason, give it a new window and submit it again.",
        { from: row.status, to: input.to, reason: "window-passed", window: { ...fields.window } },
      );
    }
    const change = { id: row.id, type: row.type, plants: fields.plants };
    assertOutsideBlackouts(env.db, change, fields.window, "schedule", "illegal-transition", env.now);
    assertInsideEnforcedMaintenance(env.db, env.plants?.(), change, fields.window, "schedule", "illegal-transition");
  }
  return moveChange(env, row, "status", input.to, input.reason);
}

/** Moves a change to its next promotion stage once the current stage's gates allow it. */
export function promoteChange(env: OpEnv, input: { id: string; to: Stage; reason?: string }): ChangeDetail {
  const row = liveChange(env.db, input.id);
  const fields = rowFields(row);
  assertPromotion(
    gatePolicyOf(env),
    {
      stage: row.stage,
      environment: row.environment,
      status: row.status,
      risk: row.risk,
      validation: fields.validation,
      gates: gatesOf(env.db, row.id),
    },
    input.to,
  );
  return moveChange(env, row, "stage", input.to, input.reason);
}

// A transition and a promotion, once their domain rule allowed the move, both set one column and audit old → new.
const MOVES = {
  status: {
    action: "change.transition",
    sql: "UPDATE changes SET status = ?, updated_at = ?, version = version + 1 WHERE id = ?",
  },
  stage: {
    action: "change.promote",
    sql: "UPDATE changes SET stage = ?, updated_at = ?, version = version + 1 WHERE id = ?",
  },
} as const;

function moveChange<K extends keyof typeof MOVES>(
  env: OpEnv,
  row: ChangeRow,
  column: K,
  to: ChangeRow[K],
  reason: string | undefined,
): ChangeDetail {
  stmt(env.db, MOVES[column].sql).run(to, env.now.toISOString(), row.id);
  env.audit({
    action: MOVES[column].action,
    entity: "change",
    entityId: row.id,
    before: { [column]: row[column] },
    after: { [column]: to },
    reason: reason ?? null,
    actor: env.actor,
  });
  return detailOf(env, row.id);
}

/** Tombstones a change that never got approved; the row and its history stay. */
export function deleteChange(env: OpEnv, input: { id: string; reason: string }): { id: string; deleted: true } {
  const row = liveChange(env.db, input.id);
  if (!DELETABLE.includes(row.status)) {
    throw new AppError(
      "illegal-transition",
      `A ${row.status} change cannot be deleted; only ${DELETABLE.join(", ")} changes can (cancel it instead).`,
      { from: row.status, allowed: [...DELETABLE] },
    );
  }
  const at = env.now.toISOString();
  stmt(
    env.db,
    "UPDATE changes SET deleted_at = ?, deleted_reason = ?, updated_at = ?, version = version + 1 WHERE id = ?",
  ).run(at, input.reason, at, row.id);
  env.audit({
    action: "change.delete",
    entity: "change",
    entityId: row.id,
    before: { deleted: false },
    after: { deleted: true },
    reason: input.reason,
    actor: env.actor,
  });
  return { id: row.id, deleted: true };
}

/** Adds a comment to a change (searchable through the full-text index). */
export function commentChange(env: OpEnv, input: { id: string; body: string }): Comment {
  const row = liveChange(env.db, input.id);
  const comment: Comment = {
    id: env.newId(),
    changeId: row.id,
    author: env.actor,
    body: input.body,
    createdAt: env.now.toISOString(),
  };
  stmt(env.db, "INSERT INTO comments (id, change_id, author, body, created_at) VALUES (?, ?, ?, ?, ?)").run(
    comment.id,
    comment.changeId,
    comment.author,
    comment.body,
    comment.createdAt,
  );
  touchChange(env.db, row.id, comment.createdAt);
  env.audit({ action: "change.comment", entity: "comment", entityId: comment.id, after: comment, actor: env.actor });
  return comment;
}

/**
 * Records a CHG-<year>-<n> number on a change, audited. Only the demo seed calls it today: gitops submission, sync
 * and exceptions still set the number with their own SQL (issue #20 moves those writes into the register).
 */
export function assignChangeNumber(env: OpEnv, input: { id: string; number: string }): void {
  const row = liveChange(env.db, input.id);
  if (row.number !== null && row.number !== input.number) {
    throw new AppError("conflict", `Change ${row.id} already has the number ${row.number}.`);
  }
  stmt(env.db, "UPDATE changes SET number = ?, updated_at = ?, version = version + 1 WHERE id = ?").run(
    input.number,
    env.now.toISOString(),
    row.id,
  );
  env.audit({
    action: "change.number",
    entity: "change",
    entityId: row.id,
    before: { number: row.number },
    after: { number: input.number },
    actor: env.actor,
  });
}
