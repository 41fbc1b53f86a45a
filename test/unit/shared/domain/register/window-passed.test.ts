import { describe, expect, it } from "vitest";
import { CHANGE_STATUSES } from "../../../../../shared/domain/register/vocabulary";
import { isWindowPassed } from "../../../../../shared/domain/register/window-passed";

const WINDOW = { start: "2026-12-02T08:00:00Z", end: "2026-12-02T12:00:00Z" };
const AT_END = Date.parse(WINDOW.end);

describe("window passed", () => {
  it("is judged at the window's end: the window is [start, end), so at its end it has passed", () => {
    expect(isWindowPassed("approved", WINDOW, AT_END - 1)).toBe(false);
    expect(isWindowPassed("approved", WINDOW, AT_END)).toBe(true);
  });

  it("only before the work starts: implementing and later states, and cancelled ones, never need re-scheduling", () => {
    const passed = CHANGE_STATUSES.filter((s) => isWindowPassed(s, WINDOW, AT_END + 2 * 86_400_000));
    expect(passed).toEqual([
      "draft",
      "submitted",
      "assessed",
      "awaiting-approval",
      "approved",
      "scheduled",
      "rejected",
    ]);
  });

  it("a change without a window has none to pass", () => {
    expect(isWindowPassed("approved", null, AT_END)).toBe(false);
  });
});
