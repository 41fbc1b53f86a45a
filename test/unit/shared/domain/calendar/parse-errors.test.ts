import { describe, expect, it } from "vitest";
import { AppError } from "../../../../../shared/contract/errors";
import { parsePlantCalendar } from "../../../../../shared/domain/calendar/index";
import { calendar, fixtureText } from "./helpers";

function refusal(text: string, file = "plant.ics"): { message: string; details: unknown } {
  try {
    parsePlantCalendar(text, { file });
  } catch (error) {
    if (error instanceof AppError && error.code === "calendar-invalid")
      return { message: error.message, details: error.details };
    throw error;
  }
  throw new Error("the calendar was accepted");
}

const event = (...props: string[]) => ["BEGIN:VEVENT", "UID:e", ...props, "END:VEVENT"];

describe("a broken calendar is refused whole, naming file and line", () => {
  it("a time that does not exist", () => {
    expect(refusal(fixtureText("broken.ics"), "broken.ics")).toEqual({
      message: "broken.ics, line 17: DTSTART names a date or time that does not exist: 20260301T250000",
      details: { file: "broken.ics", line: 17 },
    });
  });

  it.each([
    [
      calendar("Europe/Berlin", event("DTSTART;TZID=Europe/Berlin:20260301T060000", "RRULE:FREQ=SOMETIMES")),
      9,
      /RRULE cannot be read/,
    ],
    [
      calendar("Europe/Berlin", event("DTSTART;TZID=Mars/Olympus:20260301T060000")),
      8,
      /TZID "Mars\/Olympus" is neither/,
    ],
    [
      calendar("Europe/Berlin", event("DTSTART:20260301T060000", "DTEND:20260301T050000")),
      9,
      /DTEND is before DTSTART/,
    ],
    [calendar("Europe/Berlin", event("SUMMARY:no start")), 6, /has no DTSTART/],
    [calendar("Europe/Berlin", event("DTSTART:20260301T060000", "DURATION:two hours")), 9, /not an ISO 8601 duration/],
    [
      calendar("Europe/Berlin", event("DTSTART:20260301T060000", "this is not a content line")),
      9,
      /not an iCalendar content line/,
    ],
    [
      calendar("Europe/Berlin", ["BEGIN:VEVENT", "UID:x", "DTSTART:20260301T060000"]),
      9,
      /END:VCALENDAR does not close BEGIN:VEVENT \(line 6\)/,
    ],
    [
      calendar("Europe/Berlin", ["BEGIN:VEVENT", "UID:x"]).replace(/\r\nEND:VCALENDAR$/, ""),
      6,
      /BEGIN:VEVENT is never closed/,
    ],
    [
      calendar("Europe/Berlin", ["BEGIN:VEVENT", "DTSTART:20260301T060000", "END:VTODO"]),
      8,
      /END:VTODO does not close BEGIN:VEVENT/,
    ],
    [calendar(null, event("DTSTART:20260301T060000")), 1, /no X-WR-TIMEZONE/],
    [calendar("Mars/Olympus", event("DTSTART:20260301T060000")), 5, /X-WR-TIMEZONE "Mars\/Olympus"/],
    [calendar("Europe/Berlin", event("DTSTART;VALUE=DATE:20260301T060000")), 8, /VALUE=DATE but holds a time/],
    [`${calendar("Europe/Berlin", [])}\r\nBEGIN:VCALENDAR\r\nEND:VCALENDAR`, 7, /one file holds one calendar/],
  ])("case %#", (text, line, reason) => {
    const r = refusal(text);
    expect(r.details).toEqual({ file: "plant.ics", line });
    expect(r.message).toMatch(reason);
    expect(r.message).toMatch(new RegExp(`^plant\\.ics, line ${line}: `));
    expect(r.message).not.toContain("\n");
  });

  it("a file that is not iCalendar at all", () => {
    expect(refusal("").message).toBe("plant.ics: no BEGIN:VCALENDAR found (is this an iCalendar file?)");
  });
});
