import { DAY, MINUTE } from "./zone";

/** A cron field: the values it names, or "*" for every value. */
type CronField = ReadonlySet<number> | "*";

/** A parsed five-field cron schedule (minute hour day-of-month month day-of-week; Sunday is 0). */
export interface Cron {
  readonly minute: CronField;
  readonly hour: CronField;
  readonly dom: CronField;
  readonly month: CronField;
  readonly dow: CronField;
}

function parseField(text: string, min: number, max: number): CronField | null {
  if (text === "*") return "*";
  const out = new Set<number>();
  for (const part of text.split(",")) {
    const m = /^(\*|\d+)(?:-(\d+))?(?:\/(\d+))?$/.exec(part);
    if (!m) return null;
    const from = m[1] === "*" ? min : Number(m[1]);
    const to = m[2] !== undefined ? Number(m[2]) : m[1] === "*" || m[3] !== undefined ? max : from;
    const step = m[3] !== undefined ? Number(m[3]) : 1;
    if (from < min || to > max || from > to || step < 1) return null;
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

/** Parses a standard five-field cron expression (the subset robfig/cron reads that Shiftgate writes); null otherwise. */
export function parseCron(text: string): Cron | null {
  const fields = text.trim().split(/\s+/);
  if (fields.length !== 5) return null;
  const [mi, h, dom, mo, dow] = fields as [string, string, string, string, string];
  const minute = parseField(mi, 0, 59);
  const hour = parseField(h, 0, 23);
  const days = parseField(dom, 1, 31);
  const month = parseField(mo, 1, 12);
  const weekdays = parseField(dow, 0, 7);
  if (!minute || !hour || !days || !month || !weekdays) return null;
  // Sunday is both 0 and 7 in cron.
  const normalised = weekdays === "*" ? "*" : new Set([...weekdays].map((d) => d % 7));
  return { minute, hour, dom: days, month, dow: normalised };
}

const has = (field: CronField, value: number) => field === "*" || field.has(value);

/** True when the cron's day fields match this wall day (ms of its midnight); classic cron ORs two restricted fields. */
export function cronDayMatches(cron: Cron, dayWall: number): boolean {
  const d = new Date(dayWall);
  if (!has(cron.month, d.getUTCMonth() + 1)) return false;
  const domOk = has(cron.dom, d.getUTCDate());
  const dowOk = has(cron.dow, d.getUTCDay());
  return cron.dom !== "*" && cron.dow !== "*" ? domOk || dowOk : domOk && dowOk;
}

const values = (field: CronField, max: number): number[] =>
  field === "*" ? Array.from({ length: max + 1 }, (_, i) => i) : [...field].sort((a, b) => a - b);

/** The wall-clock times (as UTC-shifted ms) the cron fires in [fromWall, toWall), in order. */
export function cronFirings(cron: Cron, fromWall: number, toWall: number): number[] {
  const out: number[] = [];
  const hours = values(cron.hour, 23);
  const minutes = values(cron.minute, 59);
  for (let day = Math.floor(fromWall / DAY) * DAY; day < toWall; day += DAY) {
    if (!cronDayMatches(cron, day)) continue;
    for (const h of hours)
      for (const m of minutes) {
        const t = day + h * 60 * MINUTE + m * MINUTE;
        if (t >= fromWall && t < toWall) out.push(t);
      }
  }
  return out;
}
