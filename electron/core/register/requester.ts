import { AppError, type Person } from "../../../shared/contract/index";
import type { NewChange } from "./change-ops";
import type { ChangeRow } from "./change-rows";
import type { OpEnv } from "./ops-env";
import { isPerson } from "./permissions";
import type { PolicyPermissions } from "./policy-roles";

/**
 * The requester of a new change is the person creating it: a name typed into the form is never taken as the
 * actor. When the input names someone else, that person is kept as "on behalf of", and segregation of duties
 * holds both of them. A script with no person (the OS account on the direct door) keeps the requester it names.
 */
export function asRequester(
  env: Pick<OpEnv, "actor">,
  permissions: () => PolicyPermissions,
  input: NewChange,
): { fields: NewChange; onBehalfOf: Person | null } {
  if (!isPerson(env.actor)) return { fields: input, onBehalfOf: null };
  const email = env.actor.toLowerCase();
  const named = input.requester.email.toLowerCase() === email;
  const name = permissions().nameOf(email) ?? (named ? input.requester.name : email);
  return { fields: { ...input, requester: { name, email } }, onBehalfOf: named ? null : input.requester };
}

/** Refuses an edit that would make someone else the requester: the requester is who created the change. */
export function assertSameRequester(env: Pick<OpEnv, "actor">, row: ChangeRow, next: Person | undefined): void {
  if (next === undefined || !isPerson(env.actor)) return;
  if (next.email.toLowerCase() === row.requester_email.toLowerCase()) return;
  throw new AppError(
    "forbidden",
    `The requester of ${row.number ?? row.id} is ${row.requester_email}, who created it; it cannot be changed to ` +
      `${next.email}. Create a new change as ${next.email} (or on their behalf) instead.`,
    { reason: "requester-fixed" },
  );
}
