import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import type { Core } from "../../../electron/core/core";
import type { MonthlyFigures } from "../../../shared/contract/methods/reports";
import { tempCore } from "../../helpers/temp";
import { actAs } from "../approvals/support";
import { call, contentHash, newChange } from "../register/register-fixtures";

// Where the known plants come from: the policy in the GitOps working copy when it lists them, else (a bare register
// without a repository) the plants the register's calendar holds. Either way a phantom plant is refused.
const berlinIcs = readFileSync(new URL("../../fixtures/calendars/berlin-assembly.ics", import.meta.url), "utf8");
const atlantisIcs = berlinIcs.replace("X-WR-CALNAME:Berlin Assembly", "X-WR-CALNAME:Atlantis Works");

let done: (() => void) | undefined;
afterEach(() => done?.());
async function open(): Promise<Core> {
  const t = await tempCore({});
  done = t.cleanup;
  return t.core;
}

describe("known plants", () => {
  it("a bare register knows its calendar's plants and refuses others; figures list no phantom plant", async () => {
    const core = await open();
    expect(await call(core, "plant.known", {})).toMatchObject({
      source: "calendar",
      plants: [
        { id: "berlin", name: "Berlin Assembly" },
        { id: "chicago", name: "Chicago Packaging" },
        { id: "pune", name: "Pune Machining" },
      ],
    });
    const refused = await core.call("change.create", newChange({ plants: ["berlinn", "atlantis"] }));
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: "invalid-input",
        message: expect.stringMatching(
          /^Unknown plant 'berlinn'; known plants: berlin \(Berlin Assembly\), chicago \(Chicago Packaging\), pune \(Pune Machining\)\./,
        ),
        details: { field: "plants", source: "calendar" },
      },
    });
    const figures = await call<MonthlyFigures>(core, "report.figures", { months: 3 });
    const plants = new Set([...figures.months.flatMap((m) => Object.keys(m.byPlant))]);
    expect([...plants].filter((p) => !["berlin", "chicago", "pune"].includes(p))).toEqual([]);
  });

  it("calendar.check reports a change naming an unknown plant instead of skipping its checks", async () => {
    const core = await open();
    const result = await core.call("calendar.check", {
      plants: ["pune"],
      start: "2026-12-31T10:30:00+05:30",
      end: "2026-12-31T11:30:00+05:30",
      changes: [
        {
          id: "CHG-2026-0009",
          plants: ["atlantis"],
          start: "2026-12-31T10:00:00+05:30",
          end: "2026-12-31T11:00:00+05:30",
        },
      ],
    });
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: "invalid-input",
        message: expect.stringContaining("Change CHG-2026-0009: Unknown plant 'atlantis'"),
      },
    });
  });

  it("with a policy listing plants, a calendar for another plant is refused and nothing is stored", async () => {
    const core = await open();
    await call(core, "gitops.createDemo", {});
    const db = core.services.register.db;
    const before = contentHash(db);
    const result = await core.call("plant.import", { ics: atlantisIcs, fileName: "atlantis.ics" });
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: "invalid-input",
        message: expect.stringMatching(/^Unknown plant 'Atlantis Works'; known plants: berlin \(Berlin Assembly\)/),
      },
    });
    expect(contentHash(db)).toBe(before);
    // A known plant's calendar is stored under the policy's id (replaced by its plant-ops-leader, who may).
    await actAs(core, "ana.ortiz@plant.example");
    const saved = await call<{ id: string }>(core, "plant.import", { ics: berlinIcs, replace: true });
    expect(saved.id).toBe("berlin");
  });
});
