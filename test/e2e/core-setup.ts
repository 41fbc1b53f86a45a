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
