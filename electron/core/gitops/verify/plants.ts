import type { ChangeDoc, Policy } from "../../../../shared/domain/policy/index";
import { describeKnownPlants, unknownPlants } from "../../../../shared/domain/policy/index";
import { type Finding, finding } from "./findings";
import type { HistoryCommit } from "./history";

/**
 * `unknown-plant` on a release whose change names a plant the policy in force does not list: no calendar lane, no
 * shift or blackout check and a phantom row in the figures. A policy without `plants:` lists none, so this is silent.
 */
export function plantFindings(c: HistoryCommit, change: ChangeDoc, policy: Policy): Finding[] {
  const listed = policy.plants;
  if (listed === undefined) return [];
  return unknownPlants(listed, change.plants).map((plant) =>
    finding(
      c.sha,
      change.id,
      "unknown-plant",
      `Release ${c.sha.slice(0, 10)} of ${change.id} names the unknown plant '${plant}' (policy.yaml lists ${describeKnownPlants(listed)}); its shifts and blackouts were never checked.`,
    ),
  );
}
