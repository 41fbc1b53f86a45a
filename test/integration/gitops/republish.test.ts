import { afterEach, describe, expect, it } from "vitest";
import { startGitops } from "../../../electron/core/gitops/first-run";
import { git, isolatedGitContext } from "../../../electron/core/gitops/git";
import { type RepublishOutcome, startCalendarRepublish } from "../../../electron/core/gitops/republish";
import { dataPaths } from "../../../electron/core/paths";
import { ADMIN } from "../../helpers/gitops-world";
import { tempCore } from "../../helpers/temp";
import { waitFor } from "../../helpers/wait";
import { actAs, call } from "../approvals/support";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

// The scheduled call is captured instead of waited for: the test runs it when it wants.
async function scheduled() {
  const t = await tempCore({});
  cleanups.push(t.cleanup);
  await startGitops(t.core.services);
  const due: (() => void)[] = [];
  const outcomes: RepublishOutcome[] = [];
  const stop = startCalendarRepublish(t.core, {
    timer: (fn) => {
      due.push(fn);
      return () => undefined;
    },
    log: (o) => outcomes.push(o),
  });
  cleanups.push(stop);
  const tick = async () => {
    const before = outcomes.length;
    due.shift()?.();
    await waitFor(() => outcomes.length > before, "the scheduled republish");
    return outcomes[outcomes.length - 1];
  };
  const remote = dataPaths(t.dir).gitopsDemoRemote;
  const head = async () => (await git(isolatedGitContext(), remote, ["rev-parse", "main"])).stdout.trim();
  return { ...t, tick, outcomes, head, remote };
}

describe("the calendars' sync windows are republished on a schedule and after a calendar change", () => {
  it("the daily run publishes through gitops.publishCalendars, then finds nothing to change", async () => {
    const a = await scheduled();
    await actAs(a.core, ADMIN);
    const before = await a.head();
    expect(await a.tick()).toMatchObject({ state: "published", files: ["apps/argocd/appproject-sync-windows.yaml"] });
    expect(await a.head()).not.toBe(before);
    const published = await a.head();
    expect(await a.tick()).toEqual({ state: "unchanged" });
    expect(await a.head()).toBe(published);
  });

  it("a calendar change is published without waiting for the day's run", async () => {
    const a = await scheduled();
    await actAs(a.core, ADMIN);
    await call(a.core, "plant.applyPreset", { plant: "berlin", preset: "3x8-continental", anchor: "2026-11-30" });
    await waitFor(() => a.outcomes.length > 0, "the republish after the calendar change");
    expect(a.outcomes[0]).toMatchObject({ state: "published" });
    const files = await git(isolatedGitContext(), a.remote, ["show", "--name-only", "--format=", "main"]);
    expect(files.stdout).toContain(".shiftgate/calendars/berlin.ics");
  });

  it("a laptop whose key is not a policy-admin's skips it, saying why, and commits nothing", async () => {
    const a = await scheduled();
    await actAs(a.core, "lena.weber@plant.example");
    const before = await a.head();
    expect(await a.tick()).toMatchObject({ state: "skipped", code: "forbidden" });
    expect(await a.head()).toBe(before);
  });
});
