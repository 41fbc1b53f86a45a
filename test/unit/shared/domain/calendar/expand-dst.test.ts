import { describe, expect, it } from "vitest";
import { parsePlantCalendar } from "../../../../../shared/domain/calendar/index";
import { calendar, fixture, lines } from "./helpers";

// Every expected value here is absolute: the suite is also run under TZ=UTC and TZ=Pacific/Auckland
// (test/integration/cli/calendar-process-tz.test.ts) and must give the same answers there.

describe("nights across daylight-saving changes keep their wall-clock start and end", () => {
  it("America/Chicago: 11 hours on the spring night, 13 on the autumn night", () => {
    const cal = fixture("chicago-nights.ics");
    expect(lines(cal, "2026-03-06T12:00:00Z", "2026-03-09T12:00:00Z", "night@chicago")).toEqual([
      "night@chicago 2026-03-05T19:00:00-06:00 2026-03-06T07:00:00-06:00 12h",
      "night@chicago 2026-03-06T19:00:00-06:00 2026-03-07T07:00:00-06:00 12h",
      "night@chicago 2026-03-07T19:00:00-06:00 2026-03-08T07:00:00-05:00 11h",
      "night@chicago 2026-03-08T19:00:00-05:00 2026-03-09T07:00:00-05:00 12h",
    ]);
    expect(lines(cal, "2026-10-31T00:00:00Z", "2026-11-02T00:00:00Z", "night@chicago")).toEqual([
      "night@chicago 2026-10-30T19:00:00-05:00 2026-10-31T07:00:00-05:00 12h",
      "night@chicago 2026-10-31T19:00:00-05:00 2026-11-01T07:00:00-06:00 13h",
    ]);
  });

  it("Europe/Berlin: 11 hours on the last Saturday night of March, 13 in October", () => {
    const cal = fixture("berlin-nights.ics");
    expect(lines(cal, "2026-03-28T12:00:00Z", "2026-03-29T12:00:00Z", "night@berlin")).toEqual([
      "night@berlin 2026-03-28T19:00:00+01:00 2026-03-29T07:00:00+02:00 11h",
    ]);
    expect(lines(cal, "2026-10-24T12:00:00Z", "2026-10-25T12:00:00Z", "night@berlin")).toEqual([
      "night@berlin 2026-10-24T19:00:00+02:00 2026-10-25T07:00:00+01:00 13h",
    ]);
  });

  it("DURATION is exact for hours: a PT12H day shift keeps 12 hours across the change", () => {
    const cal = fixture("chicago-nights.ics");
    expect(lines(cal, "2026-03-08T06:00:00Z", "2026-03-08T23:00:00Z", "day@chicago")).toEqual([
      "day@chicago 2026-03-08T07:00:00-05:00 2026-03-08T19:00:00-05:00 12h",
    ]);
  });

  it("DURATION is nominal for days: P1D ends at the same wall-clock time the next day", () => {
    const ics = calendar("Europe/Berlin", [
      "BEGIN:VEVENT",
      "UID:p1d",
      "DTSTART;TZID=Europe/Berlin:20260328T120000",
      "DURATION:P1DT1H",
      "END:VEVENT",
    ]);
    expect(lines(parsePlantCalendar(ics), "2026-03-28T00:00:00Z", "2026-03-30T00:00:00Z")).toEqual([
      "p1d 2026-03-28T12:00:00+01:00 2026-03-29T13:00:00+02:00 24h",
    ]);
  });
});

