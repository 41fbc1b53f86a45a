import { describe, it } from "vitest";
import { bypassWorld } from "../../helpers/bypass-world";
import { call, newChange } from "../register/register-fixtures";

// Issue #19 item 7: a window filter whose end is not after its start matched nothing, and the list looked like
// "no changes". The register page hints instead of asking; every door refuses the inverted range, saying what to do.
const world = bypassWorld({}, (w) => w.as("lena.weber@plant.example"));

describe("no door lists changes over an inverted window range", () => {
  it("refuses a window filter ending before (or at) its start at every door; nothing changes", async () => {
    await call(world.core, "change.create", newChange({}));
    const message = /Window to: the window filter must end after it starts: swap the two days or clear one/;
    await world.refused(
      "change.list",
      { windowFrom: "2026-12-20T00:00:00Z", windowTo: "2026-12-01T00:00:00Z" },
      { code: "invalid-input", message },
    );
    await world.refused(
      "change.list",
      { windowFrom: "2026-12-01T00:00:00Z", windowTo: "2026-12-01T00:00:00Z" },
      { code: "invalid-input", message },
    );
  });

  it("still lists over a proper range and with one bound only", async () => {
    await call(world.core, "change.list", { windowFrom: "2026-12-01T00:00:00Z", windowTo: "2026-12-02T00:00:00Z" });
    await call(world.core, "change.list", { windowTo: "2026-12-02T00:00:00Z" });
  });
});
