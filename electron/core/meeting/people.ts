import { AppError } from "../../../shared/contract/errors";
import type { Identity } from "../../../shared/contract/methods/approvals";
import type { Door } from "../dispatch";
import type { TryCall } from "./core-call";

/** A person as the meeting records them. */
interface MeetingPerson {
  readonly email: string;
  readonly name: string;
  readonly roles: readonly string[];
}

/**
 * Names and roles of the people the policy in force lists (identity.people: policy.yaml, or the demo policy
 * while no repository is configured). An e-mail it does not list is recorded as itself rather than refused:
 * the minutes must name whoever was in the room. When the policy cannot be read, the call fails with its reason.
 */
export async function lookupPeople(attempt: TryCall, door: Door, emails: readonly string[]): Promise<MeetingPerson[]> {
  const result = await attempt("identity.people", {}, door);
  if (!result.ok) throw AppError.fromData(result.error);
  const known = result.value;
  return emails.map((raw) => {
    const email = raw.toLowerCase();
    const p = known.find((k) => k.email === email);
    return { email, name: p?.name ?? email, roles: p ? [...p.roles] : [] };
  });
}

/** The e-mail of the identity this laptop signs with, or null. */
export async function currentIdentity(attempt: TryCall, door: Door): Promise<Identity | null> {
  const result = await attempt("identity.current", {}, door);
  return result.ok ? result.value : null;
}
