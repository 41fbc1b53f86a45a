import { userInfo } from "node:os";
import { DEMO_PEOPLE } from "../../../shared/domain/demo/roster";
import type { Door } from "../dispatch";
import type { Db } from "./db";
import { proofOf } from "./proved-identity";

/**
 * Who performs a call. The window and browser doors act as the person whose signing key is selected (its
 * e-mail as verified against allowed_signers when the key was chosen): a name sent by a page is never trusted.
 * Scripts and in-process callers (CLI, tests) may name the actor in the input's optional `actor`.
 */
export type ActorResolver = (claimed: string | undefined, door: Door) => string;

/** The settings key holding the e-mail the selected signing key was verified to speak for (written by identity.use). */
export const IDENTITY_EMAIL_SETTING = "identity.email";

/** The settings key holding the selected signing key (written by identity.use; a selection, not a proof). */
export const IDENTITY_KEY_SETTING = "identity.keyFile";

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

/**
 * The app's resolver: the proved key holder for ipc and web calls; for scripts the claim, else the key holder,
 * else `local`. Only a key this core has seen sign counts: a selection remembered from an earlier run is not
 * anyone until it is proved again (identity.current and every signing re-prove keys that need no passphrase).
 */
export function identityActorResolver(db: Db, local: string): ActorResolver {
  const read = db.prepare("SELECT value FROM settings WHERE key = ?").pluck();
  return (claimed, door) => {
    const key = read.get(IDENTITY_KEY_SETTING) as string | undefined;
    const verified = key === undefined ? null : (proofOf(db, key)?.email ?? null);
    if (door === "ipc" || door === "web") return verified ?? local;
    return claimed ?? verified ?? local;
  };
}

/** Roles from the demo roster: the demo seed's waivers, and a demo register's while it has no GitOps working copy. */
export const demoRoleDirectory: RoleDirectory = (email) =>
  DEMO_PEOPLE.find((p) => p.email === email.toLowerCase())?.roles ?? [];
