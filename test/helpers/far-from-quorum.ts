import type { Core } from "../../electron/core/core";
import { actAs, call, changeAwaitingApproval } from "../integration/approvals/support";

/**
 * A high-risk Berlin change submitted to the GitOps repository and awaiting approval: it needs two cab-members and
 * Berlin's plant-ops-leader, so one cab-member (Raj) may approve and reject it over and over without deciding it.
 */
export async function farFromQuorum(core: Core): Promise<{ readonly changeId: string; readonly number: string }> {
  const changeId = await changeAwaitingApproval(core, { risk: "high" });
  await actAs(core, "lena.weber@plant.example");
  const { number } = await call(core, "gitops.submit", { changeId });
  return { changeId, number };
}
