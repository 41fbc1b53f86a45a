import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { AppError } from "../../../shared/contract/errors";
import { DEMO_PEOPLE } from "../../../shared/domain/demo/roster";
import { parsePolicy } from "../../../shared/domain/policy/index";
import { IDENTITY_KEY_SETTING } from "../register/actor";
import type { Db } from "../register/db";
import { isDemoRegister } from "../register/policy-roles";
import { proofOf } from "../register/proved-identity";

/** The roles that may replace a plant's calendar: any policy-admin, or a plant-ops-leader of that plant. */
const CALENDAR_ADMIN = "policy-admin";
const PLANT_LEADER = "plant-ops-leader";

interface Person {
  readonly email: string;
  readonly roles: readonly string[];
  readonly plants: readonly string[];
}

/** Where the rule reads people from: the GitOps working copy's policy.yaml, or the demo roster. */
export interface CalendarRightsSource {
  readonly db: Db;
  readonly gitopsDir: string | null;
}

// The people the rule can vouch for. With a working copy, its policy.yaml alone (as identity and approvals read
// it); without one, the demo roster for the demo register only (as register/policy-roles.ts reads waivers), and
// nobody for any other register: a replacement then waits until the plant's GitOps repository is cloned.
function people(source: CalendarRightsSource): readonly Person[] {
  const dir = source.gitopsDir;
  if (dir === null || !existsSync(join(dir, ".git"))) {
    if (isDemoRegister(source.db)) return DEMO_PEOPLE;
    throw new AppError(
      "unavailable",
      "Who may replace a plant's calendar is read from .shiftgate/policy.yaml in the GitOps repository, and this " +
        "install has no GitOps working copy. Clone the plant's GitOps repository (or create the demo repository on " +
        "the GitOps page), then replace the calendar again.",
      { reason: "no-working-copy" },
    );
  }
  const file = join(dir, ".shiftgate", "policy.yaml");
  try {
    return parsePolicy(readFileSync(file, "utf8")).people;
  } catch (error) {
    const problem = error instanceof Error ? error.message : String(error);
    throw new AppError(
      "unavailable",
      `Who may replace a plant's calendar is read from ${file}, which cannot be read (${problem}). Pull the GitOps ` +
        "repository or fix policy.yaml, then replace the calendar again.",
      { reason: "policy-unreadable", file },
    );
  }
}

// The proved key holder only: a name sent by a page or typed on a command line never holds a role.
function provedEmail(db: Db): string | null {
  const key = db.prepare("SELECT value FROM settings WHERE key = ?").pluck().get(IDENTITY_KEY_SETTING);
  return typeof key === "string" ? (proofOf(db, key)?.email ?? null) : null;
}

const leads = (p: Person, plant: { readonly id: string; readonly name: string }) =>
  p.roles.includes(PLANT_LEADER) &&
  p.plants.some((x) => x === plant.id || x.toLowerCase() === plant.name.toLowerCase());

/**
 * The person (proved key holder) allowed to replace this plant's calendar, or an AppError (`forbidden`) naming who
 * may. Replacing includes importing over it, applying a shift preset to it and removing it.
 */
export function calendarReplacer(
  source: CalendarRightsSource,
  plant: { readonly id: string; readonly name: string },
): { readonly email: string } | AppError {
  const everyone = people(source);
  const allowed = everyone.filter((p) => p.roles.includes(CALENDAR_ADMIN) || leads(p, plant)).map((p) => p.email);
  const who = `Only a ${CALENDAR_ADMIN} or a ${PLANT_LEADER} of ${plant.name} may replace its calendar (${allowed.join(", ") || "nobody holds either role in policy.yaml"})`;
  const email = provedEmail(source.db);
  if (email === null)
    return new AppError("forbidden", `${who}: choose your signing key first.`, { reason: "no-proved-key", allowed });
  const me = everyone.find((p) => p.email.toLowerCase() === email.toLowerCase());
  if (!me || !(me.roles.includes(CALENDAR_ADMIN) || leads(me, plant)))
    return new AppError("forbidden", `${who}; ${email} is neither.`, { reason: "role-not-held", allowed });
  return { email: me.email };
}