describe("times that do not exist or exist twice", () => {
  it("reads a time in the spring-forward gap with the offset before the gap (02:30 Chicago = 08:30Z)", () => {
    const cal = fixture("chicago-nights.ics");
    expect(lines(cal, "2026-03-08T00:00:00Z", "2026-03-09T00:00:00Z", "gap@chicago")).toEqual([
      "gap@chicago 2026-03-08T03:30:00-05:00 2026-03-08T04:30:00-05:00 1h",
    ]);
  });

  it("reads a time in the autumn repeat as its first occurrence", () => {
    const cal = fixture("chicago-nights.ics");
    expect(lines(cal, "2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z", "repeat@chicago")).toEqual([
      "repeat@chicago 2026-11-01T01:30:00-05:00 2026-11-01T01:00:00-06:00 0.5h",
    ]);
  });

  it("a daily 02:30 event in Europe/Berlin moves to 03:30 on the spring night only", () => {
    const ics = calendar("Europe/Berlin", [
      "BEGIN:VEVENT",
      "UID:g",
      "DTSTART;TZID=Europe/Berlin:20260328T023000",
      "DTEND;TZID=Europe/Berlin:20260328T033000",
      "RRULE:FREQ=DAILY;COUNT=3",
      "END:VEVENT",
    ]);
    expect(lines(parsePlantCalendar(ics), "2026-03-27T00:00:00Z", "2026-04-01T00:00:00Z")).toEqual([
      "g 2026-03-28T02:30:00+01:00 2026-03-28T03:30:00+01:00 1h",
      "g 2026-03-29T03:30:00+02:00 2026-03-29T03:30:00+02:00 0h",
      "g 2026-03-30T02:30:00+02:00 2026-03-30T03:30:00+02:00 1h",
    ]);
  });
});

describe("UTC, floating and all-day times", () => {
  it("Z times recur in UTC: the local time shifts by an hour after the plant's DST change", () => {
    const cal = fixture("rules.ics");
    expect(lines(cal, "2026-03-01T00:00:00Z", "2026-05-01T00:00:00Z", "utc-sync@rules")).toEqual([
      "utc-sync@rules 2026-03-20T13:00:00+01:00 2026-03-20T14:00:00+01:00 1h",
      "utc-sync@rules 2026-03-27T13:00:00+01:00 2026-03-27T14:00:00+01:00 1h",
      "utc-sync@rules 2026-04-03T14:00:00+02:00 2026-04-03T15:00:00+02:00 1h",
    ]);
  });

  it("floating times and all-day dates are read in X-WR-TIMEZONE (Asia/Kolkata)", () => {
    const cal = fixture("kolkata-floating.ics");
    expect(lines(cal, "2026-03-01T00:00:00Z", "2027-01-01T00:00:00Z")).toEqual([
      "general@pune 2026-03-02T09:00:00+05:30 2026-03-02T17:30:00+05:30 8.5h",
      "general@pune 2026-03-03T09:00:00+05:30 2026-03-03T17:30:00+05:30 8.5h",
      "general@pune 2026-03-04T09:00:00+05:30 2026-03-04T17:30:00+05:30 8.5h",
      "general@pune 2026-03-05T09:00:00+05:30 2026-03-05T17:30:00+05:30 8.5h",
      "diwali@pune 2026-11-08T00:00:00+05:30 2026-11-10T00:00:00+05:30 48h",
      "audit@pune 2026-12-02T00:00:00+05:30 2026-12-03T00:00:00+05:30 24h",
    ]);
  });

  it("--tz supplies a missing X-WR-TIMEZONE", () => {
    const cal = fixture("no-zone.ics", "Asia/Kolkata");
    expect(lines(cal, "2026-03-01T00:00:00Z", "2026-03-05T00:00:00Z")).toEqual([
      "f@z 2026-03-02T09:00:00+05:30 2026-03-02T17:00:00+05:30 8h",
    ]);
  });
});

