import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkPolicy, parsePolicy, writePolicy } from "../../../../../shared/domain/policy/index";

const fixture = (name: string) => readFileSync(new URL(`../../../../fixtures/policy/${name}`, import.meta.url), "utf8");

describe("checkPolicy", () => {
  it("passes the clean fixture", () => {
    expect(checkPolicy(parsePolicy(fixture("clean.yaml")))).toEqual([]);
  });

  it("finds each seeded defect", () => {
    const problems = checkPolicy(parsePolicy(fixture("defects.yaml")));
    expect(problems.map((p) => [p.kind, p.message])).toEqual([
      ["conflicting-roles", "Lena Weber holds the conflicting roles developer and release-manager"],
      ["unknown-role", "Kenji Sato holds the unknown role 'cab-memeber'"],
      ["unsatisfiable-rule", "approvals.medium[1] needs a plant-ops-leader per plant, but Pune has none"],
      ["unsatisfiable-rule", "approvals.high[0] needs 3 cab-members, but only 2 people hold the role"],
      ["unknown-role", "approvals.emergency[0] names the unknown role 'itmanager'"],
      ["unsatisfiable-rule", "approvals.emergency[0] needs 1 itmanager, but only 0 people hold the role"],
    ]);
  });

  it("rejects a malformed policy with the path of the problem", () => {
    expect(() => parsePolicy(fixture("broken.yaml"))).toThrow(/people\.0\.email/);
  });

  it("writes a policy that reads back the same", () => {
    const policy = parsePolicy(fixture("clean.yaml"));
    const text = writePolicy(policy);
    expect(parsePolicy(text)).toEqual(policy);
    expect(text).toContain("  - { email: ana.ortiz@plant.example");
  });
});
