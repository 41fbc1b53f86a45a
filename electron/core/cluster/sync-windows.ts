import { tzOffset } from "@date-fns/tz";
import type { SyncPermission, SyncWindowView } from "../../../shared/contract/methods/cluster";
import { type Cron, cronDayMatches, parseCron } from "../../../shared/domain/calendar/wall-cron";
import type { SyncWindowSpec } from "./model";

const MINUTE = 60_000;
/** Longer windows are clipped: a sync window spanning more than a month is a configuration mistake. */
const MAX_DURATION = 31 * 24 * 60 * MINUTE;

/** Parses a Go duration as Argo CD writes it ("1h", "90m", "1h30m"); null when it is not one. */
export function parseDuration(text: string): number | null {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(h|m|s)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== text) return null;
  let ms = 0;
  for (const [, value, unit] of parts) {
    ms += Number(value) * (unit === "h" ? 3_600_000 : unit === "m" ? MINUTE : 1000);
  }
  return ms;
}

// One cron reader for what Shiftgate writes and what the cluster shows.
export { parseCron };

const has = (set: Cron["minute"], value: number) => set === "*" || set.has(value);

/** True when the cron fires at this minute of local wall-clock time (given as a UTC-shifted Date). */
function fires(cron: Cron, local: Date): boolean {
  if (!has(cron.minute, local.getUTCMinutes()) || !has(cron.hour, local.getUTCHours())) return false;
  return cronDayMatches(cron, Math.floor(local.getTime() / 86_400_000) * 86_400_000);
}

/** True when a window (cron start + duration, in its time zone) is open at `now`. */
export function isWindowActive(window: Pick<SyncWindowSpec, "schedule" | "duration" | "timeZone">, now: Date): boolean {
  const cron = parseCron(window.schedule);
  const duration = parseDuration(window.duration);
  if (cron === null || duration === null || duration <= 0) return false;
  // One offset for the whole look-back: a DST switch inside a window shifts it by an hour at most.
  const offset = tzOffset(window.timeZone, now) * MINUTE;
  const nowMs = now.getTime();
  const lookBack = Math.min(duration, MAX_DURATION);
  for (let start = Math.floor(nowMs / MINUTE) * MINUTE; start > nowMs - lookBack; start -= MINUTE) {
    if (fires(cron, new Date(start + offset))) return true;
  }
  return false;
}

function glob(pattern: string, value: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
  );
  return re.test(value);
}

/** True when a window applies to an application (by name, destination namespace or cluster). */
function windowMatches(
  window: SyncWindowSpec,
  app: { readonly name: string; readonly namespace: string | null; readonly cluster?: string | null },
): boolean {
  return (
    window.applications.some((p) => glob(p, app.name)) ||
    (app.namespace !== null && window.namespaces.some((p) => glob(p, app.namespace ?? ""))) ||
    (app.cluster != null && window.clusters.some((p) => glob(p, app.cluster ?? "")))
  );
}

/**
 * Whether Argo CD lets these applications sync now, following its rules: an active deny window blocks;
 * when allow windows apply, one of them must be open; with no window applying, syncing is free.
 */
export function syncPermission(
  windows: readonly SyncWindowSpec[],
  apps: readonly { readonly name: string; readonly namespace: string | null }[],
  now: Date,
): SyncPermission {
  const relevant = windows.filter((w) => apps.length === 0 || apps.some((a) => windowMatches(w, a)));
  const views: SyncWindowView[] = relevant.map((w) => ({
    kind: w.kind,
    schedule: w.schedule,
    duration: w.duration,
    timeZone: w.timeZone,
    manualSync: w.manualSync,
    active: isWindowActive(w, now),
  }));
  const activeDeny = views.find((w) => w.kind === "deny" && w.active);
  if (activeDeny) {
    return {
      allowed: false,
      reason: `A deny window (${activeDeny.schedule}, ${activeDeny.duration}, ${activeDeny.timeZone}) is open: Argo CD will not sync now.`,
      windows: views,
    };
  }
  const allows = views.filter((w) => w.kind === "allow");
  if (allows.length > 0 && !allows.some((w) => w.active)) {
    return { allowed: false, reason: "No allow window is open: Argo CD syncs only inside one.", windows: views };
  }
  return {
    allowed: true,
    reason: allows.length > 0 ? "An allow window is open." : "No sync window restricts these applications.",
    windows: views,
  };
}
