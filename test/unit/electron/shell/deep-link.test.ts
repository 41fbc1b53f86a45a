import { describe, expect, it } from "vitest";
import { deepLinks } from "../../../../electron/core/notify/messages";
import { changeFromArgv, changeFromDeepLink, deepLinkRoute } from "../../../../electron/shell/deep-link";

describe("shiftgate:// deep links", () => {
  it("opens the change a notify link names, at the register's number route", () => {
    const { desktop } = deepLinks("CHG-2026-0042", "https://cab.plant.example");
    expect(changeFromDeepLink(desktop)).toBe("CHG-2026-0042");
    expect(changeFromDeepLink("shiftgate://change/CHG-2026-004217/")).toBe("CHG-2026-004217");
    expect(deepLinkRoute("CHG-2026-0042")).toBe("#/register/CHG-2026-0042");
  });

  it("refuses anything but exactly shiftgate://change/<CHG-ID>", () => {
    for (const url of [
      "shiftgate://change/CHG-2026-0042?x=1",
      "shiftgate://change/CHG-2026-0042#/gitops",
      "shiftgate://change/CHG-2026-0042/edit",
      "shiftgate://change/..%2Fgitops",
      "shiftgate://change/CHG-2026-42",
      "shiftgate://user@change/CHG-2026-0042",
      "shiftgate://approve/CHG-2026-0042",
      "shiftgate:change/CHG-2026-0042",
      "https://change/CHG-2026-0042",
      "SHIFTGATE://change/CHG-2026-0042",
      " shiftgate://change/CHG-2026-0042",
      "shiftgate://change/CHG-2026-0042\n",
      `shiftgate://change/CHG-2026-0042${"/".repeat(200)}`,
    ])
      expect(changeFromDeepLink(url), url).toBeNull();
  });

  it("reads the link from a launch's arguments, never from a flag's value", () => {
    expect(changeFromArgv(["/opt/Shiftgate/shiftgate", "--no-sandbox", "shiftgate://change/CHG-2026-0007"])).toBe(
      "CHG-2026-0007",
    );
    expect(changeFromArgv(["shiftgate", "--page=shiftgate://change/CHG-2026-0007"])).toBeNull();
    expect(changeFromArgv(["shiftgate", "shiftgate://change/CHG-2026-0007/edit"])).toBeNull();
    expect(changeFromArgv(["shiftgate", "--page", "approvals"])).toBeNull();
  });
});
