import type { PolicyProblem } from "./policy-check";
import type { Policy } from "./schemas";

type Person = Policy["people"][number];

const names = (people: readonly Person[]) => people.map((p) => p.name).join(", ");

/**
 * The emergency path's own defects: an emergency is logged by a holder of `emergency.exceptionRoles`, who (unless
 * segregation says otherwise) may neither approve nor review it, and whose requester may not approve it either. A
 * quorum that only the logger could complete can never be met, and `policy check` must say so before 2 a.m. does.
 */
export function checkEmergency(policy: Policy): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const loggers = policy.people.filter((p) => p.roles.some((r) => policy.emergency.exceptionRoles.includes(r)));
  if (loggers.length === 0) {
    if (policy.approvals.emergency.length > 0)
      problems.push({
        kind: "unsatisfiable-rule",
        at: "emergency.exceptionRoles",
        message: `no one holds ${policy.emergency.exceptionRoles.join(" or ")}, so no emergency exception can be logged`,
      });
    return problems;
  }
  policy.approvals.emergency.forEach((rule, i) => {
    if (policy.segregation.emergencyLoggerMayApprove) return;
    const holders = policy.people.filter((p) => p.roles.includes(rule.role));
    // For each possible logger: the rule's holders left once the logger (who may raise the fix too) steps aside.
    const blocked = loggers.filter((l) => holders.filter((h) => h.email !== l.email).length < rule.count);
    if (blocked.length === 0 || holders.length < rule.count) return; // too few holders at all is reported already
    const at = `approvals.emergency[${i}]`;
    problems.push({
      kind: "unsatisfiable-rule",
      at,
      role: rule.role,
      message: `${at} needs ${rule.count} ${rule.role}${rule.count > 1 ? "s" : ""} besides the person who logs the exception, but an emergency logged by ${names(blocked)} can never meet it (the logger may not approve it: segregation.emergencyLoggerMayApprove is false)`,
    });
  });
  if (!policy.segregation.emergencyLoggerMayReview) {
    const reviewers = policy.people.filter((p) => p.roles.some((r) => policy.emergency.reviewerRoles.includes(r)));
    const blocked = loggers.filter((l) => reviewers.every((r) => r.email === l.email));
    if (blocked.length > 0)
      problems.push({
        kind: "unsatisfiable-rule",
        at: "emergency.reviewerRoles",
        message: `no one but the logger holds ${policy.emergency.reviewerRoles.join(" or ")}, so an emergency logged by ${names(blocked)} can never be reviewed`,
      });
  }
  return problems;
}
