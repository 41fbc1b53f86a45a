import { describe, expect, it } from "vitest";
import type { ChangeDetail } from "../../../shared/contract/index";
import { bypassWorld, DEMO_ACTORS } from "../../helpers/bypass-world";
import { SCANNER_EMERGENCY } from "../approvals/support";
import { call, newChange } from "../register/register-fixtures";

// Plants are known things (issue #13 item 7): `berlinn, atlantis` were accepted, drew phantom calendar lanes, skipped
// every shift check and appeared in the figures. Every demo person, through every page door, is refused a change
// naming a plant policy.yaml does not list, on create, createMany and update; nothing changes. (No CLI command
// creates or edits changes; `calendar check --changes` is covered in test/integration/cli/calendar-check-plants.)
const KNOWN = /known plants: berlin \(Berlin Assembly\), chicago \(Chicago Packaging\), pune \(Pune Machining\)/;
const unknown = (name: string) =>
  new RegExp(`^Unknown plant '${name}'; ${KNOWN.source}\\. Pick one of the known plants`);

const world = bypassWorld({}, (w) => w.as("lena.weber@plant.example"));

describe("no door accepts a plant the policy does not name", () => {
  it("the known plants are the policy's, with their names (the form's picker)", async () => {
    const known = await call(world.core, "plant.known", {});
    expect(known).toEqual({
      source: "policy",
      plants: [
        { id: "berlin", name: "Berlin Assembly", timeZone: "Europe/Berlin" },
        { id: "chicago", name: "Chicago Packaging", timeZone: "America/Chicago" },
        { id: "pune", name: "Pune Machining", timeZone: "Asia/Kolkata" },
      ],
    });
  });

  for (const email of DEMO_ACTORS) {
    it(`${email}: create, createMany and update naming berlinn or atlantis are refused everywhere`, async () => {
      await world.as(email);
      // Only the requester (or a change-manager) may edit: each person edits a draft of their own.
      const own = await call<ChangeDetail>(world.core, "change.create", newChange({ plants: ["berlin", "pune"] }));
      await world.refused("change.create", newChange({ plants: ["berlinn", "atlantis"] }), {
        code: "invalid-input",
        message: unknown("berlinn"),
      });
      await world.refused(
        "change.createMany",
        { changes: [newChange({ plants: ["berlin"] }), newChange({ plants: ["chicago", "atlantis"] })] },
        { code: "invalid-input", message: unknown("atlantis") },
      );
      await world.refused(
        "change.update",
        { id: own.id, patch: { plants: ["berlin", "berlinn"] } },
        { code: "invalid-input", message: unknown("berlinn") },
      );
    });
  }

  it("an emergency exception naming an unknown plant is refused at every door (the trusted policy's plants)", async () => {
    await world.as("raj.patel@plant.example");
    // The approvals tests' emergency, in a plant the trusted policy does not have.
    const exception = {
      ...SCANNER_EMERGENCY,
      plants: ["atlantis"],
      requester: { name: "Lena Weber", email: "lena.weber@plant.example" },
    };
    await world.refused("exception.log", exception, {
      code: "invalid-input",
      message: unknown("atlantis"),
    });
  });

  it("names the field and every unknown plant in the error's details", async () => {
    const result = await world.core.call("change.createMany", {
      changes: [newChange({ plants: ["berlin"] }), newChange({ plants: ["berlinn", "atlantis"] })],
    });
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: "invalid-input",
        details: { field: "changes[1].plants", unknown: ["berlinn", "atlantis"], source: "policy" },
      },
    });
  });
});
