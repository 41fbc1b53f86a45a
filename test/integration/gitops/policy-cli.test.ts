import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCliCaptured } from "../../helpers/cli";

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/policy/${name}`, import.meta.url));

describe("shiftgate policy check", () => {
  it("passes the clean fixture with exit 0", async () => {
    const out = await runCliCaptured(["policy", "check", "--policy", fixture("clean.yaml"), "--json"]);
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual({ ok: true, problems: [] });
  });

  it("finds each seeded defect and exits 1", async () => {
    const out = await runCliCaptured(["policy", "check", "--policy", fixture("defects.yaml"), "--json"]);
    expect(out.code).toBe(1);
    const json = JSON.parse(out.stdout) as { ok: boolean; problems: { kind: string; at: string }[] };
    expect(json.ok).toBe(false);
    expect(json.problems.map((p) => [p.kind, p.at])).toEqual([
      ["conflicting-roles", "lena.weber@plant.example"],
      ["unknown-role", "kenji.sato@plant.example"],
      ["unsatisfiable-rule", "approvals.medium[1]"],
      ["unsatisfiable-rule", "approvals.high[0]"],
      ["unknown-role", "approvals.emergency[0]"],
      ["unsatisfiable-rule", "approvals.emergency[0]"],
    ]);
  });

  it("exits 2 with a one-line message on a malformed or missing file", async () => {
    const broken = await runCliCaptured(["policy", "check", "--policy", fixture("broken.yaml"), "--json"]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/broken\.yaml: people\.0\.email/);
    expect(broken.stderr.trim().split("\n")).toHaveLength(1);
    expect((await runCliCaptured(["policy", "check", "--policy", fixture("missing.yaml")])).code).toBe(2);
    expect((await runCliCaptured(["policy", "check", "--json"])).code).toBe(2);
  });
});
