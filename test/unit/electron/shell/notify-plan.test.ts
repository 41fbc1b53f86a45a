import { describe, expect, it } from "vitest";
import { type NotifiableItem, planNotifications, safeRoute } from "../../../../electron/shell/notify-plan";

const item = (n: number, severity: NotifiableItem["severity"] = "warning"): NotifiableItem => ({
  key: `k${n}`,
  title: `Item ${n}`,
  detail: `Detail ${n}`,
  severity,
  route: `#/approvals?change=${n}`,
});

describe("desktop notifications", () => {
  it("shows up to three items one by one, critical ones as urgent", () => {
    expect(planNotifications([item(1, "critical"), item(2)])).toEqual([
      { title: "Item 1", body: "Detail 1", route: "#/approvals?change=1", urgent: true },
      { title: "Item 2", body: "Detail 2", route: "#/approvals?change=2", urgent: false },
    ]);
  });

  it("sums up a backlog in one notification that opens the home screen", () => {
    const planned = planNotifications([item(1), item(2), item(3, "critical"), item(4)]);
    expect(planned).toEqual([
      { title: "Shiftgate: 4 items need you", body: "1 urgent, including: Item 1", route: "#/home", urgent: true },
    ]);
  });

  it("shows nothing when nothing is new", () => {
    expect(planNotifications([])).toEqual([]);
  });

  it("never sends the window anywhere but an app route", () => {
    expect(safeRoute("#/exceptions?review=01J")).toBe("#/exceptions?review=01J");
    expect(safeRoute("javascript:alert(1)")).toBe("#/home");
    expect(safeRoute('#/home"; alert(1); "')).toBe("#/home");
    expect(safeRoute("https://evil.example/#/home")).toBe("#/home");
  });
});
