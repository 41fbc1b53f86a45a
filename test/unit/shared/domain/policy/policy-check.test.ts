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

  it("reports an emergency quorum only its logger could meet, and a review only the logger could sign", () => {
    // The clean policy without its opt-out: Raj is the one it-manager, the one who may log, and a cab-member.
    const strict = fixture("clean.yaml").replace(/^ {2}emergencyLoggerMayApprove: true\n/m, "");
    const policy = parsePolicy(strict);
    expect(policy.segregation.emergencyLoggerMayApprove).toBe(false);
    expect(checkPolicy(policy).map((p) => [p.kind, p.at, p.message])).toEqual([
      [
        "unsatisfiable-rule",
        "approvals.emergency[0]",
        "approvals.emergency[0] needs 1 it-manager besides the person who logs the exception, but an emergency logged by Raj Patel can never meet it (the logger may not approve it: segregation.emergencyLoggerMayApprove is false)",
      ],
    ]);
    const lonely = parsePolicy(
      strict
        .replace(/ {2}- \{ email: sofia[^\n]*\n/, "")
        .replace(/roles: \[policy-admin, change-manager\]/, "roles: [policy-admin]"),
    );
    const emergency = checkPolicy(lonely).filter((p) => /^(approvals\.)?emergency/.test(p.at));
    expect(emergency.map((p) => p.at)).toEqual(["approvals.emergency[0]", "emergency.reviewerRoles"]);
    expect(emergency[1]?.message).toBe(
      "no one but the logger holds cab-member or change-manager, so an emergency logged by Raj Patel can never be reviewed",
    );
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
