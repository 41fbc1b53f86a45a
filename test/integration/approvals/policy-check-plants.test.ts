import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { demoPolicy } from "../../../electron/core/gitops/demo-policy";
import { DEMO_PEOPLE } from "../../../shared/domain/demo/roster";
import { writePolicy } from "../../../shared/domain/policy/index";
import { runCliCaptured } from "../../helpers/cli";
import { tempDir } from "../../helpers/temp";

// policy.yaml names the plants; `policy check` reports a person or a calendar (.shiftgate/calendars/<id>.ics)
// naming a plant it does not list, so a typo is caught before it becomes a phantom plant.
const tmp = tempDir();
afterAll(() => tmp.cleanup());

function repoWith(name: string, people = DEMO_PEOPLE, calendars: readonly string[] = []): string {
  const dir = join(tmp.dir, name, ".shiftgate");
  mkdirSync(join(dir, "calendars"), { recursive: true });
  writeFileSync(join(dir, "policy.yaml"), writePolicy(demoPolicy(people)));
  for (const id of calendars)
    writeFileSync(join(dir, "calendars", `${id}.ics`), "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n");
  return join(dir, "policy.yaml");
}

const check = async (file: string) => {
  const out = await runCliCaptured(["policy", "check", "--policy", file, "--json"]);
  return { code: out.code, report: JSON.parse(out.stdout) as { problems: { kind: string; message: string }[] } };
};

describe("shiftgate policy check: plants are known things", () => {
  it("passes the demo policy with a calendar for each of its plants", async () => {
    const { code, report } = await check(repoWith("clean", DEMO_PEOPLE, ["berlin", "chicago", "pune"]));
    expect(report.problems).toEqual([]);
    expect(code).toBe(0);
  });

  it("reports a person listed for an unknown plant and a calendar named for one", async () => {
    const people = DEMO_PEOPLE.map((p) => (p.email.startsWith("ana.") ? { ...p, plants: ["berlinn"] } : p));
    const { code, report } = await check(repoWith("typos", people, ["berlin", "atlantis"]));
    expect(code).toBe(1);
    const messages = report.problems.filter((p) => p.kind === "unknown-plant").map((p) => p.message);
    expect(messages).toEqual([
      "Ana Ortiz is listed for the unknown plant 'berlinn' (known plants: berlin, chicago, pune)",
      "the calendar atlantis.ics names the unknown plant 'atlantis' (known plants: berlin, chicago, pune)",
    ]);
  });

  it("refuses a plant id that is not a slug, naming the file", async () => {
    const file = repoWith("bad-id");
    writeFileSync(file, writePolicy({ ...demoPolicy(), plants: [{ id: "Berlin Assembly", name: "Berlin Assembly" }] }));
    const out = await runCliCaptured(["policy", "check", "--policy", file, "--json"]);
    expect(out.code).not.toBe(0);
    expect(`${out.stdout}${out.stderr}`).toMatch(/policy\.yaml[\s\S]*plant id/);
  });
});
