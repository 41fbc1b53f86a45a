import type { Category } from "./types";
import { vtimezoneLines } from "./vtimezone-writer";
import { resolveZoneName } from "./zone";

/** An event to write: times as iCalendar local values (`20260105T060000`, or `20260105` when all-day). */
export interface IcsEvent {
  readonly uid: string;
  readonly summary: string;
  readonly category: Category | null;
  readonly start: string;
  readonly end: string;
  /** The TZID to write; omitted for all-day events and UTC (`Z`) times. */
  readonly tzid?: string | null;
  readonly rrule?: string | null;
  readonly description?: string | null;
}

/** Escapes a TEXT value (RFC 5545 §3.3.11). */
function escapeText(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r?\n/g, "\\n");
}

/** Folds a content line at 75 octets, never splitting a UTF-8 character. */
function foldLine(line: string): string {
  if (line.length <= 25 || [...line].reduce((n, ch) => n + utf8Length(ch), 0) <= 75) return line;
  const parts: string[] = [];
  let current = "";
  let size = 0;
  for (const ch of line) {
    const n = utf8Length(ch);
    if (size + n > (parts.length === 0 ? 75 : 74)) {
      parts.push(current);
      current = "";
      size = 0;
    }
    current += ch;
    size += n;
  }
  parts.push(current);
  return parts.join("\r\n ");
}

function utf8Length(ch: string): number {
  const cp = ch.codePointAt(0) ?? 0;
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/** `20260105T060000Z` for an instant. */
function utcStamp(instant: number): string {
  return new Date(instant)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

function timeProp(name: string, value: string, tzid: string | null | undefined): string {
  if (/^\d{8}$/.test(value)) return `${name};VALUE=DATE:${value}`;
  if (value.endsWith("Z") || !tzid) return `${name}:${value}`;
  return `${name};TZID=${tzid}:${value}`;
}

/** Writes a plant calendar: X-WR-CALNAME, X-WR-TIMEZONE, a VTIMEZONE per TZID used, the events; CRLF and folded. */
export function writeIcs(cal: {
  readonly name: string;
  readonly timeZone: string;
  readonly events: readonly IcsEvent[];
  readonly stamp: number;
}): string {
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Shiftgate//Plant calendar//EN",
    "CALSCALE:GREGORIAN",
    `X-WR-CALNAME:${escapeText(cal.name)}`,
    `X-WR-TIMEZONE:${cal.timeZone}`,
  ];
  const tzids = [
    ...new Set(
      cal.events.flatMap((e) => (e.tzid && !/^\d{8}$/.test(e.start) && !e.start.endsWith("Z") ? [e.tzid] : [])),
    ),
  ].sort();
  for (const tzid of tzids) {
    const iana = resolveZoneName(tzid);
    if (iana) lines.push(...vtimezoneLines(iana, tzid));
  }
  for (const e of cal.events) {
    lines.push(
      "BEGIN:VEVENT",
      `UID:${escapeText(e.uid)}`,
      `DTSTAMP:${utcStamp(cal.stamp)}`,
      `SUMMARY:${escapeText(e.summary)}`,
    );
    if (e.category) lines.push(`CATEGORIES:${e.category}`);
    lines.push(timeProp("DTSTART", e.start, e.tzid), timeProp("DTEND", e.end, e.tzid));
    if (e.rrule) lines.push(`RRULE:${e.rrule}`);
    if (e.description) lines.push(`DESCRIPTION:${escapeText(e.description)}`);
    lines.push("END:VEVENT");
  }
  lines.push("END:VCALENDAR");
  return `${lines.map(foldLine).join("\r\n")}\r\n`;
}

/** A planned change as the .ics feed shows it. */
interface FeedChange {
  readonly id: string;
  readonly title: string;
  readonly start: number;
  readonly end: number;
  readonly plants: readonly string[];
  readonly status?: string | null;
  readonly url?: string | null;
}

/** The feed of approved and scheduled changes (per plant or all), for Outlook and Google Calendar; times in UTC. */
export function changesFeedIcs(name: string, changes: readonly FeedChange[], stamp: number): string {
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Shiftgate//Change feed//EN",
    `X-WR-CALNAME:${escapeText(name)}`,
  ];
  for (const c of [...changes].sort((a, b) => a.start - b.start || (a.id < b.id ? -1 : 1))) {
    lines.push(
      "BEGIN:VEVENT",
      `UID:${escapeText(c.id)}@shiftgate`,
      `DTSTAMP:${utcStamp(stamp)}`,
      `DTSTART:${utcStamp(c.start)}`,
      `DTEND:${utcStamp(c.end)}`,
      `SUMMARY:${escapeText(`${c.id} ${c.title}`)}`,
      "CATEGORIES:CHANGE",
      `DESCRIPTION:${escapeText([`Plants: ${c.plants.join(", ")}`, c.status ? `Status: ${c.status}` : ""].filter(Boolean).join("\n"))}`,
    );
    if (c.url) lines.push(`URL:${c.url}`);
    lines.push("END:VEVENT");
  }
  lines.push("END:VCALENDAR");
  return `${lines.map(foldLine).join("\r\n")}\r\n`;
}
