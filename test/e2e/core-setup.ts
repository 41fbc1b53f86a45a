import type { CoreApi } from "./fixtures";

/** Answers to every risk question that score low; override the ones that make a change riskier. */
export { lowRiskAnswers as riskAnswers } from "../helpers/risk-answers";

/** Walks a draft change through submission and risk assessment to awaiting-approval, as its requester would. */
export async function toAwaitingApproval(
  core: CoreApi,
  changeId: string,
  answers: Record<string, unknown>,
): Promise<void> {
  await core.call("change.transition", { id: changeId, to: "submitted" });
  await core.call("risk.assess", { changeId, answers });
  await core.call("change.transition", { id: changeId, to: "assessed" });
  await core.call("change.transition", { id: changeId, to: "awaiting-approval" });
}
