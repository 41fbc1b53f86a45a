import { createHash } from "node:crypto";
import { expect } from "vitest";
import type { Core } from "../../../electron/core/core";
import type { Db } from "../../../electron/core/register/db";
import type {
  CallResult,
  ChangeDetail,
  ChangeStatus,
  ChangeType,
  RiskAssessment,
} from "../../../shared/contract/index";
import type { Identity } from "../../../shared/contract/methods/approvals";
import { evidenceMove } from "../../helpers/evidence-move";
import { lowRiskAnswers } from "../../helpers/risk-answers";
import { TEST_TEMPLATE } from "../../helpers/standard-catalogue";

/** A valid change.create payload; override what a test cares about. */
export function newChange(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: "Switch Berlin pick routes to two-step",
    description: "Two-step delivery for the Berlin warehouse",
    type: "normal",
    area: "warehouse",
    plants: ["berlin"],
    environment: "production",
    requester: { name: "Lena Weber", email: "lena.weber@plant.example" },
    implementer: { name: "Tom Fischer", email: "tom.fischer@plant.example" },
    window: { start: "2026-12-05T22:00:00+01:00", end: "2026-12-06T02:00:00+01:00" },
    // A production change asks for approval only with a rollback plan (issue #15 item 6).
    rollbackPlan: "Revert the release commit; Argo CD syncs the previous image back.",
    ...overrides,
  };
}

/** Answers to every risk question (a low score unless overridden). */
export { evidenceMove, lowRiskAnswers };

