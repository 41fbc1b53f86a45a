import { checkEmergency } from "./emergency-check";
import { defaultPlantName } from "./people";
import { unknownPlants } from "./plants";
import { KNOWN_ROLES, type Policy } from "./schemas";

type PolicyProblemKind = "conflicting-roles" | "unsatisfiable-rule" | "unknown-role" | "unknown-plant";

/** One defect `shiftgate policy check` reports. */
export interface PolicyProblem {
  readonly kind: PolicyProblemKind;
  readonly message: string;
  /** Where: a person's e-mail, or a rule as `approvals.<class>[i]`. */
  readonly at: string;
  readonly role?: string;
  readonly plant?: string;
}

const RULE_CLASSES = ["low", "medium", "high", "emergency", "dbMigration"] as const;

/**
 * Checks a policy for defects that make it unusable: people holding conflicting roles, rules no one can satisfy
 * (a quorum larger than the people holding the role, a plant with no holder for a perPlant rule), unknown roles.
 * An emergency quorum only its logger could complete is reported too (emergency-check.ts).
 * `plants` are the plants changes may name (a perPlant rule is checked for each); by default the plants the policy
 * lists (else the plants people list). `calendars` are the plant ids the repository's calendars are named for
 * (.shiftgate/calendars/<id>.ics): a person or calendar naming a plant the policy does not list is reported.
 */
export function checkPolicy(
  policy: Policy,
  plants?: readonly string[],
  calendars: readonly string[] = [],
): readonly PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const known = new Set<string>([...KNOWN_ROLES, ...policy.roles]);
  const listedPlants = policy.plants?.map((p) => p.id);
  const allPlants = plants ?? listedPlants ?? [...new Set(policy.people.flatMap((p) => p.plants))].sort();
  problems.push(...plantProblems(policy, calendars));

  for (const person of policy.people) {
    for (const role of person.roles) {
      if (!known.has(role))
        problems.push({
          kind: "unknown-role",
          at: person.email,
          role,
          message: `${person.name} holds the unknown role '${role}'`,
        });
    }
    for (const [a, b] of policy.segregation.conflictingRoles) {
      if (person.roles.includes(a) && person.roles.includes(b))
        problems.push({
          kind: "conflicting-roles",
          at: person.email,
          message: `${person.name} holds the conflicting roles ${a} and ${b}`,
        });
    }
  }
  for (const cls of RULE_CLASSES) {
    policy.approvals[cls].forEach((rule, i) => {
      const at = `approvals.${cls}[${i}]`;
      if (!known.has(rule.role)) {
        problems.push({
          kind: "unknown-role",
          at,
          role: rule.role,
          message: `${at} names the unknown role '${rule.role}'`,
        });
      }
      const holders = policy.people.filter((p) => p.roles.includes(rule.role));
      if (rule.perPlant) {
        for (const plant of allPlants) {
          const local = holders.filter((p) => p.plants.includes(plant)).length;
          if (local < rule.count)
            problems.push({
              kind: "unsatisfiable-rule",
              at,
              role: rule.role,
              plant,
              message:
                local === 0
                  ? `${at} needs a ${rule.role} per plant, but ${defaultPlantName(plant)} has none`
                  : `${at} needs ${rule.count} ${rule.role}s per plant, but ${defaultPlantName(plant)} has only ${local}`,
            });
        }
      } else if (holders.length < rule.count) {
        problems.push({
          kind: "unsatisfiable-rule",
          at,
          role: rule.role,
          message: `${at} needs ${rule.count} ${rule.role}${rule.count > 1 ? "s" : ""}, but only ${holders.length} ${holders.length === 1 ? "person holds" : "people hold"} the role`,
        });
      }
    });
  }
  const listed: [string, readonly string[]][] = [
    ["segregation.conflictingRoles", policy.segregation.conflictingRoles.flat()],
    ["emergency.reviewerRoles", policy.emergency.reviewerRoles],
    ["emergency.exceptionRoles", policy.emergency.exceptionRoles],
  ];
  for (const [at, roles] of listed) {
    for (const role of new Set(roles)) {
      if (!known.has(role))
        problems.push({ kind: "unknown-role", at, role, message: `${at} names the unknown role '${role}'` });
    }
  }
  problems.push(...checkEmergency(policy));
  if (!policy.people.some((p) => p.roles.includes("policy-admin")))
    problems.push({
      kind: "unsatisfiable-rule",
      at: "people",
      role: "policy-admin",
      message: "no one holds policy-admin, so no one can change .shiftgate/ after the root of trust",
    });
  return problems;
}

// Plants are known things: people and calendars may only name plants the policy lists.
function plantProblems(policy: Policy, calendars: readonly string[]): PolicyProblem[] {
  const listed = policy.plants;
  // A policy written before plants were listed: nothing to check against (the register uses its calendar's plants).
  if (listed === undefined) return [];
  const problems: PolicyProblem[] = [];
  const known = listed.map((p) => p.id);
  const list = known.length > 0 ? known.join(", ") : "none";
  for (const person of policy.people) {
    for (const plant of unknownPlants(listed, person.plants))
      problems.push({
        kind: "unknown-plant",
        at: person.email,
        plant,
        message: `${person.name} is listed for the unknown plant '${plant}' (known plants: ${list})`,
      });
  }
  for (const plant of unknownPlants(listed, calendars))
    problems.push({
      kind: "unknown-plant",
      at: `.shiftgate/calendars/${plant}.ics`,
      plant,
      message: `the calendar ${plant}.ics names the unknown plant '${plant}' (known plants: ${list})`,
    });
  return problems;
}
