import { AppError } from "../../../shared/contract/errors";
import {
  type Action,
  type ChangeParties,
  describeWho,
  mayAct,
  transitionAction,
  whoMay,
} from "../../../shared/domain/policy/permissions";
import { manualTransitions } from "../../../shared/domain/register/lifecycle";
import type { ChangeStatus } from "../../../shared/domain/register/vocabulary";
import type { Door } from "../dispatch";
import type { ChangeRow } from "./change-rows";
import type { PolicyPermissions } from "./policy-roles";

/** What judging who may act needs: the policy's people, roles and action rules. */
export interface PermissionDeps {
  readonly permissions: () => PolicyPermissions;
}

/** A caller: the resolved actor and the door the call came through. */
interface Caller {
  readonly actor: string;
  readonly door: Door;
}

const VERBS: Readonly<Record<Action, string>> = {
  "change.create": "create changes",
  "change.edit": "edit",
  "change.delete": "delete",
  "change.submit": "submit",
  "change.withdraw": "withdraw",
  "change.cancel": "cancel",
  "change.assess": "mark as assessed (or record the risk of)",
  "change.request-approval": "request approval for",
  "change.schedule": "schedule",
  "change.fail": "mark as failed",
  "change.roll-back": "mark as rolled back",
  "change.close": "close",
  "gate.record": "record gates of",
  "change.promote": "promote",
  "change.comment": "comment on or attach notes to",
  "odoo.connect": "set the Odoo connection of environments",
  "odoo.check": "run Odoo gate checks",
};

/** True for an actor that is a person's e-mail (a proved key holder, or the person a script names). */
export function isPerson(actor: string): boolean {
  return actor.includes("@") && !actor.startsWith("os:") && !actor.startsWith("system:");
}

/** How the change looks to the rules: its requester, on-behalf-of person, implementer and environment. */
function partiesOf(row: ChangeRow, permissions: PolicyPermissions, environment?: string): ChangeParties {
  return {
    requester: row.requester_email.toLowerCase(),
    onBehalfOf: row.on_behalf_of_email?.toLowerCase() ?? null,
    implementer: row.implementer_email?.toLowerCase() ?? null,
    protectedEnvironment: permissions.protectedEnvironments.includes(environment ?? row.environment),
  };
}

/**
 * Why the caller may not take the action (on the change, when there is one), or null when they may.
 * A page door (window, browser) always needs a proved key holder. The CLI and direct (in-process) doors are the
 * trusted local doors: a person it names (`--actor`, or the proved key) is held to the same rules, while a call with
 * no person at all (the OS account running a script) is not judged here; the ledger and verify still are.
 */
export function refusal(
  deps: PermissionDeps,
  caller: Caller,
  action: Action,
  row: ChangeRow | null,
  environment?: string,
): string | null {
  if (!isPerson(caller.actor)) {
    if (caller.door === "direct" || caller.door === "cli") return null;
    return (
      "Select your signing key (the identity menu) and let it sign its challenge first: without a proved key this " +
      "window may only read."
    );
  }
  const permissions = deps.permissions();
  const parties = row === null ? null : partiesOf(row, permissions, environment);
  const roles = permissions.rolesOf(caller.actor);
  if (mayAct(permissions.rules, action, { email: caller.actor, roles }, parties)) return null;
  const subject = row === null ? "" : ` ${row.number ?? row.id}`;
  const held = roles.length > 0 ? roles.join(", ") : "no role in the policy";
  const party = parties && isPartyRequester(caller.actor, parties) ? "requester" : "implementer";
  const ownChange = parties !== null && (party === "requester" || parties.implementer === caller.actor.toLowerCase());
  const requesterNote =
    action === "gate.record" && parties?.protectedEnvironment && ownChange
      ? ` The ${party} records no gate bound for the protected ${environment ?? row?.environment} environment unless policy.yaml's actions allow it.`
      : "";
  return (
    `Only ${describeWho(whoMay(permissions.rules, action))} may ${VERBS[action]}${subject}; you (${caller.actor}) hold: ` +
    `${held}.${requesterNote} Ask someone who holds the role, or a policy-admin to change policy.yaml's actions.`
  );
}

function isPartyRequester(email: string, parties: ChangeParties): boolean {
  const e = email.toLowerCase();
  return parties.requester === e || parties.onBehalfOf === e;
}

/** Throws `forbidden` unless the caller may take the action. */
export function assertMay(
  deps: PermissionDeps,
  caller: Caller,
  action: Action,
  row: ChangeRow | null,
  environment?: string,
): void {
  const why = refusal(deps, caller, action, row, environment);
  if (why !== null) throw new AppError("forbidden", why, { reason: "role", action });
}

/**
 * Throws `forbidden` unless the caller may move the change to `to`. Derived moves, and moves the lifecycle does not
 * have from this state, are the lifecycle's to refuse (with what the change can become instead).
 */
export function assertMayMove(deps: PermissionDeps, caller: Caller, row: ChangeRow, to: ChangeStatus): void {
  if (!manualTransitions(row.type, row.status).includes(to)) return;
  const action = transitionAction(row.status, to);
  if (action !== null) assertMay(deps, caller, action, row);
}

/** The caller's manual moves, split into those they may make and those they may not (with why). */
export function movesFor(
  deps: PermissionDeps,
  caller: Caller,
  row: ChangeRow,
): { allowed: ChangeStatus[]; unavailable: { to: ChangeStatus; reason: string }[] } {
  const allowed: ChangeStatus[] = [];
  const unavailable: { to: ChangeStatus; reason: string }[] = [];
  if (row.deleted_at !== null) return { allowed, unavailable };
  for (const to of manualTransitions(row.type, row.status)) {
    const action = transitionAction(row.status, to);
    let why: string | null;
    try {
      why = action === null ? null : refusal(deps, caller, action, row);
    } catch (error) {
      // A policy that cannot be read leaves every move unavailable, saying why, rather than failing the page.
      why = error instanceof AppError ? error.message : String(error);
    }
    if (why === null) allowed.push(to);
    else unavailable.push({ to, reason: why });
  }
  return { allowed, unavailable };
}
