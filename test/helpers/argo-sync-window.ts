import { tzOffset } from "@date-fns/tz";
import { parseDuration } from "../../electron/core/cluster/sync-windows";
import { type Cron, parseCron } from "../../shared/domain/calendar/wall-cron";

/**
 * Argo CD's own evaluation of one sync window, ported from `SyncWindow.active(currentTime)` in
 * pkg/apis/application/v1alpha1/types.go (argo-cd v3.5.1) and robfig/cron v3's `SpecSchedule.Next`:
 *
 *   offset     := the zone's UTC offset now                  (scheduleOffsetByTimeZone reads time.Now())
 *   nextWindow := schedule.Next(current + offset - duration)  (the schedule is parsed without CRON_TZ, so it
 *                                                              runs on UTC fields of the shifted time: the wall clock)
 *   active     := nextWindow.Before(current + offset)
 *
 * Next returns the first firing strictly after its argument (it rounds up to the next whole second, and a
 * five-field schedule fires at second 0), or the zero time when none comes within five years, which is before
 * everything: a schedule that never fires counts as always active. "Next firing before L" is "a firing in
 * (L - duration, L)", which is what is computed here. The simulated instant stands for time.Now().
 */
export function argoWindowActive(
  window: { readonly schedule: string; readonly duration: string; readonly timeZone: string },
  at: number,
): boolean {
  const cron = parseCron(window.schedule);
  const duration = parseDuration(window.duration);
  if (cron === null || duration === null) throw new Error(`Argo CD would reject ${JSON.stringify(window)}`);
  const wall = at + tzOffset(window.timeZone, new Date(at)) * 60_000;
  const FIVE_YEARS = 5 * 366 * 86_400_000;
  if (neverFires(window.schedule, FIVE_YEARS)) return true;
  return firesWithin(cron, wall - duration, wall);
}

// robfig/cron's dayMatches: with a star in either day field both must match, else either may.
function dayMatches(cron: Cron, day: Date): boolean {
  const inField = (f: Cron["dom"], v: number) => f === "*" || f.has(v);
  const dom = inField(cron.dom, day.getUTCDate());
  const dow = inField(cron.dow, day.getUTCDay());
  return cron.dom === "*" || cron.dow === "*" ? dom && dow : dom || dow;
}

// A firing strictly inside (from, to), both wall-clock times as UTC-shifted ms.
function firesWithin(cron: Cron, from: number, to: number): boolean {
  const inField = (f: Cron["minute"], v: number) => f === "*" || f.has(v);
  for (let day = Math.floor(from / 86_400_000) * 86_400_000; day < to; day += 86_400_000) {
    const d = new Date(day);
    if (!inField(cron.month, d.getUTCMonth() + 1) || !dayMatches(cron, d)) continue;
    for (let h = 0; h < 24; h++) {
      if (!inField(cron.hour, h)) continue;
      for (let m = 0; m < 60; m++) {
        const t = day + h * 3_600_000 + m * 60_000;
        if (t > from && t < to && inField(cron.minute, m)) return true;
      }
    }
  }
  return false;
}

const never = new Map<string, boolean>();
function neverFires(schedule: string, span: number): boolean {
  let known = never.get(schedule);
  if (known === undefined) {
    const cron = parseCron(schedule);
    known = cron === null || !firesWithin(cron, Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 1) + span);
    never.set(schedule, known);
  }
  return known;
}

/** Argo's CanSync for an automated sync: no active deny window, and an active allow window when any allow exists. */
export function argoCanAutoSync(
  windows: readonly {
    readonly kind: string;
    readonly schedule: string;
    readonly duration: string;
    readonly timeZone: string;
  }[],
  at: number,
): boolean {
  const active = windows.filter((w) => argoWindowActive(w, at));
  if (active.some((w) => w.kind === "deny")) return false;
  return active.some((w) => w.kind === "allow") || !windows.some((w) => w.kind === "allow");
}
