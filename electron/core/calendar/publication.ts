import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { PendingPublication, PlantDetail } from "../../../shared/contract/methods/calendar";
import { latestAuditOf } from "../register/audit";
import type { Db } from "../register/db";

/** The audit actions that change an existing plant's calendar on this laptop only. */
const LOCAL_CALENDAR_CHANGES = ["plant.replace-calendar", "plant.apply-preset"] as const;

// The working copy's calendar file (HEAD plus this laptop's unpushed commits), or null when it has none.
function publishedIcs(gitopsDir: string | null, plantId: string): string | null {
  if (gitopsDir === null) return null;
  const file = join(gitopsDir, ".shiftgate", "calendars", `${plantId}.ics`);
  return existsSync(file) ? readFileSync(file, "utf8") : null;
}

/**
 * Whether a plant's calendar was replaced here and the GitOps repository does not hold it yet, derived (never
 * stored): the newest replacement's audit row says since when and by whom; the working copy's
 * `.shiftgate/calendars/<plant>.ics` holding the same text says it was published (by gitops.publishCalendars here,
 * or arrived from another laptop), and the plant is no longer pending.
 */
export function pendingPublication(db: Db, gitopsDir: string | null, plant: PlantDetail): PendingPublication | null {
  const replaced = latestAuditOf(db, "plant", plant.id, LOCAL_CALENDAR_CHANGES);
  if (!replaced) return null;
  if (publishedIcs(gitopsDir, plant.id) === plant.ics) return null;
  return { since: replaced.at, by: replaced.actor };
}
