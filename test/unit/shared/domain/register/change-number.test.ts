import { describe, expect, it } from "vitest";
import {
  displayNumber,
  parseNumberQuery,
  provisionalNumber,
} from "../../../../../shared/domain/register/change-number";

describe("one change number", () => {
  it("shows the CHG number once assigned, else a provisional DRAFT number", () => {
    expect(displayNumber({ id: "01JXR4ED0M000000000000000A", number: "CHG-2026-0007" })).toBe("CHG-2026-0007");
    expect(displayNumber({ id: "01JXR4ED0M000000000000000A", number: null })).toMatch(/^DRAFT-[0-9A-HJKMNP-TV-Z]{6}$/);
  });

  it("gives ids made in the same millisecond (their ULIDs differ in the last character) unlike numbers", () => {
    const a = provisionalNumber("01JXR4ED0M5KQ2XW7Y8ZR4ED0M");
    const b = provisionalNumber("01JXR4ED0M5KQ2XW7Y8ZR4ED0P");
    expect(a).not.toBe(b);
    // Not just the last character: a reader does not take one for the other.
    const differing = [...a].filter((ch, i) => ch !== b[i]).length;
    expect(differing).toBeGreaterThan(1);
  });

  it("reads a search as a change number when it is one", () => {
    expect(parseNumberQuery("CHG-2026-0007")).toEqual({
      kind: "chg",
      exact: "CHG-2026-0007",
      prefix: "CHG-2026-0007",
    });
    expect(parseNumberQuery(" chg 2026 7 ")).toEqual({ kind: "chg", exact: "CHG-2026-0007", prefix: "CHG-2026-7" });
    expect(parseNumberQuery("CHG-2026")).toEqual({ kind: "chg", exact: null, prefix: "CHG-2026-" });
    expect(parseNumberQuery("draft-7kq2xm")).toEqual({ kind: "draft", number: "DRAFT-7KQ2XM" });
    expect(parseNumberQuery("DRAFT 7KQ2XM")).toEqual({ kind: "draft", number: "DRAFT-7KQ2XM" });
    expect(parseNumberQuery("pick route")).toBeNull();
    expect(parseNumberQuery("draft pick list")).toBeNull();
  });
});
