import { describe, expect, it } from "vitest";
import { formatZonedInstant, formatZonedWindow, zoneLabel } from "../../../../../shared/domain/calendar/plant-time";

const PUNE = { start: "2026-12-06T20:00:00Z", end: "2026-12-07T00:00:00Z" };

describe("one way of showing time", () => {
  it("labels a zone with its abbreviation and offset, whatever language knows the abbreviation", () => {
    const at = Date.parse(PUNE.start);
    expect(zoneLabel("Asia/Kolkata", at)).toBe("IST (UTC+05:30)");
    expect(zoneLabel("Europe/Berlin", at)).toBe("CET (UTC+01:00)");
    expect(zoneLabel("America/Chicago", at)).toBe("CST (UTC-06:00)");
    expect(zoneLabel("Europe/Berlin", Date.parse("2026-07-01T00:00:00Z"))).toBe("CEST (UTC+02:00)");
    expect(zoneLabel("UTC", at)).toBe("UTC");
  });

  it("reads a Pune window on Pune's clocks: Monday 01:30 IST, not Sunday evening", () => {
    expect(formatZonedWindow(PUNE, "Asia/Kolkata")).toBe("Mon 07 Dec 2026, 01:30 – 05:30 IST (UTC+05:30)");
    expect(formatZonedInstant(PUNE.start, "Asia/Kolkata")).toBe("Mon 07 Dec 2026, 01:30 IST (UTC+05:30)");
  });

  it("shows the end's date when the window crosses the plant's midnight", () => {
    expect(formatZonedWindow(PUNE, "Europe/Berlin")).toBe(
      "Sun 06 Dec 2026, 21:00 – Mon 07 Dec 2026, 01:00 CET (UTC+01:00)",
    );
  });
});
