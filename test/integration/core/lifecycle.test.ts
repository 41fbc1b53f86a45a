import { execFileSync } from "node:child_process";
import { closeSync, constants, existsSync, openSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { AUTO_SYNC_EVERY_MS } from "../../../electron/core/gitops/auto-sync";
import { backoff } from "../../../electron/core/gitops/outbox";
import { REPUBLISH_EVERY_MS } from "../../../electron/core/gitops/republish";
import { SCHEDULE_POLL_MS } from "../../../electron/core/odoo/check-schedule";
import { dataPaths } from "../../../electron/core/paths";
import { openDoors } from "../../helpers/doors";
import { ADMIN } from "../../helpers/gitops-world";
import { handTimer } from "../../helpers/hand-timer";
import { tempCore } from "../../helpers/temp";
import { waitFor } from "../../helpers/wait";
import { contentHash } from "../register/register-fixtures";

// Issue #20 item 4: the core owns its lifecycle. What a running app does by itself (outbox pushes and retries,
// auto-sync, scheduled Odoo checks, the calendar republish) is built by createCore on the core's one timer, and
// close() stops every part of it and closes the register. The timer is a hand timer: what it still has scheduled
// is exactly what the core would leave behind.

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

async function runningApp() {
  const hand = handTimer();
  const t = await tempCore({ timer: hand.timer, background: true });
  cleanups.push(t.cleanup);
  const due = () => hand.live().map((d) => d.ms);
  return { ...t, hand, due };
}

describe("the core's lifecycle", () => {
  it("builds the background parts on the core's timer, and close() leaves nothing scheduled", async () => {
    const { core, dir, hand, due } = await runningApp();
    // Start sync queued, the Odoo schedule's poll and the daily republish: all on the core's own timer.
    expect(due()).toEqual(expect.arrayContaining([0, SCHEDULE_POLL_MS, REPUBLISH_EVERY_MS]));

    const before = hand.count();
    hand.fire(0);
    await waitFor(
      () => hand.count() > before && due().filter((ms) => ms === AUTO_SYNC_EVERY_MS).length === 2,
      "the start sync to finish and arm the next",
    );

    // Offline, a publish leaves a push for the outbox to make: its attempt is on the core's timer too.
    const remote = dataPaths(dir).gitopsDemoRemote;
    renameSync(remote, `${remote}.away`);
    const admin = await core.call("identity.use", { keyFile: join(dataPaths(dir).keys, `${ADMIN}.key`) });
    expect(admin.ok).toBe(true);
    const preset = await core.call("plant.applyPreset", {
      plant: "berlin",
      preset: "3x8-continental",
      anchor: "2026-11-30",
    });
    expect(preset.ok).toBe(true);
    const published = await core.call("gitops.publishCalendars", {});
    expect(published).toMatchObject({ ok: true, value: { pushed: false, error: { code: "git-remote" } } });
    // The push failed (remote gone) and its retry waits on the core's timer with the outbox's backoff.
    const retry = (ms: number) => ms >= backoff(1) && ms <= backoff(10);
    await waitFor(() => due().some(retry), "the outbox to schedule its retry");

    core.close();
    expect(due()).toEqual([]);
  });

  it("a call after close is refused in words at every door, nothing changes, and closing twice is harmless", async () => {
    const { core, dir, hand, due } = await runningApp();
    const doors = await openDoors(core, dir);
    cleanups.push(() => void doors.close());
    const admin = await core.call("identity.use", { keyFile: join(dataPaths(dir).keys, `${ADMIN}.key`) });
    expect(admin.ok).toBe(true);
    const events: unknown[] = [];
    core.onEvent((event) => events.push(event));
    const before = contentHash(core.services.register.db);
    const ran = hand.count();
    core.close();
    expect(due()).toEqual([]);
    expect(() => core.close()).not.toThrow();

    const preset = { plant: "berlin", preset: "3x8-continental", anchor: "2026-11-30" };
    for (const [door, call] of [
      ["direct", (m: string, i: unknown) => core.call(m, i)],
      ["ipc", doors.ipc],
      ["web", doors.web],
    ] as const) {
      expect(await call("app.status", {}), door).toEqual({
        ok: false,
        error: { code: "unavailable", message: expect.stringMatching(/shut down.*start Shiftgate again/) },
      });
      expect(await call("plant.applyPreset", preset), door).toMatchObject({
        ok: false,
        error: { code: "unavailable" },
      });
    }
    // Starting a part on a closed core schedules nothing.
    core.startAutoSync({ timer: hand.timer });
    core.startScheduledChecks({ timer: hand.timer });
    expect(hand.count()).toBe(ran);
    expect(events).toEqual([]);
    // The register as it was at close, its audit chain whole.
    const reopened = await tempCore({ dataDir: dir });
    cleanups.push(() => reopened.core.close());
    expect(contentHash(reopened.core.services.register.db)).toBe(before);
    expect(await reopened.core.call("audit.verify", {})).toMatchObject({ ok: true, value: { ok: true } });
  });

  it("close() lets a push under way finish, then closes the register: the push lands and its row says so", async () => {
    const { core, dir } = await runningApp();
    const remote = dataPaths(dir).gitopsDemoRemote;
    // The remote takes the push only when the test says: its hook says it has the push, then waits on a FIFO.
    const arrived = join(dir, "push-arrived");
    const go = join(dir, "push-go");
    execFileSync("mkfifo", [go]);
    writeFileSync(
      join(remote, "hooks", "pre-receive"),
      `#!/bin/sh\ncat >/dev/null\n: > '${arrived}'\nread x < '${go}'\n`,
      {
        mode: 0o755,
      },
    );
    const admin = await core.call("identity.use", { keyFile: join(dataPaths(dir).keys, `${ADMIN}.key`) });
    expect(admin.ok).toBe(true);
    const preset = { plant: "berlin", preset: "3x8-continental", anchor: "2026-11-30" };
    expect((await core.call("plant.applyPreset", preset)).ok).toBe(true);
    let released = false;
    // Should an assertion fail before the release, the hook is let go (a reader waits, or nobody does: ENXIO).
    cleanups.push(() => {
      if (released) return;
      try {
        closeSync(openSync(go, constants.O_WRONLY | constants.O_NONBLOCK));
      } catch {}
    });
    const published = core.call("gitops.publishCalendars", {});
    await waitFor(() => existsSync(arrived), "the push to reach the remote's hook");

    let closedAt: "before-release" | "after-release" | null = null;
    const closing = core.close().then(() => {
      closedAt = released ? "after-release" : "before-release";
    });
    // Everything else stopped at once: a new call is refused while the push finishes.
    expect(await core.call("app.status", {})).toMatchObject({ ok: false, error: { code: "unavailable" } });
    expect(core.services.register.db.open).toBe(true);
    released = true;
    writeFileSync(go, "go\n");
    await closing;
    expect(closedAt).toBe("after-release");
    expect(core.services.register.db.open).toBe(false);
    // The push went through and its row says so: nothing is left for the next start to redo.
    expect(await published).toMatchObject({ ok: true, value: { pushed: true } });
    const head = execFileSync("git", ["-C", dataPaths(dir).gitopsWorkingCopy, "rev-parse", "HEAD"], {
      encoding: "utf8",
    });
    const main = execFileSync("git", ["-C", remote, "rev-parse", "main"], { encoding: "utf8" });
    expect(main).toBe(head);
    const reopened = await tempCore({ dataDir: dir });
    cleanups.push(() => void reopened.core.close());
    const states = reopened.core.services.register.db
      .prepare("SELECT state FROM gitops_outbox WHERE state IN ('pending', 'committed')")
      .all();
    expect(states).toEqual([]);
  });
});
