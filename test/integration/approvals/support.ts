import type { Core } from "../../../electron/core/core";
import type { MethodInput, MethodName, MethodOutput } from "../../../shared/contract/index";
import { AppError } from "../../../shared/contract/index";
import { DEMO_PEOPLE } from "../../../shared/domain/demo/roster";
import type { RiskAnswers } from "../../helpers/risk-answers";
import {
  assessDeclared,
  CHANGE_MANAGER,
  fixtureActor,
  GATE_RECORDER,
  recordGates,
} from "../register/register-fixtures";

// Test support for the approvals workflow: calls through the public surface (core.call), as a door would.

/** Calls a method and returns its value, or throws the AppError the core answered with. */
export async function call<M extends MethodName>(
  core: Core,
  method: M,
  input: MethodInput<M>,
): Promise<MethodOutput<M>> {
  const result = await core.call(method, input);
  if (!result.ok) throw AppError.fromData(result.error);
  return result.value as MethodOutput<M>;
}

/** Calls a method that must fail; returns its error. */
export async function refused(
  core: Core,
  method: MethodName,
  input: unknown,
): Promise<{ code: string; message: string }> {
  const result = await core.call(method, input);
  if (result.ok) throw new Error(`${method} should have been refused`);
  return result.error;
}

/** Switches this laptop's identity to a demo person's key (what the identity switcher does). */
export async function actAs(core: Core, email: string): Promise<void> {
  const keys = await call(core, "identity.demoKeys", {});
  const key = keys.find((k) => k.email === email);
  if (!key) throw new Error(`no demo key for ${email}`);
  await call(core, "identity.use", { keyFile: key.keyFile });
}

/** The demo person with that first name, as change.yaml names people. */
export function who(first: string): { name: string; email: string } {
  const p = DEMO_PEOPLE.find((x) => x.name.toLowerCase().startsWith(first.toLowerCase()));
  if (!p) throw new Error(`no demo person ${first}`);
  return { name: p.name, email: p.email };
}

// The plants and a database migration are facts of the change: the app answers those questions itself. The change
// is an integration change, so whether its window meets a shift (the wall clock's time of day, in release tests)
// answers nothing: "not while production runs" is never contradicted, and the class comes from the other answers.
const ANSWERS: Readonly<Record<"low" | "medium" | "high", RiskAnswers>> = {
  medium: {
    "production-hours": false,
    "tested-preproduction": true,
    "rollback-rehearsed": false,
    integrations: ["mes", "wms"],
  },
  high: {
    "production-hours": false,
    "tested-preproduction": false,
    "rollback-rehearsed": false,
    integrations: ["mes", "wms", "edi"],
  },
  low: { "production-hours": false, "tested-preproduction": true, "rollback-rehearsed": true, integrations: [] },
};

export interface ReadyOptions {
  readonly risk?: "low" | "medium" | "high";
  readonly plants?: readonly string[];
  readonly requester?: string;
  readonly implementer?: string;
  readonly dbMigration?: boolean;
  readonly windowStart?: string;
}

/** A production change walked to awaiting-approval through the register's own methods. */
export async function changeAwaitingApproval(core: Core, o: ReadyOptions = {}): Promise<string> {
  const plants = [...(o.plants ?? ["berlin"])];
  const start = o.windowStart ?? "2026-12-05T21:00:00Z";
  // Each step as a person whose default role allows it, should a test have left a key selected (fixtureActor).
  const as = await fixtureActor(core);
  const requester = who(o.requester ?? "lena");
  const created = await call(core, "change.create", {
    ...as(requester.email),
    title: `Test change for ${plants.join(" and ")}`,
    type: "normal",
    area: "integration",
    plants,
    environment: "production",
    requester,
    implementer: who(o.implementer ?? "tom"),
    window: { start, end: new Date(Date.parse(start) + 4 * 3_600_000).toISOString() },
    dbMigration: o.dbMigration ?? false,
    rollbackPlan: "Revert the release commit; restore the pre-deployment snapshot if the migration ran.",
    ...(o.dbMigration ? { snapshotRef: "odoo-prod-pre-release" } : {}),
    validation: [],
  });
  // The policy's pre-production gates, recorded by someone who neither raised nor implements the change.
  await recordGates(
    core,
    created.id,
    "preproduction",
    "pass",
    "actor" in as(GATE_RECORDER) ? GATE_RECORDER : undefined,
  );
  await call(core, "change.transition", { id: created.id, to: "submitted", ...as(requester.email) });
  await assessDeclared(core, created.id, { ...ANSWERS[o.risk ?? "medium"], "close-period": false }, as(CHANGE_MANAGER));
  await call(core, "change.transition", { id: created.id, to: "assessed", ...as(CHANGE_MANAGER) });
  await call(core, "change.transition", { id: created.id, to: "awaiting-approval", ...as(requester.email) });
  return created.id;
}

/** Approves (or rejects) as a person: switches identity, then decides. */
export async function decideAs(
  core: Core,
  email: string,
  changeId: string,
  decision: "approved" | "rejected" = "approved",
  scope: "deploy" | "db-migration" = "deploy",
) {
  await actAs(core, email);
  return call(core, "approval.decide", {
    changeId,
    scope,
    decision,
    meaning: decision === "approved" ? "Approved for production release" : "Rejected: not ready",
  });
}

/** Sends a revision through the register: withdraw to draft, edit, and ask for approval again. */
export async function revise(
  core: Core,
  changeId: string,
  patch: MethodInput<"change.update">["patch"],
): Promise<void> {
  await call(core, "change.transition", { id: changeId, to: "draft", reason: "Rework" });
  await call(core, "change.update", { id: changeId, patch, reason: "Revision" });
  await call(core, "change.transition", { id: changeId, to: "submitted" });
  // Assessed again on the revised change: the answers declared before, the facts as they are now.
  const { assessment } = await call(core, "change.get", { id: changeId });
  const declared: Record<string, boolean | number | string[]> = {};
  for (const b of assessment?.breakdown ?? []) {
    if (b.source === "declared" && b.answer !== undefined) {
      declared[b.questionId] = typeof b.answer === "object" ? [...b.answer] : b.answer;
    }
  }
  await assessDeclared(core, changeId, declared);
  await call(core, "change.transition", { id: changeId, to: "assessed" });
  await call(core, "change.transition", { id: changeId, to: "awaiting-approval" });
}

/** The scanner emergency several tests log (exception.log's input, without the signer's meaning and passphrase). */
export const SCANNER_EMERGENCY = {
  title: "Scanner lot-number fix",
  area: "barcode" as const,
  plants: ["chicago"],
  requester: { name: "Marcus Reed", email: "marcus.reed@plant.example" },
  implementer: { name: "Kenji Sato", email: "kenji.sato@plant.example" },
  justification: "Barcode scanners reject lot numbers after the supplier label change; shipping stopped",
  incident: "INC-88213",
  breakGlass: { start: "2026-12-01T06:10:00Z", end: "2026-12-01T07:40:00Z" },
  actions: "Patched the lot-number parser",
};
