import { afterEach, describe, expect, it } from "vitest";
import { systemClock } from "../../../electron/core/clock";
import { startGitops } from "../../../electron/core/gitops/first-run";
import { git, isolatedGitContext } from "../../../electron/core/gitops/git";
import { calendarBlackouts } from "../../../electron/core/gitops/verify/blackouts";
import { verifyRepo } from "../../../electron/core/gitops/verify/verify";
import { dataPaths } from "../../../electron/core/paths";
import { PROMOTED_RELEASE } from "../../helpers/demo-release";
import { tempCore } from "../../helpers/temp";
import { actAs, call, changeAwaitingApproval, decideAs, refused } from "../approvals/support";
import { GATE_RECORDER, recordGates } from "../register/register-fixtures";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});
const ctx = isolatedGitContext();
const PROD = "apps/odoo/overlays/prod/kustomization.yaml";

// The core judges the release against the window at its clock, and the outbox commits at the wall clock: one clock.
async function laptop() {
  const t = await tempCore({ clock: systemClock });
  cleanups.push(t.cleanup);
  await startGitops(t.core.services);
  return t;
}

// The outbox commits at the wall clock (no fixed date): the window must hold the real time of the test run.
const windowStart = () => new Date(Date.now() - 3_600_000).toISOString();

async function verifyRemote(remote: string) {
  return verifyRepo({ repo: remote, now: new Date(), ctx });
}

async function inBerlinBlackout(remote: string, sha: string): Promise<boolean> {
  const ics = (await git(ctx, remote, ["show", `${sha}:.shiftgate/calendars/berlin.ics`])).stdout;
  const at = new Date((await git(ctx, remote, ["log", "-1", "--format=%cI", sha])).stdout.trim());
  const day = 86_400_000;
  return calendarBlackouts("berlin", ics, new Date(at.getTime() - day), new Date(at.getTime() + day)).some(
    (b) => b.start.getTime() <= at.getTime() && at.getTime() < b.end.getTime(),
  );
}

