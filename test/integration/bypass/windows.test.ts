import { describe, expect, it } from "vitest";
import { fixedClock } from "../../../electron/core/clock";
import type { ChangeDetail } from "../../../shared/contract/index";
import { bypassWorld } from "../../helpers/bypass-world";
import { waitFor } from "../../helpers/wait";
import { call as callCore, changeAwaitingApproval, decideAs } from "../approvals/support";
import { call, changeIn } from "../register/register-fixtures";

// Berlin's month-end inventory close is a whole-day blackout on the last day of every month (Berlin time).
const IN_BERLIN_BLACKOUT = { start: "2026-12-31T10:00:00+01:00", end: "2026-12-31T14:00:00+01:00" };
const BLACKOUT =
  /Berlin Assembly's blackout "Month-end inventory close" \(2026-12-31 00:00 – 2027-01-01 00:00 Europe\/Berlin\)/;

// Who may take each move at all (default actions): the others are refused for who they are before any window rule.
const MAY_SCHEDULE = ["tom.fischer@plant.example", "sofia.rossi@plant.example", "olivia.brown@plant.example"];
const MAY_EDIT = ["lena.weber@plant.example", "sofia.rossi@plant.example", "olivia.brown@plant.example"];
const CHANGE_MANAGER = "sofia.rossi@plant.example";

const clock = fixedClock("2026-12-01T08:00:00Z");
const world = bypassWorld({ clock });

describe("no door schedules into a blackout or moves a submitted change's window into one", () => {
  it("approved -> scheduled with a window in Berlin's month-end blackout: refused for every person at every door", async () => {
    const change: ChangeDetail = await changeIn(world.core, "normal", "approved", { window: IN_BERLIN_BLACKOUT });
    for (const email of MAY_SCHEDULE) {
      await world.as(email);
      await world.refused(
        "change.transition",
        { id: change.id, to: "scheduled", reason: "The line is quiet anyway" },
        { code: "illegal-transition", message: BLACKOUT },
      );
    }
    const after = await call<ChangeDetail>(world.core, "change.get", { id: change.id });
    expect(after.status).toBe("approved");
  });

  it("approved -> scheduled with a window that has passed: refused for every person at every door", async () => {
    const change: ChangeDetail = await changeIn(world.core, "normal", "approved", {
      window: { start: "2026-11-27T22:00:00+01:00", end: "2026-11-28T02:00:00+01:00" },
    });
    expect(change.windowPassed).toBe(true);
    for (const email of MAY_SCHEDULE) {
      await world.as(email);
      await world.refused(
        "change.transition",
        { id: change.id, to: "scheduled", reason: "Late but fine" },
        { code: "illegal-transition", message: /has passed, so it cannot be scheduled\. Withdraw it to draft/ },
      );
    }
  });

  it("the refusal says what to do: the next safe window of the same length", async () => {
    const change: ChangeDetail = await changeIn(world.core, "normal", "approved", { window: IN_BERLIN_BLACKOUT });
    await world.as(CHANGE_MANAGER);
    const result = await world.core.call("change.transition", { id: change.id, to: "scheduled" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toMatch(
      /next safe window of the same length is 2027-01-0\d \d\d:\d\d – .* Europe\/Berlin/,
    );
    expect(result.error.details).toMatchObject({
      reason: "blackout",
      blackouts: [{ plant: "Berlin Assembly", summary: "Month-end inventory close", timeZone: "Europe/Berlin" }],
    });
  });

  for (const from of ["submitted", "assessed"] as const) {
    it(`change.update of a ${from} change's window into the blackout: refused for every person at every door`, async () => {
      const change: ChangeDetail = await changeIn(world.core, "normal", from);
      for (const email of MAY_EDIT) {
        await world.as(email);
        await world.refused(
          "change.update",
          { id: change.id, patch: { window: IN_BERLIN_BLACKOUT }, reason: "Move it to month end" },
          { code: "invalid-input", message: BLACKOUT },
        );
      }
    });
  }

  it("a draft may hold a window in a blackout (the calendar shows the conflict)", async () => {
    const change: ChangeDetail = await changeIn(world.core, "normal", "draft");
    await world.as(CHANGE_MANAGER);
    const moved = await call<ChangeDetail>(world.core, "change.update", {
      id: change.id,
      patch: { window: IN_BERLIN_BLACKOUT },
    });
    expect(moved.window).toEqual(IN_BERLIN_BLACKOUT);
  });

  it("adding a plant whose blackout the window falls in is refused too", async () => {
    const change: ChangeDetail = await changeIn(world.core, "normal", "submitted", {
      plants: ["pune"],
      // Past Pune's own month-end close (midnight in Kolkata), still inside Berlin's.
      window: { start: "2026-12-31T19:00:00Z", end: "2026-12-31T20:00:00Z" },
    });
    await world.as(CHANGE_MANAGER);
    const result = await world.core.call("change.update", { id: change.id, patch: { plants: ["pune", "berlin"] } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/Berlin Assembly's blackout/);
  });
});

describe("no door releases outside the approved window or in a blackout", () => {
  // Tom is the implementer and a release-manager: the one person a release is not refused to for who they are.
  const TOM = "tom.fischer@plant.example";
  const RELEASE = { image: "registry.plant.example/odoo", tag: "17.0-20261201" };

  async function approvedWithNumber(windowStart: string): Promise<string> {
    clock.set("2026-12-01T08:00:00Z");
    const id = await changeAwaitingApproval(world.core, { windowStart });
    await world.as("lena.weber@plant.example");
    await callCore(world.core, "gitops.submit", { changeId: id });
    await decideAs(world.core, "sofia.rossi@plant.example", id);
    await decideAs(world.core, "ana.ortiz@plant.example", id);
    // The approvals' commits push in the background: let them land before the "nothing changed" picture.
    const db = world.core.services.register.db;
    const unpushed = db.prepare("SELECT count(*) FROM gitops_outbox WHERE state IN ('pending', 'committed')").pluck();
    await waitFor(() => unpushed.get() === 0, "the approvals to be pushed");
    await world.as(TOM);
    return id;
  }

  it("two days after its window: refused at every door", async () => {
    const id = await approvedWithNumber("2026-11-28T08:00:00Z");
    await world.refused(
      "gitops.release",
      { changeId: id, ...RELEASE },
      {
        code: "forbidden",
        message: /approved window \(.*\) has passed; it is not released outside it/,
      },
    );
  });

  it("inside its window but in Berlin's month-end blackout: refused at every door", async () => {
    const id = await approvedWithNumber("2026-12-31T09:00:00Z");
    clock.set("2026-12-31T10:00:00Z");
    await world.refused(
      "gitops.release",
      { changeId: id, ...RELEASE },
      {
        code: "forbidden",
        message: BLACKOUT,
      },
    );
  });
});
