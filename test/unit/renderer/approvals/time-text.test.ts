import { describe, expect, it } from "vitest";
import { signedTime } from "../../../../renderer/features/approvals/signed-time";
import { localInputToRfc3339 } from "../../../../renderer/features/exceptions/local-time";

describe("signature time as people read it: the signer's wall time and offset", () => {
  const cases: readonly [string, string][] = [
    ["2026-12-01T09:12:44+01:00", "2026-12-01 09:12:44 UTC+01:00"],
    ["2026-12-03T02:10:00-06:00", "2026-12-03 02:10:00 UTC-06:00"],
    ["2026-12-03T10:00:00Z", "2026-12-03 10:00:00 UTC"],
    ["2026-12-03T10:00:00.123+05:30", "2026-12-03 10:00:00 UTC+05:30"],
    ["not a time", "not a time"],
  ];
  for (const [input, text] of cases) it(`${input} → ${text}`, () => expect(signedTime(input)).toBe(text));
});

describe("datetime-local values become RFC 3339 with this computer's offset", () => {
  it("keeps the wall time and adds an offset", () => {
    const out = localInputToRfc3339("2026-12-03T08:00");
    expect(out).toMatch(/^2026-12-03T08:00:00[+-]\d{2}:\d{2}$/);
    expect(Date.parse(out ?? "")).toBe(new Date("2026-12-03T08:00").getTime());
  });
  it("refuses empty and invalid input", () => {
    expect(localInputToRfc3339("")).toBeNull();
    expect(localInputToRfc3339("tomorrow")).toBeNull();
  });
});
