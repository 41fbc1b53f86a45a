import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Core } from "../../../electron/core/core";
import { runCliCaptured } from "../../helpers/cli";
import { type Doors, openDoors, refusedAtEveryDoor } from "../../helpers/doors";
import { tempCore } from "../../helpers/temp";
import { actAs } from "../approvals/support";
import { call } from "../register/register-fixtures";

// Smoke transactions write into a business system: the policy decides where, and production is never written by
// default. The refusal comes before any Odoo is reached, at every door and on the command line, with nothing changed.
let core: Core;
let dir: string;
let cleanup: () => void;
let doors: Doors;
beforeAll(async () => {
  const t = await tempCore({});
  ({ core, cleanup, dir } = t);
  await call(core, "gitops.createDemo", {});
  doors = await openDoors(core, t.dir);
});
afterAll(async () => {
  await doors.close();
  cleanup();
});

const REFUSAL =
  /^The policy does not allow smoke transactions to write in production: run the read-only smoke set there/;

describe("write smoke in production", () => {
  it("is refused to a person the policy does not let run Odoo checks", async () => {
    await actAs(core, "lena.weber@plant.example");
    await refusedAtEveryDoor(
      core,
      doors,
      "odoo.smoke",
      { environment: "qa", mode: "read-only" },
      { code: "forbidden", message: /odoo\.check|release-manager/ },
    );
  });

  it("is refused at every door when the policy does not name production in smoke.writes", async () => {
    // A release-manager may run Odoo checks and smoke; still not a write into production.
    await actAs(core, "tom.fischer@plant.example");
    await refusedAtEveryDoor(
      core,
      doors,
      "odoo.smoke",
      { environment: "production", mode: "write" },
      { code: "forbidden", message: REFUSAL },
    );
  });

  it("is refused by `shiftgate odoo smoke` with exit 2 and the same words", async () => {
    core.close();
    const result = await runCliCaptured(["odoo", "smoke", "--env", "production", "--mode", "write", "--data-dir", dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/does not allow smoke transactions to write in production/);
    expect(result.stdout).toBe("");
  });

  it("refuses an unknown environment or mode as a usage error", async () => {
    const env = await runCliCaptured(["odoo", "smoke", "--env", "staging", "--data-dir", dir]);
    expect(env.code).toBe(2);
    expect(env.stderr).toMatch(/--env takes one of development, integration, qa, preproduction, production/);
    const mode = await runCliCaptured(["odoo", "smoke", "--env", "qa", "--mode", "everything", "--data-dir", dir]);
    expect(mode.code).toBe(2);
  });
});
