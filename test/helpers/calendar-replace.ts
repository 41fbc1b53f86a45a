// A replacement calendar that keeps a plant's name and drops everything but one blackout: what was seen in #13.

/** A calendar for the plant named `name` holding one BLACKOUT on 24 December 2026 and nothing else. */
export function singleBlackoutIcs(name: string, timeZone: string): string {
  return [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Shiftgate tests//EN",
    `X-WR-CALNAME:${name}`,
    `X-WR-TIMEZONE:${timeZone}`,
    "BEGIN:VEVENT",
    "UID:only-blackout@test",
    "DTSTAMP:20261201T000000Z",
    "DTSTART;VALUE=DATE:20261224",
    "DTEND;VALUE=DATE:20261225",
    "SUMMARY:Christmas Eve",
    "CATEGORIES:BLACKOUT",
    "END:VEVENT",
    "END:VCALENDAR",
    "",
  ].join("\r\n");
}