describe("recurrence rules", () => {
  const cal = fixture("rules.ics");
  it("BYSETPOS=-1 on weekdays gives the last weekday of each month, COUNT included", () => {
    expect(
      lines(cal, "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z", "close@rules").map((l) => l.split(" ")[1]),
    ).toEqual([
      "2026-01-30T18:00:00+01:00",
      "2026-02-27T18:00:00+01:00",
      "2026-03-31T18:00:00+02:00",
      "2026-04-30T18:00:00+02:00",
      "2026-05-29T18:00:00+02:00",
      "2026-06-30T18:00:00+02:00",
    ]);
  });

  it("skips months without a 31st and stops at UNTIL", () => {
    expect(
      lines(cal, "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z", "31st@rules").map((l) => l.split(" ")[1]),
    ).toEqual([
      "2026-01-31T10:00:00+01:00",
      "2026-03-31T10:00:00+02:00",
      "2026-05-31T10:00:00+02:00",
      "2026-07-31T10:00:00+02:00",
    ]);
  });

  it("negative BYMONTHDAY with INTERVAL on all-day dates", () => {
    expect(lines(cal, "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z", "lastday@rules")).toEqual([
      "lastday@rules 2026-01-31T00:00:00+01:00 2026-02-01T00:00:00+01:00 24h",
      "lastday@rules 2026-03-31T00:00:00+02:00 2026-04-01T00:00:00+02:00 24h",
      "lastday@rules 2026-05-31T00:00:00+02:00 2026-06-01T00:00:00+02:00 24h",
    ]);
  });

  it("applies RDATE, EXDATE and an overridden instance", () => {
    expect(lines(cal, "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z", "weekly@rules")).toEqual([
      "weekly@rules 2026-03-02T22:00:00+01:00 2026-03-03T02:00:00+01:00 4h",
      "weekly@rules 2026-03-05T22:00:00+01:00 2026-03-06T02:00:00+01:00 4h",
      "weekly@rules 2026-03-10T23:00:00+01:00 2026-03-11T01:00:00+01:00 2h",
      "weekly@rules 2026-03-23T22:00:00+01:00 2026-03-24T02:00:00+01:00 4h",
    ]);
  });

  it("an override moved into the range is found even when its original instance is outside it", () => {
    expect(lines(cal, "2026-03-10T12:00:00Z", "2026-03-11T12:00:00Z", "weekly@rules")).toEqual([
      "weekly@rules 2026-03-10T23:00:00+01:00 2026-03-11T01:00:00+01:00 2h",
    ]);
  });

  it("a cancelled override removes its instance; DTSTART counts as the first instance", () => {
    const ics = calendar("Europe/Berlin", [
      "BEGIN:VEVENT",
      "UID:c",
      "DTSTART;TZID=Europe/Berlin:20260105T080000",
      "DURATION:PT1H",
      "RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=3",
      "END:VEVENT",
      "BEGIN:VEVENT",
      "UID:c",
      "RECURRENCE-ID;TZID=Europe/Berlin:20260106T080000",
      "STATUS:CANCELLED",
      "DTSTART;TZID=Europe/Berlin:20260106T080000",
      "END:VEVENT",
    ]);
    expect(
      lines(parsePlantCalendar(ics), "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z").map((l) => l.split(" ")[1]),
    ).toEqual(["2026-01-05T08:00:00+01:00", "2026-01-13T08:00:00+01:00"]);
  });
});

