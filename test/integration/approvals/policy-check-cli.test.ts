import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCliCaptured } from "../../helpers/cli";
import { tempDir } from "../../helpers/temp";

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/policy/${name}.yaml`, import.meta.url));

describe("shiftgate policy check", () => {
  it("passes the clean policy", async () => {
    const out = await runCliCaptured(["policy", "check", "--policy", fixture("clean"), "--json"]);
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual({ ok: true, problems: [] });
  });

  it("finds each seeded defect, with its message", async () => {
    const out = await runCliCaptured(["policy", "check", "--policy", fixture("defects"), "--json"]);
    expect(out.code).toBe(1);
    const report = JSON.parse(out.stdout) as { ok: boolean; problems: { kind: string; message: string }[] };
    expect(report.ok).toBe(false);
    const messages = report.problems.map((p) => `${p.kind}: ${p.message}`);
    for (const seeded of [
      "conflicting-roles: Lena Weber holds the conflicting roles developer and release-manager",
      "unknown-role: Kenji Sato holds the unknown role 'cab-memeber'",
      "unsatisfiable-rule: approvals.medium[1] needs a plant-ops-leader per plant, but Pune has none",
      "unsatisfiable-rule: approvals.high[0] needs 3 cab-members, but only 2 people hold the role",
      "unknown-role: approvals.emergency[0] names the unknown role 'itmanager'",
    ])
      expect(messages).toContain(seeded);
  });

  it("reports an emergency quorum its people cannot meet: the one it-manager is also the only one who may log", async () => {
    const { dir, cleanup } = tempDir();
    try {
      const file = join(dir, "policy.yaml");
      writeFileSync(
        file,
        readFileSync(fixture("clean"), "utf8").replace(/^ {2}emergencyLoggerMayApprove: true\n/m, ""),
      );
      const out = await runCliCaptured(["policy", "check", "--policy", file, "--json"]);
      expect(out.code).toBe(1);
      const report = JSON.parse(out.stdout) as {
        ok: boolean;
        problems: { kind: string; at: string; message: string }[];
      };
      expect(report.problems).toEqual([
        expect.objectContaining({
          kind: "unsatisfiable-rule",
          at: "approvals.emergency[0]",
          message: expect.stringContaining("an emergency logged by Raj Patel can never meet it"),
        }),
      ]);
    } finally {
      cleanup();
    }
  });

  it("reports a file that is not a policy as invalid input, naming the file", async () => {
    const out = await runCliCaptured(["policy", "check", "--policy", fixture("broken"), "--json"]);
    expect(out.code).not.toBe(0);
    expect(`${out.stdout}${out.stderr}`).toContain("broken.yaml");
  });
});
