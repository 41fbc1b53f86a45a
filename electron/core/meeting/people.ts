import type { DemoKey, Identity } from "../../../shared/contract/methods/approvals";
import { DEMO_PEOPLE } from "../../../shared/domain/demo/roster";
import type { Door } from "../dispatch";
import type { LooseCall } from "./core-call";

/** A person as the meeting records them. */
export interface MeetingPerson {
  readonly email: string;
  readonly name: string;
  readonly roles: readonly string[];
}

/**
 * Names and roles of the people the policy knows. The approvals capability owns policy.yaml; until it offers
 * a people list, its demo keys (and the demo roster behind them) name the people, and an unknown e-mail is
 * recorded as itself rather than refused: the minutes must list whoever was in the room.
 */
export async function lookupPeople(loose: LooseCall, door: Door, emails: readonly string[]): Promise<MeetingPerson[]> {
  const keys = await loose("identity.demoKeys", {}, door);
  const known: readonly { email: string; name: string; roles: readonly string[] }[] = keys.ok
    ? (keys.value as readonly DemoKey[])
    : DEMO_PEOPLE;
  return emails.map((raw) => {
    const email = raw.toLowerCase();
    const p = known.find((k) => k.email.toLowerCase() === email) ?? DEMO_PEOPLE.find((k) => k.email === email);
    return { email, name: p?.name ?? email, roles: p ? [...p.roles] : [] };
  });
}

/** The e-mail of the identity this laptop signs with, or null. */
export async function currentIdentity(loose: LooseCall, door: Door): Promise<Identity | null> {
  const result = await loose("identity.current", {}, door);
  return result.ok ? (result.value as Identity) : null;
}
