import { AppError } from "../../errors/app-error";
import { type ConflictContext, nameKey, type PlantIndex, type ProposedWindow } from "./conflicts";
import { findContaining } from "./interval-index";
import { DAY, MINUTE } from "./zone";

/** What to look for: a window of `durationMs` starting at or after `after`, for the change described. */
interface NextWindowRequest extends Omit<ProposedWindow, "start" | "end"> {
  readonly durationMs: number;
  readonly after: number;
  /** How far ahead to look; the context must cover it. Default 366 days. */
  readonly horizonMs?: number;
  /** A maintenance window is preferred when one can start within this long of `after`. Default 14 days. */
  readonly preferMaintenanceWithinMs?: number;
}

/** The earliest safe window, and whether it lies inside maintenance at every named plant. */
export interface NextWindow {
  readonly start: number;
  readonly end: number;
  readonly inMaintenance: boolean;
}

export const DEFAULT_HORIZON_MS = 366 * DAY;
const MAINTENANCE_PREFERENCE_MS = 14 * DAY;

type Range = { lo: number; hi: number };

/**
 * Finds the earliest window with no blocking conflict on any named plant, preferring one wholly inside a
 * MAINTENANCE instance of every named plant when such a window starts within 14 days. Works on the set of
 * forbidden start times (a union of intervals), so it is exact to the millisecond and then rounded up to a minute.
 */
export function findNextWindow(ctx: ConflictContext, req: NextWindowRequest): NextWindow | null {
  const d = req.durationMs;
  if (!(d > 0)) throw new AppError("invalid-input", "The duration must be positive.");
  const horizon = req.after + (req.horizonMs ?? DEFAULT_HORIZON_MS);
  const plants = uniquePlants(ctx, req.plants);
  const forbidden = merge(forbiddenStarts(ctx, plants, req));
  const free = (t0: number): number => {
    let t = t0;
    for (;;) {
      const r = rangeAt(forbidden, t);
      if (!r) return t;
      t = Math.ceil(r.hi / MINUTE) * MINUTE;
    }
  };
  const preferUntil = req.after + (req.preferMaintenanceWithinMs ?? MAINTENANCE_PREFERENCE_MS);
  for (const allowed of maintenanceStarts(plants, d)) {
    if (allowed.lo > preferUntil) break;
    if (allowed.hi <= req.after) continue;
    const t = free(Math.max(req.after, allowed.lo));
    if (t < allowed.hi && t <= preferUntil) return { start: t, end: t + d, inMaintenance: true };
  }
  const t = free(req.after);
  if (t > horizon) return null;
  return { start: t, end: t + d, inMaintenance: plants.every((p) => !!findContaining(p.maintenance, t, t + d)) };
}

function uniquePlants(ctx: ConflictContext, names: readonly string[]): PlantIndex[] {
  const out = new Map<string, PlantIndex>();
  for (const name of names) {
    const p = ctx.plants.get(nameKey(name));
    if (!p) throw new AppError("not-found", `There is no calendar for plant "${name}".`, { plant: name });
    out.set(nameKey(name), p);
  }
  return [...out.values()];
}

// Start times t for which [t, t+d) would hit a blocking conflict, as half-open ranges.
function forbiddenStarts(ctx: ConflictContext, plants: readonly PlantIndex[], req: NextWindowRequest): Range[] {
  const d = req.durationMs;
  const buf = ctx.bufferMs;
  const out: Range[] = [];
  for (const p of plants) {
    for (const b of p.blackouts.items) out.push({ lo: b.start - d + 1, hi: Math.max(b.end, b.start + 1) });
    for (const at of p.boundaries) out.push({ lo: at - d - buf + 1, hi: at + buf + 1 });
    const others = ctx.changes.byPlant.get(nameKey(p.name));
    if (others && (req.area || req.environment)) {
      for (const c of others.items) {
        if (c.id === req.id) continue;
        const shares =
          (!!req.area && !!c.area && nameKey(req.area) === nameKey(c.area)) ||
          (!!req.environment && !!c.environment && nameKey(req.environment) === nameKey(c.environment));
        if (shares) out.push({ lo: c.start - d + 1, hi: c.end });
      }
    }
  }
  const mine = req.implementer ? ctx.changes.byImplementer.get(nameKey(req.implementer)) : undefined;
  for (const c of mine?.items ?? []) if (c.id !== req.id) out.push({ lo: c.start - d + 1, hi: c.end });
  return out.filter((r) => r.hi > r.lo);
}

function merge(ranges: Range[]): Range[] {
  ranges.sort((a, b) => a.lo - b.lo);
  const out: Range[] = [];
  for (const r of ranges) {
    const last = out[out.length - 1];
    if (last && r.lo <= last.hi) last.hi = Math.max(last.hi, r.hi);
    else out.push({ ...r });
  }
  return out;
}

function rangeAt(sorted: readonly Range[], t: number): Range | null {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid]?.lo ?? 0) <= t) lo = mid + 1;
    else hi = mid;
  }
  const r = sorted[lo - 1];
  return r && r.hi > t ? r : null;
}

// Start times at which [t, t+d) lies inside a MAINTENANCE instance of every plant.
function maintenanceStarts(plants: readonly PlantIndex[], d: number): Range[] {
  let acc: Range[] | null = null;
  for (const p of plants) {
    const mine = merge(
      p.maintenance.items.filter((m) => m.end - m.start >= d).map((m) => ({ lo: m.start, hi: m.end - d + 1 })),
    );
    acc = acc === null ? mine : intersect(acc, mine);
  }
  return acc ?? [];
}

function intersect(a: readonly Range[], b: readonly Range[]): Range[] {
  const out: Range[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as Range;
    const y = b[j] as Range;
    const lo = Math.max(x.lo, y.lo);
    const hi = Math.min(x.hi, y.hi);
    if (hi > lo) out.push({ lo, hi });
    if (x.hi < y.hi) i++;
    else j++;
  }
  return out;
}
