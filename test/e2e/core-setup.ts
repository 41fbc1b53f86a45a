import type { CoreApi } from "./fixtures";

/** Answers to every risk question that score low; override the ones that make a change riskier. */
export { lowRiskAnswers as riskAnswers } from "../helpers/risk-answers";

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
  await core.call("risk.assess", { changeId, answers });
  await core.call("change.transition", { id: changeId, to: "assessed" });
  await core.call("change.transition", { id: changeId, to: "awaiting-approval" });
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
