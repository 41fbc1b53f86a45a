import { afterEach, describe, expect, it } from "vitest";
import { fixedClock } from "../../../electron/core/clock";
import type { Core } from "../../../electron/core/core";
import { startGitops } from "../../../electron/core/gitops/first-run";
import type { ChangeSummary } from "../../../shared/contract/index";
import { PROMOTED_RELEASE } from "../../helpers/demo-release";
import { tempCore } from "../../helpers/temp";
import { waitFor } from "../../helpers/wait";
import { actAs, call, changeAwaitingApproval, decideAs, refused, who } from "../approvals/support";
import { contentHash } from "../register/register-fixtures";

// Releases are judged at the core's clock: now must lie in the approved window and outside every blackout, unless
// an emergency exception's break-glass period covers now. Refusals come before any commit is queued.
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

async function laptop(at: string) {
  const clock = fixedClock(at);
  const t = await tempCore({ clock });
  cleanups.push(t.cleanup);
  await startGitops(t.core.services);
  return { core: t.core, clock };
}

// By digest, one the demo's pre-production ran: production refuses a tag alone or a skipped stage.
const RELEASE = PROMOTED_RELEASE;

async function approvedChange(core: Core, windowStart: string): Promise<string> {
  const id = await changeAwaitingApproval(core, { windowStart });
  await actAs(core, "lena.weber@plant.example");
  await call(core, "gitops.submit", { changeId: id });
  await decideAs(core, "sofia.rossi@plant.example", id);
  await decideAs(core, "ana.ortiz@plant.example", id);
  expect((await call(core, "change.get", { id })).status).toBe("approved");
  return id;
}

async function releaseRefused(core: Core, changeId: string, message: RegExp): Promise<void> {
  await actAs(core, "tom.fischer@plant.example");
  const db = core.services.register.db;
  // The approvals' commits push in the background: let them land before taking the "before" picture.
  const unpushed = db.prepare("SELECT count(*) FROM gitops_outbox WHERE state IN ('pending', 'committed')").pluck();
  await waitFor(() => unpushed.get() === 0, "the approvals to be pushed");
  const before = contentHash(db);
  const error = await refused(core, "gitops.release", { changeId, ...RELEASE });
  expect(error.code).toBe("forbidden");
  expect(error.message).toMatch(message);
  expect(contentHash(db), "a refused release changed the register or queued a commit").toBe(before);
}

describe("release inside the approved window, outside blackouts", () => {
  it("two days after its window: refused as passed; the change shows windowPassed on every read and on home", async () => {
    const { core, clock } = await laptop("2026-12-01T08:00:00Z");
    const id = await approvedChange(core, "2026-12-02T08:00:00Z");
    expect((await call(core, "change.get", { id })).windowPassed).toBe(false);

    clock.set("2026-12-04T12:00:00Z");
    await releaseRefused(core, id, /approved window \(2026-12-02T08:00:00Z – 2026-12-02T12:00:00.000Z\) has passed/);
    expect((await call(core, "change.get", { id })).windowPassed).toBe(true);
    const listed = await call(core, "change.list", {});
    expect(listed.items.find((c: ChangeSummary) => c.id === id)?.windowPassed).toBe(true);
    const home = await call(core, "home.summary", {});
    const section = home.sections.find((s) => s.id === "rescheduling");
    expect(section?.items).toContainEqual(
      expect.objectContaining({ changeId: id, severity: "critical", route: `#/register/${id}` }),
    );

    // Re-scheduling: withdrawn to draft (its signatures go stale with the edit), given a new window; no longer passed.
    await actAs(core, "lena.weber@plant.example");
    await call(core, "change.transition", { id, to: "draft", reason: "Window passed; re-scheduling" });
    const moved = await call(core, "change.update", {
      id,
      patch: { window: { start: "2026-12-05T21:00:00Z", end: "2026-12-06T01:00:00Z" } },
      reason: "New window",
    });
    expect(moved.windowPassed).toBe(false);
    const after = await call(core, "home.summary", {});
    expect(after.sections.find((s) => s.id === "rescheduling")?.items.map((i) => i.changeId)).not.toContain(id);
  });

  it("before its window: refused, naming when it opens", async () => {
    const { core } = await laptop("2026-12-01T08:00:00Z");
    const id = await approvedChange(core, "2026-12-02T08:00:00Z");
    await releaseRefused(core, id, /window starts 2026-12-02T08:00:00Z; release it inside its window/);
  });

  it("inside its window but in Berlin's month-end blackout: refused, naming the blackout", async () => {
    const { core, clock } = await laptop("2026-12-01T08:00:00Z");
    // A draft may hold a window in a blackout; nothing before scheduling or release judges it.
    const id = await approvedChange(core, "2026-12-31T09:00:00Z");
    clock.set("2026-12-31T10:00:00Z");
    await releaseRefused(
      core,
      id,
      /Berlin Assembly's blackout "Month-end inventory close" \(2026-12-31 00:00 – 2027-01-01 00:00 Europe\/Berlin\)/,
    );
    expect((await call(core, "change.get", { id })).status).toBe("approved");
  });

  /** Raj logs an emergency in Berlin's year-end blackout (break-glass 09:30–12:00 UTC); Kenji and Ana approve it. */
  async function approvedEmergency(core: Core, incident: string): Promise<string> {
    await actAs(core, "raj.patel@plant.example");
    const logged = await call(core, "exception.log", {
      title: "Goods receipt posting fix",
      area: "warehouse",
      plants: ["berlin"],
      requester: who("lena"),
      implementer: who("tom"),
      justification: "Goods receipts fail to post during the inventory close; the close cannot finish",
      incident,
      breakGlass: { start: "2026-12-31T09:30:00Z", end: "2026-12-31T12:00:00Z" },
      actions: "Patch the posting module and restart the workers",
    });
    // Logging the exception committed the change to the repository; the logger may not approve it.
    await decideAs(core, "kenji.sato@plant.example", logged.change.id);
    await decideAs(core, "ana.ortiz@plant.example", logged.change.id);
    return logged.change.id;
  }

  it("an emergency change whose exception's break-glass covers now releases in the blackout", async () => {
    const { core } = await laptop("2026-12-31T10:00:00Z");
    const id = await approvedEmergency(core, "INC-90210");
    await actAs(core, "tom.fischer@plant.example");
    const out = await call(core, "gitops.release", { changeId: id, ...RELEASE });
    expect(out.status).toBe("implementing");
  });

  it("the same emergency release after its break-glass period is refused: its window has passed", async () => {
    const { core, clock } = await laptop("2026-12-31T10:00:00Z");
    const id = await approvedEmergency(core, "INC-90211");
    clock.set("2026-12-31T13:00:00Z");
    await releaseRefused(core, id, /has passed/);
  });
});
