import type { ChangeDoc, Policy, PolicyPerson } from "./schemas";

/** The policy's entry for an e-mail (compared case-insensitively), or null. */
export function findPerson(policy: Policy, email: string): PolicyPerson | null {
  const wanted = email.toLowerCase();
  return policy.people.find((p) => p.email.toLowerCase() === wanted) ?? null;
}

/** True when the person holds the role. */
export function holdsRole(person: PolicyPerson | null, role: string): boolean {
  return person?.roles.includes(role) ?? false;
}

/** The conflicting role pairs a person holds both halves of. */
export function conflictingPairsHeld(policy: Policy, person: PolicyPerson): readonly (readonly [string, string])[] {
  return policy.segregation.conflictingRoles.filter(([a, b]) => person.roles.includes(a) && person.roles.includes(b));
}

/** Same e-mail, ignoring case. */
export function sameEmail(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** The rules a change needs for a scope: its risk class (or the emergency quorum) for deploy, dbMigration for db-migration. */
export function rulesFor(policy: Policy, change: ChangeDoc, scope: "deploy" | "db-migration") {
  if (scope === "db-migration") return change.dbMigration ? policy.approvals.dbMigration : [];
  return change.type === "emergency" ? policy.approvals.emergency : policy.approvals[change.risk];
}

/** True when the change's environment is protected by policy (approvals apply only there). */
export function isProtectedEnvironment(policy: Policy, environment: string): boolean {
  return policy.environments[environment]?.protected ?? false;
}

/** A plant id as people read it ("chicago" → "Chicago"). */
export function defaultPlantName(id: string): string {
  return id.length === 0 ? id : id[0]?.toUpperCase() + id.slice(1);
}

/** "a, b and c". */
export function joinAnd(parts: readonly string[]): string {
  if (parts.length <= 1) return parts[0] ?? "";
  return `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
}

/** Parses a policy duration ("48h", "30m", "2d") to milliseconds. */
export function durationMs(text: string): number {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(text);
  if (!m) return Number.NaN;
  const n = Number(m[1]);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as "ms" | "s" | "m" | "h" | "d"];
  return n * unit;
}