describe("Outlook files", () => {
  const cal = fixture("outlook-berlin.ics");
  it("resolves a Windows zone name through its VTIMEZONE (13-hour night in October)", () => {
    expect(cal.timeZone).toBe("Europe/Berlin");
    expect(lines(cal, "2026-10-24T00:00:00Z", "2026-10-26T00:00:00Z", "040000008200E00074C5B7101A82E008")).toEqual([
      "040000008200E00074C5B7101A82E008 2026-10-24T19:00:00+02:00 2026-10-25T07:00:00+01:00 13h",
      "040000008200E00074C5B7101A82E008 2026-10-25T19:00:00+01:00 2026-10-26T07:00:00+01:00 12h",
    ]);
  });

  it("resolves Windows zone names without a VTIMEZONE through the CLDR table", () => {
    expect(lines(cal, "2026-10-24T00:00:00Z", "2026-10-25T00:00:00Z", "outlook-central")).toEqual([
      "outlook-central 2026-10-24T15:00:00+02:00 2026-10-24T16:00:00+02:00 1h",
    ]);
    expect(lines(cal, "2026-12-24T00:00:00Z", "2026-12-25T00:00:00Z", "outlook-no-vtimezone")).toEqual([
      "outlook-no-vtimezone 2026-12-24T04:30:00+01:00 2026-12-24T12:30:00+01:00 8h",
    ]);
  });

  it("reads categories case-insensitively and unfolds folded lines", () => {
    expect(cal.series.find((s) => s.uid === "outlook-no-vtimezone")?.category).toBe("BLACKOUT");
    expect(cal.series.find((s) => s.uid === "outlook-central")?.category).toBeNull();
    const berlin = fixture("berlin-nights.ics");
    expect(berlin.series[0]?.summary).toBe(
      "Night shift with a very long summary that an exporter folded onto a second line",
    );
  });

  it("honours a VTIMEZONE with a name no table knows (Outlook 'Customized Time Zone'), placed after its use", () => {
    const ics = calendar("America/Chicago", [
      "BEGIN:VEVENT",
      "UID:custom",
      "DTSTART;TZID=Customized Time Zone:20261031T190000",
      "DTEND;TZID=Customized Time Zone:20261101T070000",
      "RRULE:FREQ=DAILY;COUNT=2",
      "END:VEVENT",
      "BEGIN:VEVENT",
      "UID:custom-gap",
      "DTSTART;TZID=Customized Time Zone:20260308T023000",
      "DURATION:PT1H",
      "END:VEVENT",
      "BEGIN:VTIMEZONE",
      "TZID:Customized Time Zone",
      "BEGIN:STANDARD",
      "DTSTART:16010101T020000",
      "TZOFFSETFROM:-0500",
      "TZOFFSETTO:-0600",
      "RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11",
      "END:STANDARD",
      "BEGIN:DAYLIGHT",
      "DTSTART:16010101T020000",
      "TZOFFSETFROM:-0600",
      "TZOFFSETTO:-0500",
      "RRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3",
      "END:DAYLIGHT",
      "END:VTIMEZONE",
    ]);
    const cal = parsePlantCalendar(ics);
    expect(lines(cal, "2026-10-31T00:00:00Z", "2026-11-03T00:00:00Z", "custom")).toEqual([
      "custom 2026-10-31T19:00:00-05:00 2026-11-01T07:00:00-06:00 13h",
      "custom 2026-11-01T19:00:00-06:00 2026-11-02T07:00:00-06:00 12h",
    ]);
    // The spring gap through the file's own rules: 02:30 takes the offset before the gap, 08:30Z.
    expect(lines(cal, "2026-03-08T00:00:00Z", "2026-03-09T00:00:00Z", "custom-gap")).toEqual([
      "custom-gap 2026-03-08T03:30:00-05:00 2026-03-08T04:30:00-05:00 1h",
    ]);
  });

  it("EXDATE in UTC removes a wall-clock instance; RDATE PERIOD keeps its own end; DTEND may name another zone", () => {
    const ics = calendar("Europe/Berlin", [
      "BEGIN:VEVENT",
      "UID:mixed",
      "DTSTART;TZID=Europe/Berlin:20261026T220000",
      "DTEND;TZID=America/Chicago:20261026T180000",
      "RRULE:FREQ=DAILY;COUNT=3",
      "EXDATE:20261027T210000Z",
      "RDATE;VALUE=PERIOD:20261030T080000Z/PT30M",
      "END:VEVENT",
    ]);
    expect(lines(parsePlantCalendar(ics), "2026-10-25T00:00:00Z", "2026-11-01T00:00:00Z")).toEqual([
      "mixed 2026-10-26T22:00:00+01:00 2026-10-27T00:00:00+01:00 2h",
      "mixed 2026-10-28T22:00:00+01:00 2026-10-29T00:00:00+01:00 2h",
      "mixed 2026-10-30T09:00:00+01:00 2026-10-30T09:30:00+01:00 0.5h",
    ]);
  });
});
