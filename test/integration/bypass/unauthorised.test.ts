import { describe, expect, it } from "vitest";
import type { ChangeDetail } from "../../../shared/contract/index";
import { bypassWorld, DEMO_ACTORS } from "../../helpers/bypass-world";
import { call, changeIn } from "../register/register-fixtures";

// The bypass matrix for unauthorised releases: no person names a release unauthorised by hand (only post-release
// validation does, on verify's findings), and no person turns one into a success: from unauthorised the only ways
// out are rolled-back and failed.

const world = bypassWorld();

describe("unauthorised is named by evidence and never closed", () => {
  for (const from of ["implementing", "validating"] as const) {
    it(`${from} -> unauthorised: refused for every person at every door`, async () => {
      const change: ChangeDetail = await changeIn(world.core, "normal", from);
      for (const email of DEMO_ACTORS) {
        await world.as(email);
        await world.refused(
          "change.transition",
          { id: change.id, to: "unauthorised", reason: "I think this one skipped the CAB" },
          { code: "forbidden", message: /only through a followed release commit that `gitops verify` finds/ },
        );
      }
    });
  }

  for (const to of ["closed", "validating", "implementing", "approved"] as const) {
    it(`unauthorised -> ${to}: refused for every person at every door`, async () => {
      const change: ChangeDetail = await changeIn(world.core, "normal", "unauthorised");
      for (const email of DEMO_ACTORS) {
        await world.as(email);
        await world.refused(
          "change.transition",
          { id: change.id, to, reason: "It ran fine in the end" },
          { code: "illegal-transition", message: /from unauthorised it can become: rolled-back, failed/ },
        );
      }
    });
  }

  it("a person may roll an unauthorised release back, with a reason", async () => {
    const change: ChangeDetail = await changeIn(world.core, "normal", "unauthorised");
    await world.as("tom.fischer@plant.example");
    const rolled = await call<ChangeDetail>(world.core, "change.transition", {
      id: change.id,
      to: "rolled-back",
      reason: "Reverted the image tag the release set without approval.",
    });
    expect(rolled.status).toBe("rolled-back");
  });
});