describe("gitops.release", () => {
  it("an approved change released by its implementer: signed, Change-Request, on the prod path; verify adds nothing", async () => {
    const a = await laptop();
    const core = a.core;
    const remote = dataPaths(a.dir).gitopsDemoRemote;
    const id = await changeAwaitingApproval(core, { windowStart: windowStart() });
    await actAs(core, "lena.weber@plant.example");
    const { number } = await call(core, "gitops.submit", { changeId: id });
    // The pre-production gates travel once the change is in the repository: recorded (again) by a key holder there.
    await actAs(core, GATE_RECORDER);
    await recordGates(core, id, "preproduction");

    // Not yet approved: refused, whoever asks.
    await actAs(core, "tom.fischer@plant.example");
    const early = await refused(core, "gitops.release", {
      changeId: id,
      image: "registry.plant.example/odoo",
      tag: "17.0-1",
    });
    expect(early.code).toBe("forbidden");
    expect(early.message).toContain("awaiting-approval");

    await decideAs(core, "sofia.rossi@plant.example", id);
    await decideAs(core, "ana.ortiz@plant.example", id);
    expect((await call(core, "change.get", { id })).status).toBe("approved");
    const before = await verifyRemote(remote);

    // Neither the implementer nor a release-manager.
    await actAs(core, "raj.patel@plant.example");
    const other = await refused(core, "gitops.release", {
      changeId: id,
      image: "registry.plant.example/odoo",
      tag: "17.0-1",
    });
    expect(other.code).toBe("forbidden");
    expect(other.message).toContain("neither");

    await actAs(core, "tom.fischer@plant.example");
    const out = await call(core, "gitops.release", { changeId: id, ...PROMOTED_RELEASE });
    expect(out).toMatchObject({ number, environment: "production", status: "implementing", pushed: true, error: null });
    expect((await call(core, "change.get", { id })).status).toBe("implementing");

    const head = await git(ctx, remote, [
      "log",
      "-1",
      "--format=%H%n%ce%n%(trailers:key=Change-Request,valueonly)",
      "main",
    ]);
    const [sha, committer, trailer] = head.stdout.trim().split("\n");
    expect(committer).toBe("tom.fischer@plant.example");
    expect(trailer?.trim()).toBe(number);
    const touched = await git(ctx, remote, ["show", "--name-only", "--format=", "main"]);
    expect(touched.stdout.trim()).toBe(PROD);
    const content = await git(ctx, remote, ["show", `main:${PROD}`]);
    expect(content.stdout).toContain(`newTag: "${PROMOTED_RELEASE.tag}"`);
    expect(content.stdout).toContain(`digest: ${PROMOTED_RELEASE.digest}`);

    // Verify adds nothing but what the wall clock may bring: the outbox commits now, and on Berlin's month-end
    // blackout day the release is judged `blackout` (precisely that, nothing else).
    const after = await verifyRemote(remote);
    const expected = (await inBerlinBlackout(remote, sha ?? "")) ? ["blackout"] : [];
    expect(after.findings.filter((f) => f.commit === sha).map((f) => f.kind)).toEqual(expected);
    expect(after.findings.filter((f) => f.commit !== sha)).toEqual(before.findings);
    const sigs = await call(core, "gitops.changeSignatures", { change: id });
    expect(sigs.commits[0]).toMatchObject({ sha, verified: true, signer: { email: "tom.fischer@plant.example" } });

    const audit = core.services.register.db
      .prepare(
        "SELECT action, actor FROM audit WHERE entity_id = ? AND action IN ('change.release', 'change.transition') ORDER BY seq",
      )
      .all(id) as { action: string; actor: string }[];
    expect(audit.slice(-3)).toEqual([
      { action: "change.release", actor: "tom.fischer@plant.example" },
      { action: "change.transition", actor: "tom.fischer@plant.example" },
      { action: "change.transition", actor: "tom.fischer@plant.example" },
    ]);
  });

  it("a change with no CHG number is refused, naming why", async () => {
    const a = await laptop();
    const id = await changeAwaitingApproval(a.core, { windowStart: windowStart() });
    await actAs(a.core, "tom.fischer@plant.example");
    const err = await refused(a.core, "gitops.release", {
      changeId: id,
      image: "registry.plant.example/odoo",
      tag: "1",
    });
    expect(err.code).toBe("forbidden");
  });

  it("a release to production is refused while a pre-production gate's latest result is a failure; nothing changes", async () => {
    const a = await laptop();
    const core = a.core;
    const remote = dataPaths(a.dir).gitopsDemoRemote;
    const id = await changeAwaitingApproval(core, { windowStart: windowStart() });
    await actAs(core, "lena.weber@plant.example");
    await call(core, "gitops.submit", { changeId: id });
    await decideAs(core, "sofia.rossi@plant.example", id);
    await decideAs(core, "ana.ortiz@plant.example", id);
    await actAs(core, GATE_RECORDER);
    await call(core, "gate.record", {
      changeId: id,
      stage: "preproduction",
      gate: "mrp-run",
      result: "fail",
      reason: "MRP run found 12 exceptions after the approval",
    });
    await call(core, "gitops.push", {});
    const head = (await git(ctx, remote, ["rev-parse", "main"])).stdout.trim();
    const before = await call(core, "change.get", { id });
    await actAs(core, "tom.fischer@plant.example");
    const err = await refused(core, "gitops.release", {
      changeId: id,
      image: "registry.plant.example/odoo",
      tag: "17.0-1",
    });
    expect(err.code).toBe("gate-failed");
    expect(err.message).toMatch(/cannot be released to production: its preproduction gates .*mrp-run \(failed\)/);
    const after = await call(core, "change.get", { id });
    expect({ status: after.status, version: after.version }).toEqual({
      status: before.status,
      version: before.version,
    });
    expect((await git(ctx, remote, ["rev-parse", "main"])).stdout.trim()).toBe(head);
    expect((await call(core, "gitops.outbox", {})).items).toEqual([]);
  });
});
