import { describe, expect, it } from "vitest";
import { zonedIso } from "../../../../../electron/core/approvals/zoned-time";

describe("a signature's time carries the signer's zone offset (21 CFR 11.50)", () => {
  const at = new Date("2026-12-01T08:12:44.789Z");
  const cases: readonly [string, string][] = [
    ["Europe/Berlin", "2026-12-01T09:12:44+01:00"],
    ["America/Chicago", "2026-12-01T02:12:44-06:00"],
    ["Asia/Kolkata", "2026-12-01T13:42:44+05:30"],
    ["UTC", "2026-12-01T08:12:44+00:00"],
  ];
  for (const [zone, text] of cases) it(zone, () => expect(zonedIso(at, zone)).toBe(text));
  it("follows daylight saving time", () => {
    expect(zonedIso(new Date("2026-07-01T08:00:00Z"), "Europe/Berlin")).toBe("2026-07-01T10:00:00+02:00");
  });
});
