import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { demoPolicy } from "../../../electron/core/gitops/demo-policy";
import { writePolicy } from "../../../shared/domain/policy/index";
import { runCliCaptured } from "../../helpers/cli";
import { commandLine, type FlagValue } from "../../helpers/command-line";
import { tempDir } from "../../helpers/temp";

// Plants are known things (issue #13 item 7): a change in --changes naming a plant no calendar here holds was left
// out of every shift check (exit 0, "ok"); now it is reported, and --policy maps change.yaml ids to the calendars.

const fixtures = new URL("../../fixtures/calendars/", import.meta.url).pathname;
const demo = ["berlin-assembly", "chicago-packaging", "pune-machining"].map((n) => join(fixtures, `${n}.ics`));
const tmp = tempDir();
afterAll(() => tmp.cleanup());

const check = (flags: Record<string, FlagValue>) => runCliCaptured(commandLine(["calendar", "check"], flags));

function changesFile(name: string, plants: readonly string[]): string {
  const file = join(tmp.dir, name);
  const change = {
    id: "CHG-2026-0009",
    plants,
    area: "mrp",
    start: "2026-12-31T10:00:00+05:30",
    end: "2026-12-31T11:00:00+05:30",
  };
  writeFileSync(file, JSON.stringify([change]));
  return file;
}

const policyFile = join(tmp.dir, "policy.yaml");
writeFileSync(policyFile, writePolicy(demoPolicy()));
const window = "2026-12-31T10:30:00+05:30/2026-12-31T11:30:00+05:30";

describe("shiftgate calendar check --changes names known plants", () => {
  it("reports a change naming an unknown plant instead of skipping its checks", async () => {
    const r = await check({
      ics: demo,
      plant: "Pune Machining",
      window,
      changes: changesFile("typo.json", ["atlantis"]),
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("change CHG-2026-0009: Unknown plant 'atlantis'; known plants: berlin-assembly");
    expect(r.stdout).toBe("");
  });

  it("with --policy, maps change.yaml ids to the calendars and checks them", async () => {
    const r = await check({
      ics: demo,
      plant: "pune",
      window,
      area: "MRP",
      policy: policyFile,
      changes: changesFile("ids.json", ["pune"]),
      json: true,
    });
    expect(r.code).toBe(1);
    const kinds = (JSON.parse(r.stdout) as { conflicts: { kind: string; with: string | null }[] }).conflicts.map(
      (c) => `${c.kind} ${c.with ?? "-"}`,
    );
    expect(kinds).toContain("collision CHG-2026-0009");
  });

  it("with --policy, refuses 'berlinn' with the policy's plants and a known plant without a calendar here", async () => {
    const typo = await check({
      ics: demo,
      plant: "pune",
      window,
      policy: policyFile,
      changes: changesFile("berlinn.json", ["berlinn"]),
    });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain(
      "Unknown plant 'berlinn'; known plants: berlin (Berlin Assembly), chicago (Chicago Packaging), pune (Pune Machining)",
    );
    const missing = await check({
      ics: [demo[2] ?? ""],
      plant: "pune",
      window,
      policy: policyFile,
      changes: changesFile("berlin.json", ["berlin"]),
    });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("plant 'berlin' has no calendar among --ics");
  });
});
