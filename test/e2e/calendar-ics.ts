// Plant calendars for the calendar view's end-to-end tests and browser benchmark, built around the demo week
// (Mon 30 Nov – Sun 6 Dec 2026). Plain iCalendar, as a plant's scheduling tool would export it.

function vcalendar(name: string, zone: string, events: readonly string[]): string {
  return [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Shiftgate tests//EN",
    `X-WR-CALNAME:${name}`,
    `X-WR-TIMEZONE:${zone}`,
    ...events,
    "END:VCALENDAR",
    "",
  ].join("\r\n");
}

function event(uid: string, summary: string, category: string, start: string, end: string, rule?: string): string {
  const lines = [
    "BEGIN:VEVENT",
    `UID:${uid}`,
    "DTSTAMP:20261101T000000Z",
    `SUMMARY:${summary}`,
    `CATEGORIES:${category}`,
    `DTSTART:${start}`,
    `DTEND:${end}`,
  ];
  if (rule) lines.push(`RRULE:${rule}`);
  lines.push("END:VEVENT");
  return lines.join("\r\n");
}

/** Berlin Assembly: 3×8 Monday to Friday, the November close, Saturday maintenance 08:00–20:00. */
export const BERLIN_ICS = vcalendar("Berlin Assembly", "Europe/Berlin", [
  event("ber-early", "Early", "SHIFT", "20261102T060000", "20261102T140000", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
  event("ber-late", "Late", "SHIFT", "20261102T140000", "20261102T220000", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
  event("ber-night", "Night", "SHIFT", "20261102T220000", "20261103T060000", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
  event("ber-close", "November close", "BLACKOUT", "20261130T000000", "20261130T080000"),
  event(
    "ber-maint",
    "Weekend maintenance",
    "MAINTENANCE",
    "20261107T080000",
    "20261107T200000",
    "FREQ=WEEKLY;BYDAY=SA",
  ),
]);

/** Chicago Packaging: 2×12 with four crews, the peak-season freeze, Sunday maintenance 01:00–05:00. */
export const CHICAGO_ICS = vcalendar("Chicago Packaging", "America/Chicago", [
  event("chi-day-a", "Day crew A", "SHIFT", "20261101T070000", "20261101T190000", "FREQ=DAILY;INTERVAL=2"),
  event("chi-day-b", "Day crew B", "SHIFT", "20261102T070000", "20261102T190000", "FREQ=DAILY;INTERVAL=2"),
  event("chi-night-c", "Night crew C", "SHIFT", "20261101T190000", "20261102T070000", "FREQ=DAILY;INTERVAL=2"),
  event("chi-night-d", "Night crew D", "SHIFT", "20261102T190000", "20261103T070000", "FREQ=DAILY;INTERVAL=2"),
  [
    "BEGIN:VEVENT",
    "UID:chi-freeze",
    "DTSTAMP:20261101T000000Z",
    "SUMMARY:Peak-season freeze",
    "CATEGORIES:BLACKOUT",
    "DTSTART;VALUE=DATE:20261123",
    "DTEND;VALUE=DATE:20261202",
    "END:VEVENT",
  ].join("\r\n"),
  event("chi-maint", "Sunday maintenance", "MAINTENANCE", "20261101T010000", "20261101T050000", "FREQ=WEEKLY;BYDAY=SU"),
]);

/** Pune Machining: a general shift 08:30–17:30 Monday to Saturday, Sunday maintenance. */
export const PUNE_ICS = vcalendar("Pune Machining", "Asia/Kolkata", [
  event(
    "pun-general",
    "General shift",
    "SHIFT",
    "20261102T083000",
    "20261102T173000",
    "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA",
  ),
  event("pun-maint", "Sunday maintenance", "MAINTENANCE", "20261101T060000", "20261101T140000", "FREQ=WEEKLY;BYDAY=SU"),
]);

/** A calendar whose line 9 is broken (a DTEND that is not a date): the import must name that line. */
export const BROKEN_ICS = [
  "BEGIN:VCALENDAR",
  "VERSION:2.0",
  "X-WR-CALNAME:Broken Plant",
  "X-WR-TIMEZONE:Europe/Berlin",
  "BEGIN:VEVENT",
  "UID:broken-1",
  "CATEGORIES:SHIFT",
  "DTSTART:20261130T060000",
  "DTEND:not-a-date",
  "END:VEVENT",
  "END:VCALENDAR",
  "",
].join("\r\n");

/**
 * A synthetic plant for the benchmark: 3×8 every day (rotating crews), a weekly maintenance window and a
 * monthly blackout, in one of a few zones so lanes differ.
 */
export function syntheticPlantIcs(index: number): string {
  const zones = ["Europe/Berlin", "America/Chicago", "Asia/Kolkata", "America/Mexico_City", "Europe/Warsaw"];
  const zone = zones[index % zones.length] ?? "UTC";
  const crews = ["A", "B", "C"];
  const shifts = [
    ["Early", "060000", "140000", "20261102", "20261102"],
    ["Late", "140000", "220000", "20261102", "20261102"],
    ["Night", "220000", "060000", "20261102", "20261103"],
  ] as const;
  return vcalendar(`Plant ${String(index + 1).padStart(2, "0")}`, zone, [
    ...shifts.map(([name, from, to, d0, d1], i) =>
      event(
        `p${index}-${name}`,
        `${name} crew ${crews[(i + index) % 3]}`,
        "SHIFT",
        `${d0}T${from}`,
        `${d1}T${to}`,
        "FREQ=DAILY",
      ),
    ),
    event(
      `p${index}-maint`,
      "Maintenance",
      "MAINTENANCE",
      "20261107T080000",
      "20261107T160000",
      "FREQ=WEEKLY;BYDAY=SA",
    ),
    event(
      `p${index}-close`,
      "Month-end close",
      "BLACKOUT",
      "20261130T000000",
      "20261130T060000",
      "FREQ=MONTHLY;BYMONTHDAY=-1",
    ),
  ]);
}
