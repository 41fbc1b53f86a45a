import type { CoreApi } from "./fixtures";

/** Answers to every risk question that score low; override the ones that make a change riskier. */
export { lowRiskAnswers as riskAnswers } from "../helpers/risk-answers";

import { lowRiskAnswers as lowRiskAnswersWith } from "../helpers/risk-answers";

/** The demo change-manager: may submit, assess and ask approval for any change (default actions). */
export const CHANGE_MANAGER = "sofia.rossi@plant.example";

/**
 * Selects a demo person's key, as the identity switcher does: a page without a proved key may only read, so every
 * setup write names who makes it (and the page then acts as them too).
 */
export async function actAs(core: CoreApi, email: string): Promise<void> {
  const keys = await core.call<{ email: string; keyFile: string }[]>("identity.demoKeys", {});
  await core.call("identity.use", { keyFile: keys.find((k) => k.email === email)?.keyFile ?? "" });
}

/**
 * Walks a draft change through submission and risk assessment to awaiting-approval, as the change-manager would
 * (who is left selected).
 */
export async function toAwaitingApproval(
  core: CoreApi,
  changeId: string,
  answers: Record<string, unknown>,
): Promise<void> {
  await actAs(core, CHANGE_MANAGER);
  await core.call("change.transition", { id: changeId, to: "submitted" });
  await assessLeavingFacts(core, changeId, answers);
  await core.call("change.transition", { id: changeId, to: "assessed" });
  const { environment } = await core.call<{ environment: string }>("change.get", { id: changeId });
  if (environment === "production") {
    // The policy's pre-production gates, which no change can drop, recorded by a plant-ops-leader (never the
    // change's requester or implementer).
    await actAs(core, GATE_RECORDER);
    for (const gate of PREPRODUCTION_GATES)
      await core.call("gate.record", { changeId, stage: "preproduction", gate, result: "pass" });
    await actAs(core, CHANGE_MANAGER);
  }
  await core.call("change.transition", { id: changeId, to: "awaiting-approval" });
}

/**
 * Lena's normal production change at one plant with the given window, walked to awaiting-approval (production-hours
 * answered yes): the change the window and time screens are judged on.
 */
export async function awaitingProductionChange(
  core: CoreApi,
  change: { readonly title: string; readonly plant: string; readonly area: string },
  window: { readonly start: string; readonly end: string },
): Promise<string> {
  await actAs(core, "lena.weber@plant.example");
  const created = await core.call<{ id: string }>("change.create", {
    title: change.title,
    type: "normal",
    area: change.area,
    plants: [change.plant],
    environment: "production",
    requester: { name: "Lena Weber", email: "lena.weber@plant.example" },
    implementer: { name: "Tom Fischer", email: "tom.fischer@plant.example" },
    window,
    validation: [],
    rollbackPlan: "Revert the release commit; Argo CD syncs the previous image back.",
  });
  await toAwaitingApproval(core, created.id, lowRiskAnswersWith({ "production-hours": true }));
  return created.id;
}

/** A plant-ops-leader: records gates on changes they neither raised nor implement. */
export const GATE_RECORDER = "ana.ortiz@plant.example";
const PREPRODUCTION_GATES = [
  "mrp-run",
  "inventory-reservation",
  "procurement-rules",
  "accounting-posting",
  "interface-health",
] as const;

/**
 * Records the risk answers, leaving out any the app answers from the change's own facts (plants, a migration, a
 * window over a shift or a close): the core refuses an answer that contradicts them, naming the question.
 */
async function assessLeavingFacts(core: CoreApi, changeId: string, answers: Record<string, unknown>): Promise<void> {
  let declared = { ...answers };
  for (;;) {
    try {
      await core.call("risk.assess", { changeId, answers: declared });
      return;
    } catch (error) {
      const question = /Risk answer (\S+) contradicts the change/.exec(String(error))?.[1];
      if (!question || !(question in declared)) throw error;
      const { [question]: _fact, ...rest } = declared;
      declared = rest;
    }
  }
}

/** The register's change whose CHG number ends with `suffix` (e.g. "-0003"), as the demo numbers it. */
export async function numbered(core: CoreApi, suffix: string): Promise<{ readonly changeId: string }> {
  const page = await core.call<{ items: { id: string; number: string | null }[] }>("change.list", { pageSize: 500 });
  const found = page.items.find((c) => c.number?.endsWith(suffix));
  if (!found) throw new Error(`no change numbered *${suffix} in the register`);
  return { changeId: found.id };
}

/**
 * Logs an emergency under break-glass begun ten minutes ago, as Raj (an it-manager, left selected), for a fix Marcus
 * raised and Tom implements: one person cannot log, approve and review it. Returns the change's id.
 */
export async function logEmergencyAsRaj(core: CoreApi, title: string): Promise<string> {
  await actAs(core, "raj.patel@plant.example");
  const start = Date.now() - 10 * 60_000;
  const logged = await core.call<{ change: { id: string } }>("exception.log", {
    title,
    area: "barcode",
    plants: ["chicago"],
    requester: { name: "Marcus Reed", email: "marcus.reed@plant.example" },
    implementer: { name: "Tom Fischer", email: "tom.fischer@plant.example" },
    justification: "Scanners reject lot numbers; shipping stopped",
    incident: "INC-4712",
    breakGlass: { start: new Date(start).toISOString(), end: new Date(start + 2 * 3_600_000).toISOString() },
    actions: "Patched the parser",
  });
  return logged.change.id;
}