/** Unwraps a successful call or fails the test with the error it got. */
export function ok<T>(result: CallResult): T {
  if (!result.ok) expect.fail(`call failed: ${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

/**
 * Records a risk assessment with these declared answers, leaving to the app every question the change's facts answer
 * (a window in a blackout or across a shift, more plants): as an assessor who accepts the facts shown. Tests of the
 * refusal itself call risk.assess directly.
 */
export async function assessDeclared(
  core: Core,
  changeId: string,
  answers: Readonly<Record<string, boolean | number | string[]>>,
  extra: Record<string, unknown> = {},
): Promise<RiskAssessment> {
  let declared = { ...answers };
  for (;;) {
    const result = await core.call("risk.assess", { changeId, answers: declared, ...extra });
    if (result.ok) return result.value as RiskAssessment;
    const fact = result.error.details?.fact as { question?: string } | undefined;
    if (!fact?.question || !Object.hasOwn(declared, fact.question)) {
      expect.fail(`risk.assess failed: ${result.error.code}: ${result.error.message}`);
    }
    const { [fact.question]: _, ...rest } = declared;
    declared = rest;
  }
}

/** Calls a method and unwraps its value. */
export async function call<T>(core: Core, method: string, input: unknown, door?: "ipc" | "web" | "cli"): Promise<T> {
  return ok<T>(await core.call(method, input, door));
}

/** Demo people whose default roles allow a fixture's steps (shared/domain/policy/permissions.ts). */
export const CHANGE_MANAGER = "sofia.rossi@plant.example";
export const RELEASE_MANAGER = "tom.fischer@plant.example";
/** A plant-ops-leader: records the gates of changes she neither raised nor implements. */
export const GATE_RECORDER = "ana.ortiz@plant.example";

export const GATES = [
  "mrp-run",
  "inventory-reservation",
  "procurement-rules",
  "accounting-posting",
  "interface-health",
];

/** Records every default gate at a stage with one result. */
export async function recordGates(
  core: Core,
  changeId: string,
  stage: string,
  result = "pass",
  actor?: string,
): Promise<void> {
  for (const gate of GATES) {
    await call(core, "gate.record", {
      changeId,
      stage,
      gate,
      result,
      ...(result === "fail" ? { reason: "broken" } : {}),
      ...(actor ? { actor } : {}),
    });
  }
}

/** The lifecycle as the issue describes it: the oracle the core is tested against. */
export const EXPECTED: Readonly<Record<ChangeType, Readonly<Record<ChangeStatus, readonly ChangeStatus[]>>>> = (() => {
  const normal: Record<ChangeStatus, readonly ChangeStatus[]> = {
    draft: ["submitted", "cancelled"],
    submitted: ["assessed", "draft", "rejected", "cancelled"],
    assessed: ["awaiting-approval", "draft", "rejected", "cancelled"],
    "awaiting-approval": ["approved", "rejected", "draft", "cancelled"],
    approved: ["scheduled", "draft", "cancelled"],
    scheduled: ["implementing", "draft", "cancelled"],
    implementing: ["validating", "unauthorised", "failed", "rolled-back"],
    validating: ["closed", "unauthorised", "failed", "rolled-back"],
    unauthorised: ["rolled-back", "failed"],
    failed: ["rolled-back", "closed"],
    "rolled-back": ["closed"],
    rejected: ["draft", "cancelled"],
    closed: [],
    cancelled: [],
  };
  return {
    normal,
    standard: { ...normal, assessed: ["approved", "draft", "rejected", "cancelled"] },
    emergency: {
      ...normal,
      submitted: ["assessed", "awaiting-approval", "draft", "rejected", "cancelled"],
      approved: ["implementing", "scheduled", "draft", "cancelled"],
    },
  };
})();

/** The moves no door may make: each state follows from evidence (signatures, a release commit, its validation). */
export function derivedOnly(from: ChangeStatus, to: ChangeStatus): boolean {
  return (
    to === "approved" ||
    to === "rejected" ||
    to === "implementing" ||
    to === "validating" ||
    to === "unauthorised" ||
    (to === "closed" && from === "validating")
  );
}

/** The moves a person may make from `from` through any door. */
export function manualMoves(type: ChangeType, from: ChangeStatus): readonly ChangeStatus[] {
  return EXPECTED[type][from].filter((to) => !derivedOnly(from, to));
}

/** The shortest path from draft to `to` in the expected lifecycle, or null when unreachable. */
export function pathTo(type: ChangeType, to: ChangeStatus): ChangeStatus[] | null {
  const queue: ChangeStatus[][] = [["draft"]];
  const seen = new Set<ChangeStatus>(["draft"]);
  while (queue.length > 0) {
    const path = queue.shift() ?? [];
    const last = path[path.length - 1] ?? "draft";
    if (last === to) return path.slice(1);
    for (const next of EXPECTED[type][last]) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push([...path, next]);
      }
    }
  }
  return null;
}

/**
 * How a fixture step names who takes it: with a key a test left selected the key holder would act (and be judged by
 * role), so the step names the demo person whose role allows it (the direct door takes a named actor); without a
 * key the script acts as the OS account, unjudged, as before.
 */
export async function fixtureActor(core: Core): Promise<(email: string) => { actor?: string }> {
  // A working copy without policy.yaml knows no one: no key can be proved there, so nobody is selected.
  const current = await core.call("identity.current", {});
  const keyed = current.ok && (current.value as Identity).known;
  return (email) => (keyed ? { actor: email } : {});
}

/** Creates a change ready to move anywhere (window, risk assessed, pre-production gates passed) and walks it to `status`. */
export async function changeIn(
  core: Core,
  type: ChangeType,
  status: ChangeStatus,
  overrides: Record<string, unknown> = {},
): Promise<ChangeDetail> {
  // A standard change comes from the catalogue (commitCatalogue) and is approved by the core once assessed with its
  // gates in: its gates come at the approved step so it can rest in assessed.
  const standard = type === "standard";
  const input = newChange(standard ? { type, template: TEST_TEMPLATE.id, ...overrides } : { type, ...overrides });
  // The requester creates, the change-manager assesses and moves, the release-manager records gates (fixtureActor).
  const as = await fixtureActor(core);
  const keyed = "actor" in as(RELEASE_MANAGER);
  const requester = (input.requester as { email: string }).email;
  // Neither the requester nor the implementer (Tom) records gates bound for a protected environment.
  const gater = keyed ? GATE_RECORDER : undefined;
  const created = await call<ChangeDetail>(core, "change.create", { ...input, ...as(requester) });
  await assessDeclared(core, created.id, lowRiskAnswers(), as(CHANGE_MANAGER));
  if (!standard) await recordGates(core, created.id, "preproduction", "pass", gater);
  let from: ChangeStatus = "draft";
  for (const to of pathTo(type, status) ?? expect.fail(`${status} unreachable for ${type}`)) {
    const actor = as(to === "failed" || to === "rolled-back" ? RELEASE_MANAGER : CHANGE_MANAGER);
    if (standard && to === "approved") await recordGates(core, created.id, "preproduction", "pass", gater);
    else if (derivedOnly(from, to)) evidenceMove(core, created.id, to);
    else await call<ChangeDetail>(core, "change.transition", { id: created.id, to, reason: "test step", ...actor });
    from = to;
  }
  return call<ChangeDetail>(core, "change.get", { id: created.id });
}

/** A SHA-256 over the content of every table, to prove a call changed nothing. */
export function contentHash(db: Db, except: readonly string[] = []): string {
  const hash = createHash("sha256");
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .pluck()
    .all() as string[];
  for (const table of tables.filter((t) => !except.includes(t))) {
    const rows = db.prepare(`SELECT * FROM "${table}"`).raw().all() as unknown[][];
    const lines = rows.map((r) => JSON.stringify(r, (_k, v) => (typeof v === "bigint" ? v.toString() : v))).sort();
    hash.update(`${table}\n${lines.join("\n")}\n`);
  }
  return hash.digest("hex");
}
