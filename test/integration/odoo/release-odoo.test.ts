import { afterEach, describe, expect, it } from "vitest";
import type { AuditEvent, ListPage } from "../../../shared/contract/index";
import type { HomeSummary } from "../../../shared/contract/methods/home";
import { type Doors, openDoors, refusedAtEveryDoor } from "../../helpers/doors";
import { type OdooStandIn, startOdooStandIn } from "../../helpers/odoo-server";
import { addSmokeMethods } from "../../helpers/odoo-smoke-methods";
import { type ReleaseWorld, startReleaseWorld } from "../../helpers/release-world";

// Post-release validation asks the environment's Odoo once the cluster passed a release: the change closes only when
// both agree. A module left "to upgrade" (the upgrade job never ran) keeps it validating; no door can close it; at the
// deadline it is failed, and the home screen raises it.
const C6 = "CHG-2026-0006"; // the demo's approved change, released here
const TAG = "17.0-20261203";

let world: ReleaseWorld | undefined;
let odoo: OdooStandIn | undefined;
let doors: Doors | undefined;
afterEach(async () => {
  await doors?.close();
  await odoo?.close();
  await world?.close();
});

/** C6 released healthy in production, whose Odoo (17.0, connected) left mrp "to upgrade". */
async function releasedWhileOdooDisagrees() {
  world = await startReleaseWorld();
  const w = world;
  await w.registerChange(C6, "implementing");
  const release = await w.releaseInWindow(C6, TAG);
  odoo = await startOdooStandIn({ version: "17.0", now: w.clock.now() });
  addSmokeMethods(odoo);
  const mrp = odoo.tables.get("ir.module.module")?.find((m) => m.name === "mrp");
  if (mrp) mrp.state = "to upgrade";
  await w.call("odoo.connection.set", {
    environment: "production",
    url: odoo.url,
    database: odoo.database,
    login: odoo.login,
    key: odoo.apiKey,
    actor: "tom.fischer@plant.example",
  });
  w.runs(release.sha, "Healthy", release.image);
  const prod = await w.production();
  // The cluster alone would close it.
  expect(prod.pendingReleases).toEqual([expect.objectContaining({ changeId: C6, state: "passed" })]);
  return { w, release, mrp };
}

const moves = async (w: ReleaseWorld) =>
  (await w.call<ListPage<AuditEvent>>("audit.list", { entityId: w.ids.get(C6) })).items.filter(
    (e) => e.action === "change.transition",
  );

describe("post-release validation with the environment's Odoo", () => {
  it("keeps the change validating while Odoo disagrees, refuses a close at every door, and closes once Odoo agrees", async () => {
    const { w, mrp } = await releasedWhileOdooDisagrees();
    const change = await w.change(C6);
    expect(change.status).toBe("validating");
    expect((await moves(w)).at(-1)).toMatchObject({ actor: "system:cluster", after: { status: "validating" } });
    doors = await openDoors(w.core.core, w.core.dir);
    await refusedAtEveryDoor(
      w.core.core,
      doors,
      "change.transition",
      { id: change.id, to: "closed", reason: "Odoo looks fine to me" },
      { code: "forbidden", message: /^No one can make a change closed by hand/ },
    );
    // Read again while Odoo still disagrees: still validating, nothing moved.
    await w.production();
    expect((await w.change(C6)).status).toBe("validating");

    if (mrp) mrp.state = "installed";
    await w.production();
    expect((await w.change(C6)).status).toBe("closed");
    const closing = (await moves(w)).at(-1);
    expect(closing).toMatchObject({ actor: "system:cluster", after: { status: "closed" } });
    expect(closing?.reason).toMatch(/passed: .* Odoo 17\.0 agrees: \d+ modules installed and upgraded/);
  });

  it("fails the release at the deadline while Odoo still disagrees, and the home screen says so", async () => {
    const { w, release } = await releasedWhileOdooDisagrees();
    w.clock.set(new Date(Date.parse(release.windowEnd) + 60_000));
    await w.production();
    const failed = await w.change(C6);
    expect(failed.status).toBe("failed");
    const move = (await moves(w)).at(-1);
    expect(move).toMatchObject({ actor: "system:cluster", after: { status: "failed" } });
    expect(move?.reason).toMatch(/failed \(odoo\): Odoo disagrees: modules not finished: mrp \(to upgrade\)/);
    const home = await w.call<HomeSummary>("home.summary", {});
    expect(home.sections.find((s) => s.id === "failedReleases")).toMatchObject({
      state: "ok",
      items: [
        expect.objectContaining({
          changeId: failed.id,
          severity: "critical",
          route: `#/register/${failed.id}`,
          detail: expect.stringContaining("Roll it back to its checkpoint"),
        }),
      ],
    });
  });
});
