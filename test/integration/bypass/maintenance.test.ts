import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../../electron/core/clock";
import type { Core } from "../../../electron/core/core";
import { demoPolicy } from "../../../electron/core/gitops/demo-policy";
import type { ChangeDetail } from "../../../shared/contract/index";
import { type Policy, writePolicy } from "../../../shared/domain/policy/index";
import { type Doors, openDoors, refusedAtEveryDoor } from "../../helpers/doors";
import { tempCore } from "../../helpers/temp";
import { actAs } from "../approvals/support";
import { call, changeIn } from "../register/register-fixtures";

// Berlin's maintenance is Saturday 08:00 to Sunday 20:00; a Wednesday afternoon is outside it.
const WEDNESDAY = { start: "2026-12-09T14:00:00+01:00", end: "2026-12-09T16:00:00+01:00" };
const SATURDAY = { start: "2026-12-12T10:00:00+01:00", end: "2026-12-12T12:00:00+01:00" };
const OUTSIDE =
  /not inside a maintenance window of Berlin Assembly, and Argo CD syncs those applications only inside one/;
const CHANGE_MANAGER = "sofia.rossi@plant.example";

// The demo policy with Berlin's maintenance enforced as Argo CD allow windows.
function enforcedBerlin(): Policy {
  const base = demoPolicy();
  return {
    ...base,
    plants: (base.plants ?? []).map((p) =>
      p.id === "berlin" ? { ...p, argocd: { applications: ["odoo-berlin-*"], maintenance: "enforced" as const } } : p,
    ),
  };
}

let core: Core;
let doors: Doors;
let cleanup: () => void;
beforeAll(async () => {
  const t = await tempCore({ clock: fixedClock("2026-12-01T08:00:00Z") });
  ({ core, cleanup } = t);
  await call(core, "gitops.createDemo", {});
  // As if the policy-admin's edit had been pulled: the working copy's policy is what the core reads.
  writeFileSync(join(core.services.gitopsDir ?? "", ".shiftgate", "policy.yaml"), writePolicy(enforcedBerlin()));
  doors = await openDoors(core, t.dir);
});
afterAll(async () => {
  await doors.close();
  cleanup();
});

describe("where Argo CD enforces a plant's maintenance as allow windows, outside maintenance blocks", () => {
  it("calendar check calls a Wednesday window not ok for Berlin, and a Saturday one ok", async () => {
    const weekday = await call<{ ok: boolean; conflicts: { kind: string }[] }>(core, "calendar.check", {
      plants: ["berlin"],
      ...WEDNESDAY,
    });
    expect(weekday.ok).toBe(false);
    expect(weekday.conflicts.map((c) => c.kind)).toContain("outside-maintenance");
    const saturday = await call<{ ok: boolean }>(core, "calendar.check", { plants: ["berlin"], ...SATURDAY });
    expect(saturday.ok).toBe(true);
    // The calendar screen judges drags locally with the same rule: the plant list says which plants enforce it.
    const plants = await call<{ id: string; maintenanceEnforced: boolean }[]>(core, "plant.list", {});
    expect(Object.fromEntries(plants.map((p) => [p.id, p.maintenanceEnforced]))).toEqual({
      berlin: true,
      chicago: false,
      pune: false,
    });
  });

  it("approved -> scheduled outside Berlin's maintenance is refused at every door; inside it is scheduled", async () => {
    const change: ChangeDetail = await changeIn(core, "normal", "approved", { window: WEDNESDAY });
    await actAs(core, CHANGE_MANAGER);
    await refusedAtEveryDoor(
      core,
      doors,
      "change.transition",
      { id: change.id, to: "scheduled", reason: "The line is quiet anyway" },
      { code: "illegal-transition", message: OUTSIDE },
    );
    expect((await call<ChangeDetail>(core, "change.get", { id: change.id })).status).toBe("approved");

    const inside: ChangeDetail = await changeIn(core, "normal", "approved", { window: SATURDAY });
    await actAs(core, CHANGE_MANAGER);
    await call(core, "change.transition", { id: inside.id, to: "scheduled", reason: "In maintenance" });
    expect((await call<ChangeDetail>(core, "change.get", { id: inside.id })).status).toBe("scheduled");
  });

  it("change.update moving a submitted change's window outside maintenance: refused at every door, nothing changed", async () => {
    const change: ChangeDetail = await changeIn(core, "normal", "submitted", { window: SATURDAY });
    await actAs(core, CHANGE_MANAGER);
    await refusedAtEveryDoor(
      core,
      doors,
      "change.update",
      { id: change.id, patch: { window: WEDNESDAY }, reason: "Move it to midweek" },
      { code: "invalid-input", message: OUTSIDE },
    );
    expect((await call<ChangeDetail>(core, "change.get", { id: change.id })).window).toEqual(SATURDAY);
  });
});
