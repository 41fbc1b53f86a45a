import { describe, expect, it } from "vitest";
import { coreNow } from "../../../../../renderer/features/meeting/core-clock";

// Issue #19 item 5: an item timer counts on the core's clock. A browser whose clock runs an hour ahead must not add
// an hour to a timer the core started.
describe("coreNow", () => {
  it("counts from the core's reading, moving only by what passed on the browser since it arrived", () => {
    const readAt = "2026-12-04T10:00:00.000Z";
    const receivedAt = Date.parse("2026-12-04T11:00:00.000Z"); // the browser's clock, an hour ahead
    expect(coreNow(readAt, receivedAt, receivedAt)).toBe(Date.parse(readAt));
    expect(coreNow(readAt, receivedAt, receivedAt + 90_000)).toBe(Date.parse("2026-12-04T10:01:30.000Z"));
  });
});
