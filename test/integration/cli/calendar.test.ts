import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { demoPolicy } from "../../../electron/core/gitops/demo-policy";
import { writePolicy } from "../../../shared/domain/policy/index";
import { runCliCaptured, runShiftgate } from "../../helpers/cli";
import { commandLine, type FlagValue } from "../../helpers/command-line";

const fixtures = new URL("../../fixtures/calendars/", import.meta.url).pathname;
const f = (name: string) => join(fixtures, name);
/** The command line of `shiftgate calendar expand` with these flags. */
const expand = (flags: Record<string, FlagValue>) => commandLine(["calendar", "expand"], flags);

describe("shiftgate calendar expand", () => {
  it("prints every instance overlapping [from, to) as JSON, sorted by start then uid", async () => {
    const r = await runCliCaptured(
      expand({
        ics: f("chicago-nights.ics"),
        from: "2026-03-07T12:00:00-06:00",
        to: "2026-03-08T12:00:00-05:00",
        json: true,
      }),
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      {
        uid: "day@chicago",
        summary: "Day shift",
        category: "SHIFT",
        start: "2026-03-07T07:00:00-06:00",
        end: "2026-03-07T19:00:00-06:00",
      },
      {
        uid: "night@chicago",
        summary: "Night shift",
        category: "SHIFT",
        start: "2026-03-07T19:00:00-06:00",
        end: "2026-03-08T07:00:00-05:00",
      },
      {
        uid: "gap@chicago",
        summary: "Spring-gap inspection",
        category: "MAINTENANCE",
        start: "2026-03-08T03:30:00-05:00",
        end: "2026-03-08T04:30:00-05:00",
      },
      {
        uid: "day@chicago",
        summary: "Day shift",
        category: "SHIFT",
        start: "2026-03-08T07:00:00-05:00",
        end: "2026-03-08T19:00:00-05:00",
      },
    ]);
  });

  it("--tz supplies a missing X-WR-TIMEZONE; without it the file is refused", async () => {
    const day = { from: "2026-03-02T00:00:00Z", to: "2026-03-03T00:00:00Z", json: true } as const;
    const ok = await runCliCaptured(expand({ ics: f("no-zone.ics"), tz: "Asia/Kolkata", ...day }));
    expect(JSON.parse(ok.stdout)[0].start).toBe("2026-03-02T09:00:00+05:30");
    const bad = await runCliCaptured(expand({ ics: f("no-zone.ics"), ...day }));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no-zone\.ics, line 1: the calendar has no X-WR-TIMEZONE/);
  });

  it("exits 2 with one line naming file and line on a broken .ics (real process)", () => {
    const r = runShiftgate(
      expand({ ics: f("broken.ics"), from: "2026-01-01T00:00:00Z", to: "2026-12-31T00:00:00Z", json: true }),
    );
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("broken.ics, line 17: DTSTART names a date or time that does not exist");
  });

  it("exits 2 on bad usage: missing file, bad time, unknown flag", async () => {
    for (const argv of [
      expand({ ics: f("nope.ics"), from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z" }),
      expand({ ics: f("rules.ics"), from: "yesterday", to: "2026-01-02T00:00:00Z" }),
      expand({ ics: f("rules.ics"), from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z", bogus: true }),
    ]) {
      const r = await runCliCaptured(argv);
      expect(r.code, argv.join(" ")).toBe(2);
      expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    }
  });
});

describe("shiftgate calendar sync-windows", () => {
  it("prints Argo CD syncWindows as JSON and the same as YAML", async () => {
    const syncWindows = (flags: Record<string, FlagValue>) =>
      runCliCaptured(commandLine(["calendar", "sync-windows"], { ics: f("chicago-packaging.ics"), ...flags }));
    const argocd = { format: "argocd", from: "2026-12-01T00:00:00Z", application: "odoo-chicago-*" };
    const json = await syncWindows({ ...argocd, json: true });
    const yaml = await syncWindows({ ...argocd, yaml: true });
    expect([json.code, yaml.code]).toEqual([0, 0]);
    expect(parse(yaml.stdout)).toEqual(JSON.parse(json.stdout));
    expect(JSON.parse(json.stdout).syncWindows).toContainEqual({
      kind: "allow",
      schedule: "0 8 * * 0",
      duration: "8h",
      timeZone: "America/Chicago",
      applications: ["odoo-chicago-*"],
      manualSync: true,
      description: "shiftgate: Chicago Packaging: Sunday maintenance",
    });
    const bad = await syncWindows({ format: "flux", json: true });
    expect(bad.code).toBe(2);
    // Which applications the windows hold is said, never assumed to be all of them.
    const unscoped = await syncWindows({ format: "argocd", json: true });
    expect(unscoped.code).toBe(2);
    expect(unscoped.stderr).toContain("--application");
  });
});

describe("shiftgate calendar check --policy: maintenance Argo CD enforces", () => {
  it("outside maintenance blocks (exit 1) only for a plant whose maintenance is enforced as allow windows", async () => {
    const dir = mkdtempSync(join(tmpdir(), "shiftgate-policy-"));
    try {
      const policy = (maintenance: string) => {
        const file = join(dir, `policy-${maintenance}.yaml`);
        const plant = { id: "chicago-packaging", name: "Chicago Packaging" };
        const argocd = { applications: ["odoo-chicago-*"], maintenance: maintenance as "enforced" | "advisory" };
        writeFileSync(file, writePolicy({ ...demoPolicy(), plants: [{ ...plant, argocd }] }));
        return file;
      };
      const check = (flags: Record<string, FlagValue>) =>
        runCliCaptured(
          commandLine(["calendar", "check"], {
            ics: f("chicago-packaging.ics"),
            // A Wednesday afternoon: no blackout, no shift change, not the Sunday maintenance.
            window: "2026-12-09T13:00:00-06:00/2026-12-09T14:00:00-06:00",
            plant: "Chicago Packaging",
            json: true,
            ...flags,
          }),
        );
      const plain = await check({});
      expect(plain.stderr).toBe("");
      expect(plain.code).toBe(0);
      expect(JSON.parse(plain.stdout).conflicts.map((c: { kind: string }) => c.kind)).toEqual(["outside-maintenance"]);
      expect((await check({ policy: policy("advisory") })).code).toBe(0);
      const enforced = await check({ policy: policy("enforced") });
      expect(enforced.code).toBe(1);
      expect(JSON.parse(enforced.stdout).ok).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
