import { readBlocks } from "./content-lines";
import { DAY, ianaZone, resolveZoneName, type ZoneRules } from "./zone";

// RFC 5545 §3.6.5: every TZID a calendar uses needs its VTIMEZONE. They are written from the runtime's IANA
// rules: each observance as a yearly RRULE where the rule still holds at the end of the range (the usual
// "last Sunday of March"), else as explicit RDATEs (rules that ended, such as a zone that gave up DST).

const FIRST_YEAR = 1970;
const LAST_YEAR = 2100;

interface Onset {
  /** Wall-clock reading of the change in the offset before it (as DTSTART in a VTIMEZONE is written). */
  readonly wall: number;
  readonly from: number;
  readonly to: number;
}

function transitions(zone: ZoneRules): Onset[] {
  const out: Onset[] = [];
  const first = Date.UTC(FIRST_YEAR, 0, 1) / DAY;
  const last = Date.UTC(LAST_YEAR, 0, 1) / DAY;
  let before = zone.offsetAt(first * DAY);
  for (let day = first; day < last; day++) {
    const after = zone.offsetAt((day + 1) * DAY);
    if (after === before) continue;
    // The zone rules hold at most one change a UTC day: find its instant to the second.
    let a = day * DAY;
    let b = (day + 1) * DAY;
    while (b - a > 1000) {
      const mid = a + Math.floor((b - a) / 2000) * 1000;
      if (zone.offsetAt(mid) === before) a = mid;
      else b = mid;
    }
    out.push({ wall: b + before, from: before, to: after });
    before = after;
  }
  return out;
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

function wallText(wall: number): string {
  const d = new Date(wall);
  return `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
}

function offsetText(ms: number): string {
  const total = Math.round(Math.abs(ms) / 1000);
  const s = total % 60;
  return `${ms < 0 ? "-" : "+"}${pad(Math.floor(total / 3600))}${pad(Math.floor(total / 60) % 60)}${s ? pad(s) : ""}`;
}

const DAYS = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"];

/** The yearly rule an onset fits: month, nth (or last, -1) weekday, time of day. */
function ruleOf(wall: number): { readonly key: string; readonly rrule: string } {
  const d = new Date(wall);
  const month = d.getUTCMonth();
  const date = d.getUTCDate();
  const length = new Date(Date.UTC(d.getUTCFullYear(), month + 1, 0)).getUTCDate();
  const nth = date + 7 > length ? -1 : Math.ceil(date / 7);
  const rrule = `FREQ=YEARLY;BYMONTH=${month + 1};BYDAY=${nth}${DAYS[d.getUTCDay()]}`;
  return { key: `${rrule}|${wall % DAY}`, rrule };
}

function observance(kind: string, onsets: readonly Onset[], rrule: string | null): string[] {
  const [first, ...rest] = onsets;
  if (!first) return [];
  const lines = [
    `BEGIN:${kind}`,
    `DTSTART:${wallText(first.wall)}`,
    `TZOFFSETFROM:${offsetText(first.from)}`,
    `TZOFFSETTO:${offsetText(first.to)}`,
  ];
  if (rrule) lines.push(`RRULE:${rrule}`);
  // One RDATE line each: short lines need no folding.
  else for (const o of rest) lines.push(`RDATE:${wallText(o.wall)}`);
  lines.push(`END:${kind}`);
  return lines;
}

const written = new Map<string, readonly string[]>();

/**
 * The VTIMEZONE lines (unfolded) for a zone, named `tzid` (the TZID the events use; the IANA id by default).
 * Throws a RangeError when the runtime does not know the zone.
 */
export function vtimezoneLines(ianaId: string, tzid: string = ianaId): readonly string[] {
  const cacheKey = `${ianaId}\n${tzid}`;
  const cached = written.get(cacheKey);
  if (cached) return cached;
  const zone = ianaZone(ianaId);
  const all = transitions(zone);
  const lines = ["BEGIN:VTIMEZONE", `TZID:${tzid}`, `X-LIC-LOCATION:${ianaId}`];
  if (all.length === 0) {
    const offset = offsetText(zone.offsetAt(Date.UTC(FIRST_YEAR, 0, 1)));
    lines.push("BEGIN:STANDARD", `DTSTART:${FIRST_YEAR}0101T000000`);
    lines.push(`TZOFFSETFROM:${offset}`, `TZOFFSETTO:${offset}`, "END:STANDARD");
  }
  const groups = new Map<string, Onset[]>();
  for (const o of all) {
    const key = `${o.to > o.from ? "DAYLIGHT" : "STANDARD"}|${o.from}|${o.to}`;
    groups.set(key, [...(groups.get(key) ?? []), o]);
  }
  for (const [key, onsets] of groups) {
    const kind = key.split("|")[0] ?? "STANDARD";
    // The tail of consecutive years on one rule that lasts to the end of the range becomes an RRULE.
    let tail = onsets.length;
    const lastRule = ruleOf(onsets[onsets.length - 1]?.wall ?? 0).key;
    const year = (o: Onset | undefined) => new Date(o?.wall ?? 0).getUTCFullYear();
    if (year(onsets[onsets.length - 1]) >= LAST_YEAR - 1) {
      while (
        tail > 0 &&
        ruleOf(onsets[tail - 1]?.wall ?? 0).key === lastRule &&
        (tail === onsets.length || year(onsets[tail - 1]) === year(onsets[tail]) - 1)
      )
        tail--;
    }
    const ruled = onsets.length - tail >= 2 ? onsets.slice(tail) : [];
    const listed = ruled.length > 0 ? onsets.slice(0, tail) : onsets;
    lines.push(...observance(kind, listed, null));
    if (ruled[0]) lines.push(...observance(kind, ruled, ruleOf(ruled[0].wall).rrule));
  }
  lines.push("END:VTIMEZONE");
  written.set(cacheKey, lines);
  return lines;
}

/**
 * The calendar text as published: with X-WR-TIMEZONE (the plant's zone, which floating and all-day times were
 * read in) and a VTIMEZONE for each TZID it uses. A calendar that already has both is returned unchanged, so a
 * republish does not rewrite it.
 */
export function withZones(ics: string, timeZone: string): string {
  const root = readBlocks(ics, "calendar.ics");
  const hasZone = root.props.some((p) => p.name === "X-WR-TIMEZONE");
  const defined = new Set(
    root.children
      .filter((b) => b.name === "VTIMEZONE")
      .map((b) => b.props.find((p) => p.name === "TZID")?.value.trim() ?? ""),
  );
  const used = new Set<string>();
  const visit = (block: typeof root) => {
    if (block.name === "VTIMEZONE") return;
    for (const p of block.props) for (const t of p.params.TZID ?? []) used.add(t.replace(/^"(.*)"$/, "$1"));
    for (const c of block.children) visit(c);
  };
  visit(root);
  const missing = [...used].filter((t) => !defined.has(t)).sort();
  if (hasZone && missing.length === 0) return ics;
  const added = missing.flatMap((tzid) => {
    const iana = resolveZoneName(tzid);
    return iana ? vtimezoneLines(iana, tzid) : [];
  });
  const lines = ics.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/);
  while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  const begin = lines.findIndex((l) => /^BEGIN:VCALENDAR$/i.test(l.trim()));
  if (!hasZone) lines.splice(begin + 1, 0, `X-WR-TIMEZONE:${timeZone}`);
  // Before the first component, as calendar programs expect a zone to be defined before it is used.
  let at = lines.findIndex((l, i) => i > begin && /^BEGIN:/i.test(l));
  if (at < 0) at = lines.findIndex((l) => /^END:VCALENDAR$/i.test(l.trim()));
  lines.splice(at, 0, ...added);
  return `${lines.join("\r\n")}\r\n`;
}
