import { userInfo } from "node:os";
import { DEMO_PEOPLE } from "../../../shared/domain/demo/roster";

/**
 * Who performs a call. Calls carry no identity yet: the input's optional `actor` (validated as an
 * e-mail by the contract) wins, else the local OS user. Identity from signing keys replaces this one function.
 */
export type ActorResolver = (claimed: string | undefined) => string;

/** Roles a person holds, or an empty list when unknown; used to judge who may waive a gate. */
export type RoleDirectory = (email: string) => readonly string[];

/** The OS account name, as `os:<name>` so it cannot be mistaken for a verified e-mail. */
export function osActor(): string {
  try {
    return `os:${userInfo().username}`;
  } catch {
    // Some containers run with a uid that has no passwd entry.
    return "os:unknown";
  }
}

/** The default resolver: the claimed e-mail, else the given local actor. */
export function localActorResolver(local: string): ActorResolver {
  return (claimed) => claimed ?? local;
}

/** Roles from the demo roster until the GitOps policy.yaml provides them (issue: identity). */
export const demoRoleDirectory: RoleDirectory = (email) =>
  DEMO_PEOPLE.find((p) => p.email === email.toLowerCase())?.roles ?? [];
