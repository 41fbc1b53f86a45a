import { afterEach, describe, expect, it } from "vitest";
import { startGitops } from "../../../electron/core/gitops/first-run";
import { singleBlackoutIcs } from "../../helpers/calendar-replace";
import { ADMIN } from "../../helpers/gitops-world";
import { tempCore } from "../../helpers/temp";
import { actAs, call, refused } from "../approvals/support";

// A plant leader's calendar replacement lives in this register only until a policy-admin publishes it: verify and
// every other laptop still read the repository's calendar. The plant list says so plainly until then.
const ANA = "ana.ortiz@plant.example";
const MARCUS = "marcus.reed@plant.example";

let done: (() => void) | undefined;
afterEach(() => done?.());

async function laptop() {
  const t = await tempCore({});
  done = t.cleanup;
  await startGitops(t.core.services);
  return t.core;
}

const pending = async (core: Awaited<ReturnType<typeof laptop>>) =>
  Object.fromEntries((await call(core, "plant.list", {})).map((p) => [p.id, p.pendingPublication]));

describe("a replaced calendar pending publication", () => {
  it("shows on the plant list from the replacement until a policy-admin publishes it", async () => {
    const core = await laptop();
    expect(await pending(core)).toEqual({ berlin: null, chicago: null, pune: null });

    await actAs(core, ANA);
    await call(core, "plant.import", {
      ics: singleBlackoutIcs("Berlin Assembly", "Europe/Berlin"),
      fileName: "berlin.ics",
      replace: true,
    });
    const waiting = { since: "2026-12-01T08:00:00.000Z", by: ANA };
    expect(await pending(core)).toEqual({ berlin: waiting, chicago: null, pune: null });

    // Ana may not publish (.shiftgate/ is the policy-admin's): refused, and Berlin still waits.
    expect(await refused(core, "gitops.publishCalendars", {})).toMatchObject({ code: "forbidden" });
    expect(await pending(core)).toEqual({ berlin: waiting, chicago: null, pune: null });

    // A shift preset over Marcus's Chicago is a replacement too.
    await actAs(core, MARCUS);
    await call(core, "plant.applyPreset", { plant: "chicago", preset: "3x8-continental", anchor: "2026-11-30" });
    expect((await pending(core)).chicago).toEqual({ since: "2026-12-01T08:00:00.000Z", by: MARCUS });

    await actAs(core, ADMIN);
    const out = await call(core, "gitops.publishCalendars", {});
    expect(out).toMatchObject({ pushed: true, error: null });
    expect(await pending(core)).toEqual({ berlin: null, chicago: null, pune: null });
  });
});
