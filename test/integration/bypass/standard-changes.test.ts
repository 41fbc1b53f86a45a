import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { AuditEvent, ChangeDetail, ListPage } from "../../../shared/contract/index";
import { bypassWorld, DEMO_ACTORS } from "../../helpers/bypass-world";
import { lowRiskAnswers } from "../../helpers/risk-answers";
import { CHANGE_MANAGER, call, GATE_RECORDER, newChange, recordGates } from "../register/register-fixtures";

// Standard changes come from the catalogue (.shiftgate/standard-changes/ in the demo repository, committed by its
// policy-admin): no person, through any page door, raises one without a template, from an unknown one, or outside
// its scope; inside it, the world.core approves it on the template's evidence, as system:standard-catalogue.

const world = bypassWorld();

/** A label printer update at Chicago: inside the demo's label-printer-driver template. */
const inScope = (over: Record<string, unknown> = {}) =>
  newChange({
    title: "Zebra driver 6.2 on the Chicago print server",
    type: "standard",
    template: "label-printer-driver",
    area: "barcode",
    plants: ["chicago"],
    ...over,
  });

describe("a standard change is raised from the catalogue", () => {
  it("a self-declared standard change (no template) is refused for every person at every door, listing the catalogue", async () => {
    for (const email of DEMO_ACTORS) {
      await world.as(email);
      await world.refused("change.create", inScope({ template: undefined }), {
        code: "forbidden",
        message: /raised from a template.*cost-centre, label-printer-driver, odoo-security-patch/,
      });
      await world.refused(
        "change.createMany",
        { changes: [newChange(), inScope({ template: undefined })] },
        { code: "forbidden", message: /raised from a template/ },
      );
    }
  });

  it("an unknown template is refused, listing the catalogue", async () => {
    await world.as("lena.weber@plant.example");
    await world.refused("change.create", inScope({ template: "anything-goes" }), {
      code: "forbidden",
      message: /no standard-change template anything-goes.*cost-centre, label-printer-driver, odoo-security-patch/,
    });
  });

  it("the seen case: a three-plant change with a database migration is refused, naming the template's limits", async () => {
    await world.as("lena.weber@plant.example");
    const seen = inScope({ plants: ["berlin", "chicago", "pune"], dbMigration: true, area: "mrp" });
    await world.refused("change.create", seen, {
      code: "forbidden",
      message:
        /outside standard-change template label-printer-driver.*plants berlin are outside its plants \(chicago, pune\).*area mrp.*database migration/,
    });
  });

  it("a template on a normal change is refused", async () => {
    await world.refused("change.create", newChange({ template: "label-printer-driver" }), {
      code: "invalid-input",
      message: /Only a standard change is raised from a template/,
    });
  });

  it("an edit or a risk assessment that leaves the template is refused", async () => {
    await world.as("lena.weber@plant.example");
    const c = await call<ChangeDetail>(world.core, "change.create", inScope());
    for (const patch of [{ plants: ["chicago", "berlin"] }, { dbMigration: true }, { environment: "development" }]) {
      await world.refused(
        "change.update",
        { id: c.id, patch },
        {
          code: "forbidden",
          message: /outside standard-change template label-printer-driver/,
        },
      );
    }
    // Recording the risk is a change-manager's (or cab-member's) action: the template is what refuses it here.
    await world.as(CHANGE_MANAGER);
    const high = lowRiskAnswers({
      "production-hours": true,
      "tested-preproduction": false,
      "rollback-rehearsed": false,
    });
    await world.refused(
      "risk.assess",
      { changeId: c.id, answers: high },
      {
        code: "forbidden",
        message: /risk high is above its maximum risk low/,
      },
    );
  });
});

describe("the catalogue", () => {
  it("standard.templates lists the committed templates with the commit that approved them", async () => {
    const { templates } = await call<{ templates: { id: string; plants: string[]; commit: string }[] }>(
      world.core,
      "standard.templates",
      {},
      "web",
    );
    expect(templates.map((t) => t.id)).toEqual(["cost-centre", "label-printer-driver", "odoo-security-patch"]);
    expect(templates.find((t) => t.id === "label-printer-driver")?.plants).toEqual(["chicago", "pune"]);
    for (const t of templates) expect(t.commit).toMatch(/^[0-9a-f]{40}$/);
  });
});

describe("a standard change inherits its template's pre-approval", () => {
  it("assessed inside its template, the world.core approves it as system:standard-catalogue naming the template's commit", async () => {
    await world.as("lena.weber@plant.example");
    const c = await call<ChangeDetail>(world.core, "change.create", inScope());
    expect(c.template).toBe("label-printer-driver");
    // The change-manager assesses and moves it; the release-manager records its gates (default actions).
    await world.as(CHANGE_MANAGER);
    await call(world.core, "risk.assess", { changeId: c.id, answers: lowRiskAnswers() });
    await recordGates(world.core, c.id, "preproduction", "pass", GATE_RECORDER);
    await call(world.core, "change.transition", { id: c.id, to: "submitted" });
    const moved = await call<ChangeDetail>(world.core, "change.transition", { id: c.id, to: "assessed" }, "web");
    expect(moved.status).toBe("approved");
    const dir = world.core.services.gitopsDir ?? expect.fail("the demo has a working copy");
    const commit = execFileSync(
      "git",
      ["log", "-1", "--format=%H", "--", ".shiftgate/standard-changes/label-printer-driver.yaml"],
      { cwd: dir, encoding: "utf8" },
    ).trim();
    const audit = await call<ListPage<AuditEvent>>(world.core, "audit.list", { changeId: c.id });
    const rows = audit.items.filter(
      (e) => e.action === "change.transition" && (e.after as { status?: string }).status === "approved",
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.actor).toBe("system:standard-catalogue");
    expect(rows[0]?.reason).toContain("template label-printer-driver");
    expect(rows[0]?.reason).toContain(commit);
    // Its submission tells the ledger which template it follows, so verify can hold the release to it (the requester
    // signs it).
    await world.as("lena.weber@plant.example");
    const submitted = await call<{ number: string }>(world.core, "gitops.submit", { changeId: c.id });
    const yaml = readFileSync(join(dir, "changes", submitted.number, "change.yaml"), "utf8");
    expect(yaml).toContain("type: standard");
    expect(yaml).toContain("template: label-printer-driver");
  });

  it("no person approves a standard change by hand", async () => {
    await world.as("lena.weber@plant.example");
    const c = await call<ChangeDetail>(world.core, "change.create", inScope());
    await world.as(CHANGE_MANAGER);
    await call(world.core, "risk.assess", { changeId: c.id, answers: lowRiskAnswers() });
    await call(world.core, "change.transition", { id: c.id, to: "submitted" });
    // No gates yet: it rests in assessed.
    expect((await call<ChangeDetail>(world.core, "change.transition", { id: c.id, to: "assessed" })).status).toBe(
      "assessed",
    );
    for (const email of DEMO_ACTORS) {
      await world.as(email);
      await world.refused(
        "change.transition",
        { id: c.id, to: "approved" },
        {
          code: "forbidden",
          message: /standard-change template's pre-approval/,
        },
      );
    }
  });
});
