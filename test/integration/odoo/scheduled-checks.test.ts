import { afterEach, describe, expect, it } from "vitest";
import { demoPolicy } from "../../../electron/core/gitops/demo-policy";
import { SCHEDULE_POLL_MS } from "../../../electron/core/odoo/check-schedule";
import type { OdooCheckRun } from "../../../shared/contract/odoo";
import type { Policy } from "../../../shared/domain/policy/index";
import { handTimer } from "../../helpers/hand-timer";
import { tempCore } from "../../helpers/temp";
import { waitFor } from "../../helpers/wait";
import { policyWorkingCopy } from "../register/policy-world";
import { call } from "../register/register-fixtures";
import { connectOdoo, standIn } from "./odoo-world";

// Issue #18 item 5's scheduled runs: the core runs the checks policy.yaml schedules (`odoo: schedule:`), none by
// default, as system:odoo, on an injected timer the test fires by hand (no waiting for time to pass); the schedule
// is read again every round, so a signed policy change turns it on; Core.close stops it.

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const withSchedule = (schedule?: NonNullable<Policy["odoo"]>["schedule"]): Policy => ({
  ...demoPolicy(),
  odoo: { presets: true, checks: [], ...(schedule ? { schedule } : {}) },
});

async function setUp(policy: Policy) {
  const t = await tempCore({ demo: false });
  cleanups.push(t.cleanup);
  const repo = await policyWorkingCopy(t.dir, policy);
  cleanups.push(() => repo.cleanup());
  const odoo = await standIn({ version: "17.0" });
  cleanups.push(() => odoo.close());
  await connectOdoo(t.core, odoo, "qa");
  const hand = handTimer();
  t.core.startScheduledChecks({ timer: hand.timer });
  return { ...t, repo, odoo, hand };
}

const latest = async (core: Parameters<typeof call>[0]) =>
  (await call<{ runs: OdooCheckRun[] }>(core, "odoo.check.latest", { environment: "qa" })).runs;

/** Fires the timer due after `ms` and waits until its round has finished and armed the next one. */
async function fireRound(hand: ReturnType<typeof handTimer>, ms: number, next: number): Promise<void> {
  const before = hand.count();
  hand.fire(ms);
  await waitFor(() => hand.count() > before && hand.live().some((d) => d.ms === next), "the round to finish");
}

describe("scheduled Odoo checks", () => {
  it("are off by default: the timer only looks at the policy again, and Odoo is not asked", async () => {
    const { core, odoo, hand } = await setUp(withSchedule());
    expect(hand.live().map((d) => d.ms)).toEqual([SCHEDULE_POLL_MS]);
    const asked = odoo.calls.length;
    await fireRound(hand, SCHEDULE_POLL_MS, SCHEDULE_POLL_MS);
    expect(odoo.calls.length).toBe(asked);
    expect(await latest(core)).toEqual([]);
  });

  it("run as system:odoo every interval in the scheduled environments that have a connection; close stops them", async () => {
    const { core, odoo, hand, repo } = await setUp(withSchedule());
    // A signed policy change turns the schedule on; preproduction has no connection and is skipped, not an error.
    await repo.publish(withSchedule({ every: "30m", environments: ["qa", "preproduction"] }));
    await fireRound(hand, SCHEDULE_POLL_MS, 30 * 60_000);
    const runs = await latest(core);
    expect(runs.length).toBeGreaterThan(0);
    expect(runs.every((r) => r.ranBy === "system:odoo" && r.environment === "qa")).toBe(true);
    const asked = odoo.calls.length;
    await fireRound(hand, 30 * 60_000, 30 * 60_000);
    expect(odoo.calls.length).toBeGreaterThan(asked);
    expect(hand.live()).toHaveLength(1);
    core.close();
    expect(hand.live()).toEqual([]);
  });

  it("a schedule more often than every 5 minutes makes the policy invalid", async () => {
    const { odooPolicySchema } = await import("../../../shared/domain/policy/odoo-checks");
    expect(odooPolicySchema.safeParse({ schedule: { every: "4m", environments: ["qa"] } }).success).toBe(false);
    expect(odooPolicySchema.safeParse({ schedule: { every: "5m", environments: ["qa"] } }).success).toBe(true);
    expect(odooPolicySchema.safeParse({ schedule: { every: "1h", environments: [] } }).success).toBe(false);
  });
});
