import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoDigest } from "../../../electron/core/gitops/demo-policy";
import type { AuditEvent, ListPage } from "../../../shared/contract/index";
import type { HomeSummary } from "../../../shared/contract/methods/home";
import type { MonthlyFigures } from "../../../shared/contract/methods/reports";
import { promoteToPreproduction } from "../../helpers/demo-release";
import { releaseChange } from "../../helpers/ledger-writes";
import { ODOO_IMAGE, type ReleaseWorld, startReleaseWorld } from "../../helpers/release-world";

// The whole loop through the core as the app wires it (test/helpers/release-world.ts).
const IMAGE = ODOO_IMAGE;
const C1 = "CHG-2026-0001"; // demo: released six days ago, later replaced by the hotfix
const C5 = "CHG-2026-0005"; // demo: emergency hotfix, the last production release
const C6 = "CHG-2026-0006"; // released here, during the test
const C2 = "CHG-2026-0002"; // released here too, after C6 failed: without its Chicago plant-ops-leader's approval
const MIN = 60_000;

describe("post-release validation and drift, wired in the core", () => {
  let world: ReleaseWorld;
  let clock: ReleaseWorld["clock"];
  let kube: ReleaseWorld["kube"];
  let demo: ReleaseWorld["demo"];
  let ids: ReleaseWorld["ids"];
  const call = <T>(method: string, input: unknown) => world.call<T>(method, input);
  const production = () => world.production();
  const change = (number: string) => world.change(number);
  const releaseOf = (number: string) => world.releaseOf(number);
  const head = () => world.head();
  const runs: ReleaseWorld["runs"] = (...args) => world.runs(...args);
  const registerChange: ReleaseWorld["registerChange"] = (...args) => world.registerChange(...args);

  beforeAll(async () => {
    world = await startReleaseWorld();
    ({ clock, kube, demo, ids } = world);
  }, 60_000);

  afterAll(async () => {
    await world?.close();
  });

  it("closes a change whose release is synced, healthy and rolled out, and fails the one it replaced", async () => {
    await registerChange(C1, "validating");
    await registerChange(C5, "validating");
    // Argo CD follows the branch head: later commits that leave production's files alone still run the hotfix.
    runs(await head(), "Healthy", `${IMAGE}:17.0-20261127-hotfix1@${demoDigest("17.0-20261127-hotfix1")}`);
    const prod = await production();
    expect(prod.pendingReleases).toEqual([
      expect.objectContaining({ changeId: C1, application: "odoo-prod", state: "failed", reason: "other-revision" }),
      expect.objectContaining({ changeId: C5, application: "odoo-prod", state: "passed" }),
    ]);
    expect(prod.pendingReleases[0]?.revision).toBe(await releaseOf(C1));
    expect((await change(C5)).status).toBe("closed");
    expect((await change(C1)).status).toBe("failed");
    const audit = await call<ListPage<AuditEvent>>("audit.list", { entityId: ids.get(C5) });
    // An automatic step, recorded as such with the evidence that triggered it, never as whoever read the view.
    expect(audit.items.map((e) => [e.action, e.actor, e.reason])).toContainEqual([
      "change.transition",
      "system:cluster",
      // No Odoo is connected for production here: the cluster's verdict stands alone, and the evidence says so.
      `Post-release validation of release ${prod.pendingReleases[1]?.revision.slice(0, 12)} passed: ${prod.pendingReleases[1]?.message} Odoo was not asked: no Odoo connection is set up for production.`,
    ]);
    // Settled changes leave the view's pending releases.
    expect((await production()).pendingReleases).toEqual([]);
  });

  it("keeps a release pending while it rolls out, and fails it when it is still degraded at the deadline", async () => {
    await registerChange(C6, "implementing");
    // Released inside its approved window (change.yaml's, the register's too): an authorised release.
    const { sha, image, windowEnd } = await world.releaseInWindow(C6, "17.0-20261203");
    runs(sha, "Progressing", image, 1);
    expect((await production()).pendingReleases).toEqual([
      expect.objectContaining({ changeId: C6, revision: sha, state: "pending" }),
    ]);
    // The release commit is there: implementation is done, validation under way.
    expect((await change(C6)).status).toBe("validating");

    // Past the deadline: the end of its window.
    clock.set(new Date(Date.parse(windowEnd) + MIN));
    runs(sha, "Degraded", image, 1);
    const [check] = (await production()).pendingReleases;
    expect(check).toMatchObject({ changeId: C6, state: "failed", reason: "degraded" });
    const failed = await change(C6);
    expect(failed.status).toBe("failed");
    const audit = await call<ListPage<AuditEvent>>("audit.list", { entityId: ids.get(C6) });
    expect(audit.items.map((e) => e.reason)).toContainEqual(
      expect.stringMatching(
        /^Post-release validation of release [0-9a-f]{12} failed \(degraded\): odoo-\w+ did not finish/,
      ),
    );
  });

  it("names a release without the approvals its policy needs unauthorised: never validating or closed, counted failed, on home", async () => {
    await registerChange(C2, "implementing");
    const figures = () => call<MonthlyFigures>("report.figures", { months: 1, timeZone: "UTC" });
    const before = (await figures()).total.successRate;
    // The demo's C2 still needs the Chicago plant-ops-leader; its window is days away. It goes out anyway.
    const tom = demo.signers.get("tom.fischer@plant.example") ?? fail();
    const digest = await promoteToPreproduction(
      demo.repo,
      tom,
      C2,
      "17.0-20261204",
      new Date(clock.now().getTime() - 2 * MIN),
    );
    const sha = await releaseChange(demo.repo, tom, {
      change: C2,
      environment: "production",
      image: IMAGE,
      newTag: "17.0-20261204",
      digest,
      date: new Date(clock.now().getTime() - MIN),
    });
    // It runs healthy: the cluster would call it a success; the ledger does not.
    runs(sha, "Healthy", `${IMAGE}:17.0-20261204@${digest}`);
    await production();
    const released = await change(C2);
    expect(released.status).toBe("unauthorised");
    const audit = await call<ListPage<AuditEvent>>("audit.list", { entityId: ids.get(C2) });
    const moves = audit.items.filter((e) => e.action === "change.transition");
    expect(moves.map((e) => e.after).slice(-1)).toEqual([{ status: "unauthorised" }]);
    expect(moves.at(-1)).toMatchObject({
      actor: "system:cluster",
      reason: expect.stringMatching(new RegExp(`^Release ${sha.slice(0, 12)} is unauthorised;.*quorum-not-met: `)),
    });
    expect(moves.at(-1)?.reason).toContain("outside-window: ");
    // Settled: later reads leave it where it is.
    expect((await production()).pendingReleases).toEqual([]);
    expect((await change(C2)).status).toBe("unauthorised");

    // A failed change in the figures: one more outcome, no more successes.
    const after = (await figures()).total.successRate;
    expect(after).toMatchObject({ numerator: before.numerator, denominator: before.denominator + 1 });

    const home = await call<HomeSummary>("home.summary", {});
    expect(home.sections.find((s) => s.id === "unauthorised")).toMatchObject({
      state: "ok",
      items: [
        expect.objectContaining({
          key: `unauthorised:${ids.get(C2)}`,
          severity: "critical",
          changeId: ids.get(C2),
          detail: moves.at(-1)?.reason,
        }),
      ],
    });
  });

  it("flags an image no approved change explains, in the view and on the home screen", async () => {
    runs(await head(), "Healthy", `${IMAGE}:17.0-hand-patched`);
    const prod = await production();
    expect(prod.drift.filter((d) => d.kind === "image")).toEqual([
      expect.objectContaining({
        name: "odoo-web",
        running: `${IMAGE}:17.0-hand-patched`,
        approved: expect.any(String),
      }),
      expect.objectContaining({ name: "odoo-worker", running: `${IMAGE}:17.0-hand-patched` }),
    ]);
    const home = await call<HomeSummary>("home.summary", {});
    const drift = home.sections.find((s) => s.id === "drift");
    expect(drift?.state).toBe("ok");
    expect(drift?.items.map((i) => i.detail)).toEqual(
      expect.arrayContaining([expect.stringContaining("17.0-hand-patched")]),
    );
  });

  it("says drift was not judged when production cannot be read, rather than that nothing needs anyone", async () => {
    kube.inject({ kind: "status", code: 401, reason: "Unauthorized", message: "token expired" }, { times: 50 });
    // The view is kept between reads (watches, backoff): asking afresh records the failure the home screen then sees.
    expect((await production()).state).toBe("error");
    const home = await call<HomeSummary>("home.summary", {});
    kube.clearFaults();
    const drift = home.sections.find((s) => s.id === "drift");
    expect(drift).toMatchObject({
      state: "error",
      items: [],
      message: expect.stringContaining("cannot read production"),
    });
  });
});

function fail(): never {
  throw new Error("missing demo signer");
}
