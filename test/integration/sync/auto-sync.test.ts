import { renameSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { fixedClock } from "../../../electron/core/clock";
import type { Core } from "../../../electron/core/core";
import { FOCUS_GAP_MS } from "../../../electron/core/gitops/auto-sync";
import { startGitops } from "../../../electron/core/gitops/first-run";
import { dataPaths } from "../../../electron/core/paths";
import { ADMIN } from "../../helpers/gitops-world";
import { type HandTimer, handTimer } from "../../helpers/hand-timer";
import { tempCore } from "../../helpers/temp";
import { waitFor } from "../../helpers/wait";
import { call } from "../approvals/support";

// Issue #17 item 2: the core syncs by itself, on start, on focus (rate-limited), on a timer and after every push,
// one sync at a time; offline failures are recorded, not thrown; Core.close stops it. The scheduler's timer and the
// clock are injected: the test fires each due timer itself and never waits for time to pass.

const EVERY = 120_000;
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

async function laptop() {
  const clock = fixedClock("2026-12-01T08:00:00Z");
  const t = await tempCore({ clock });
  cleanups.push(t.cleanup);
  await startGitops(t.core.services);
  return { ...t, clock, hand: handTimer() };
}

const status = (core: Core) => call(core, "gitops.syncStatus", {});

/** Fires the timer due after `ms` and waits until the sync it started has finished and the next timer is set. */
async function fireAndSettle(core: Core, hand: HandTimer, ms: number): Promise<void> {
  const before = hand.count();
  hand.fire(ms);
  await waitFor(() => hand.count() > before && hand.live().some((d) => d.ms === EVERY), "the sync to finish");
  expect((await status(core)).running).toBeNull();
}

describe("sync that runs itself", () => {
  it("syncs on start and on the timer, records when it last heard from the remote, and close stops it", async () => {
    const { core, dir, clock, hand } = await laptop();
    expect((await status(core)).auto).toEqual({ enabled: false, everyMs: null });
    core.startAutoSync({ timer: hand.timer, everyMs: EVERY });
    expect((await status(core)).auto).toEqual({ enabled: true, everyMs: EVERY });
    // The start sync is queued, not run inside the call.
    expect(hand.live().map((d) => d.ms)).toEqual([0]);
    expect((await status(core)).lastHeardAt).toBeNull();

    await fireAndSettle(core, hand, 0);
    const started = await status(core);
    expect(started).toMatchObject({
      configured: true,
      lastHeardAt: "2026-12-01T08:00:00.000Z",
      lastAttemptAt: "2026-12-01T08:00:00.000Z",
      lastError: null,
      lastResult: { trigger: "start", at: "2026-12-01T08:00:00.000Z" },
      waiting: { count: 0, items: [] },
    });

    clock.set("2026-12-01T08:02:00Z");
    await fireAndSettle(core, hand, EVERY);
    expect(await status(core)).toMatchObject({
      lastHeardAt: "2026-12-01T08:02:00.000Z",
      lastResult: { trigger: "timer" },
    });
    // One timer is due at a time: the next one only.
    expect(hand.live().map((d) => d.ms)).toEqual([EVERY]);

    core.close();
    expect(hand.live()).toEqual([]);
    // What it last heard survives a restart (kept beside the register).
    const again = await tempCore({ clock, dataDir: dir });
    cleanups.push(() => again.core.close());
    expect((await status(again.core)).lastHeardAt).toBe("2026-12-01T08:02:00.000Z");
  });

  it("a window's focus syncs, but not again within a minute of the last sync, and not where nothing syncs by itself", async () => {
    const { core, clock, hand } = await laptop();
    expect(await call(core, "gitops.syncFocus", {})).toEqual({ started: false, reason: "off" });
    core.startAutoSync({ timer: hand.timer, everyMs: EVERY });
    await fireAndSettle(core, hand, 0);

    clock.set(new Date(Date.parse("2026-12-01T08:00:00Z") + FOCUS_GAP_MS - 1000));
    expect(await call(core, "gitops.syncFocus", {})).toEqual({ started: false, reason: "recent" });
    expect(hand.live().map((d) => d.ms)).toEqual([EVERY]);

    clock.set("2026-12-01T08:05:00Z");
    expect(await call(core, "gitops.syncFocus", {})).toEqual({ started: true, reason: "started" });
    await fireAndSettle(core, hand, 0);
    expect(await status(core)).toMatchObject({
      lastResult: { trigger: "focus", at: "2026-12-01T08:05:00.000Z" },
      lastHeardAt: "2026-12-01T08:05:00.000Z",
    });
  });

  it("a push of the outbox is followed by a sync", async () => {
    const { core, dir, hand } = await laptop();
    core.startAutoSync({ timer: hand.timer, everyMs: EVERY });
    await fireAndSettle(core, hand, 0);
    await call(core, "identity.use", { keyFile: join(dataPaths(dir).keys, `${ADMIN}.key`) });
    await call(core, "plant.applyPreset", { plant: "berlin", preset: "3x8-continental", anchor: "2026-11-30" });
    expect(await call(core, "gitops.publishCalendars", {})).toMatchObject({ pushed: true });
    await waitFor(() => hand.live().some((d) => d.ms === 0), "the sync after the push to be queued");
    await fireAndSettle(core, hand, 0);
    expect(await status(core)).toMatchObject({ lastResult: { trigger: "push" }, lastError: null });
  });

  it("never runs two syncs at once: a second request joins the running one", async () => {
    const { core } = await laptop();
    const first = core.call("gitops.sync", {});
    const during = await status(core);
    expect(during.running).toMatchObject({ trigger: "manual", startedAt: "2026-12-01T08:00:00.000Z" });
    const second = core.call("gitops.sync", {});
    const [one, two] = await Promise.all([first, second]);
    expect(one.ok && two.ok).toBe(true);
    if (one.ok && two.ok) expect(two.value).toEqual(one.value);
    // One run, not two syncs that happened to agree.
    expect(await status(core)).toMatchObject({ running: null, syncsSinceStart: 1, lastResult: { trigger: "manual" } });
    await call(core, "gitops.sync", {});
    expect((await status(core)).syncsSinceStart).toBe(2);
  });

  it("offline: the failure is recorded in plain words, not thrown; the outbox keeps queuing; the next sync clears it", async () => {
    const { core, dir, clock, hand } = await laptop();
    core.startAutoSync({ timer: hand.timer, everyMs: EVERY });
    await fireAndSettle(core, hand, 0);
    const remote = dataPaths(dir).gitopsDemoRemote;
    renameSync(remote, `${remote}.away`);

    await call(core, "identity.use", { keyFile: join(dataPaths(dir).keys, `${ADMIN}.key`) });
    await call(core, "plant.applyPreset", { plant: "berlin", preset: "3x8-continental", anchor: "2026-11-30" });
    const queued = await call(core, "gitops.publishCalendars", {});
    expect(queued.pushed).toBe(false);

    clock.set("2026-12-01T08:02:00Z");
    await fireAndSettle(core, hand, EVERY);
    const offline = await status(core);
    expect(offline.lastHeardAt).toBe("2026-12-01T08:00:00.000Z");
    expect(offline.lastError).toMatchObject({ trigger: "timer", code: "git-remote", at: "2026-12-01T08:02:00.000Z" });
    expect(offline.lastError?.message).not.toMatch(/^fatal:/);
    expect(offline.waiting.count).toBe(1);
    expect(offline.waiting.items[0]).toMatchObject({ id: queued.intent });
    // The timer goes on.
    expect(hand.live().map((d) => d.ms)).toEqual([EVERY]);

    renameSync(`${remote}.away`, remote);
    clock.set("2026-12-01T08:04:00Z");
    await fireAndSettle(core, hand, EVERY);
    expect(await status(core)).toMatchObject({
      lastHeardAt: "2026-12-01T08:04:00.000Z",
      lastError: null,
      waiting: { count: 0 },
      lastResult: { trigger: "timer", pushed: 1 },
    });
  });
});
