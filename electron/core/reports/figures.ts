import type { ChangeStatus } from "../../../shared/contract/index";
import type { LeadTime, MonthFigures, MonthlyFigures, Ratio } from "../../../shared/contract/methods/reports";
import type { ChangeHistory, HistoryStep } from "./history";

// The monthly figures, defined once here. Months are calendar months in the report's IANA time zone; every
// instant comes from the audit chain (see history.ts). A change's milestones:
//
// - submitted:  the first time it held any status other than draft (created directly in a later state, as
//               an emergency logged under break-glass is, it counts from creation).
// - approved:   the first time it became "approved".
// - production: the first time its promotion stage became "production" (the release reached production).
// - outcome:    success when it became "closed" without having been "failed", "rolled-back" or "unauthorised"
//               before; failure at the first of those. Only changes that reached "implementing" have an
//               outcome: a cancelled or rejected change was never tried.
//
// Per month:
// - submitted, byType, byPlant: changes whose submission fell in the month (a change for two plants counts
//   once for each plant in byPlant, once in byType).
// - successRate:        successes / outcomes, over changes whose outcome fell in the month.
// - emergencyRatio:     emergency submissions / all submissions of the month.
// - changeFailureRate:  of the changes that reached production in the month, those that later (at any time
//                       up to the report) failed, were rolled back or were unauthorised. DORA's figure, about production only.
// - leadTimeToApproval: hours from submission to approval, over changes approved in the month.
// - leadTimeToProduction: hours from submission to production, over changes that reached production in the month.
// Lead times give the count, median, mean and 90th percentile (nearest rank), in hours to one decimal.

// An unauthorised release is a failed change: it went out without what its policy needs, however well it ran.
const FAIL: readonly ChangeStatus[] = ["failed", "rolled-back", "unauthorised"];
const HOUR = 3_600_000;

/** A change's milestones in epoch ms, null when not reached. */
interface Milestones {
  readonly submitted: number | null;
  readonly approved: number | null;
  readonly production: number | null;
  readonly outcome: { readonly at: number; readonly success: boolean } | null;
  /** The first failure after production (for the change failure rate), null when none. */
  readonly failedAfterProduction: number | null;
}

function first(steps: readonly HistoryStep[], test: (s: HistoryStep) => boolean): number | null {
  return steps.find(test)?.at ?? null;
}

/** The milestones of one change's history (definitions above). */
function milestones(h: ChangeHistory): Milestones {
  const steps = [...h.steps].sort((a, b) => a.at - b.at);
  const submitted = first(steps, (s) => s.status !== null && s.status !== "draft");
  const approved = first(steps, (s) => s.status === "approved");
  const production = first(steps, (s) => s.stage === "production");
  const implemented = first(steps, (s) => s.status === "implementing");
  const failedAt = first(steps, (s) => s.status !== null && FAIL.includes(s.status));
  const closedAt = first(steps, (s) => s.status === "closed");
  let outcome: Milestones["outcome"] = null;
  if (implemented !== null) {
    if (failedAt !== null) outcome = { at: failedAt, success: false };
    else if (closedAt !== null) outcome = { at: closedAt, success: true };
  }
  const failedAfterProduction =
    production === null
      ? null
      : first(steps, (s) => s.at >= production && s.status !== null && FAIL.includes(s.status));
  return { submitted, approved, production, outcome, failedAfterProduction };
}

/** "YYYY-MM" of an instant in a zone. */
function monthOf(at: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit" }).formatToParts(at);
  const y = parts.find((p) => p.type === "year")?.value ?? "0000";
  const m = parts.find((p) => p.type === "month")?.value ?? "01";
  return `${y}-${m}`;
}

/** The `count` months ending with the month of `now`, oldest first. */
function monthsEnding(now: Date, count: number, timeZone: string): string[] {
  const [y, m] = monthOf(now.getTime(), timeZone).split("-").map(Number) as [number, number];
  const out: string[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const index = y * 12 + (m - 1) - i;
    out.push(`${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`);
  }
  return out;
}

function ratio(numerator: number, denominator: number): Ratio {
  return { numerator, denominator, value: denominator === 0 ? null : numerator / denominator };
}

const round1 = (hours: number) => Math.round(hours * 10) / 10;

/** Count, median, mean and nearest-rank 90th percentile of durations in ms, reported in hours. */
export function leadTime(durations: readonly number[]): LeadTime {
  if (durations.length === 0) return { count: 0, medianHours: null, meanHours: null, p90Hours: null };
  const sorted = [...durations].sort((a, b) => a - b);
  const n = sorted.length;
  const mid = Math.floor(n / 2);
  const median = n % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  const mean = sorted.reduce((a, b) => a + b, 0) / n;
  const p90 = sorted[Math.ceil(0.9 * n) - 1] ?? 0;
  return { count: n, medianHours: round1(median / HOUR), meanHours: round1(mean / HOUR), p90Hours: round1(p90 / HOUR) };
}

interface Marked {
  readonly h: ChangeHistory;
  readonly m: Milestones;
}

function figuresFor(changes: readonly Marked[], inPeriod: (at: number | null) => boolean): Omit<MonthFigures, "month"> {
  const submitted = changes.filter((c) => inPeriod(c.m.submitted));
  const byType = { standard: 0, normal: 0, emergency: 0 };
  const byPlant: Record<string, number> = {};
  for (const c of submitted) {
    byType[c.h.type] += 1;
    for (const p of c.h.plants) byPlant[p] = (byPlant[p] ?? 0) + 1;
  }
  const outcomes = changes.filter((c) => c.m.outcome !== null && inPeriod(c.m.outcome.at));
  const deployed = changes.filter((c) => inPeriod(c.m.production));
  const approved = changes.filter((c) => inPeriod(c.m.approved) && c.m.submitted !== null);
  return {
    submitted: submitted.length,
    byType,
    byPlant,
    successRate: ratio(outcomes.filter((c) => c.m.outcome?.success).length, outcomes.length),
    emergencyRatio: ratio(byType.emergency, submitted.length),
    changeFailureRate: ratio(deployed.filter((c) => c.m.failedAfterProduction !== null).length, deployed.length),
    leadTimeToApproval: leadTime(approved.map((c) => (c.m.approved ?? 0) - (c.m.submitted ?? 0))),
    leadTimeToProduction: leadTime(
      deployed.filter((c) => c.m.submitted !== null).map((c) => (c.m.production ?? 0) - (c.m.submitted ?? 0)),
    ),
  };
}

/** The monthly figures of the given histories over the `months` months ending with `now`'s month. */
export function monthlyFigures(
  histories: readonly ChangeHistory[],
  options: { readonly now: Date; readonly months: number; readonly timeZone: string },
): MonthlyFigures {
  const { now, months, timeZone } = options;
  const marked = histories.map((h) => ({ h, m: milestones(h) }));
  const names = monthsEnding(now, months, timeZone);
  const wanted = new Set(names);
  const inAny = (at: number | null) => at !== null && at <= now.getTime() && wanted.has(monthOf(at, timeZone));
  return {
    timeZone,
    generatedAt: now.toISOString(),
    months: names.map((month) => ({
      month,
      ...figuresFor(marked, (at) => at !== null && at <= now.getTime() && monthOf(at, timeZone) === month),
    })),
    total: figuresFor(marked, inAny),
  };
}
