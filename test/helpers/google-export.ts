/**
 * A plant calendar as Google Calendar exports it: X-WR-TIMEZONE, no CATEGORIES, a colour on one event. Christmas
 * shutdown 24-26 December (all-day), an early shift on weekdays, a line stop on 5 December night.
 */
export function googleExportIcs(name: string, zone: string): string {
  return [
    "BEGIN:VCALENDAR",
    "PRODID:-//Google Inc//Google Calendar 70.9054//EN",
    "VERSION:2.0",
    `X-WR-CALNAME:${name}`,
    `X-WR-TIMEZONE:${zone}`,
    "BEGIN:VEVENT",
    "UID:xmas@google.com",
    "DTSTART;VALUE=DATE:20261224",
    "DTEND;VALUE=DATE:20261227",
    "SUMMARY:Christmas shutdown",
    "END:VEVENT",
    "BEGIN:VEVENT",
    "UID:early@google.com",
    `DTSTART;TZID=${zone}:20261130T060000`,
    `DTEND;TZID=${zone}:20261130T140000`,
    "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
    "SUMMARY:Early shift",
    "END:VEVENT",
    "BEGIN:VEVENT",
    "UID:maint@google.com",
    `DTSTART;TZID=${zone}:20261205T220000`,
    `DTEND;TZID=${zone}:20261206T040000`,
    "SUMMARY:Line stop",
    "COLOR:tomato",
    "END:VEVENT",
    "END:VCALENDAR",
    "",
  ].join("\r\n");
}
