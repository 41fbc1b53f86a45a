import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runShiftgate } from "../../helpers/cli";
import { commandLine } from "../../helpers/command-line";

// The engine must not depend on the machine's time zone. Setting process.env.TZ inside a running test process is
// not reliable (V8 caches the zone), so each run here is a fresh child process with TZ set in its environment.

const root = fileURLToPath(new URL("../../..", import.meta.url));
const fixtures = join(root, "test/fixtures/calendars");
const ZONES = ["UTC", "Pacific/Auckland"] as const;
const demo = ["berlin-assembly.ics", "chicago-packaging.ics", "pune-machining.ics"].map((f) => join(fixtures, f));

const COMMANDS: readonly string[][] = [
  ...[
    ["chicago-nights.ics", "2026-03-01T00:00:00Z", "2026-11-15T00:00:00Z"],
    ["berlin-nights.ics", "2026-03-20T00:00:00Z", "2026-11-01T00:00:00Z"],
    ["outlook-berlin.ics", "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z"],
    ["kolkata-floating.ics", "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z"],
    ["rules.ics", "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z"],
  ].map(([file, from, to]) =>
    commandLine(["calendar", "expand"], {
      ics: join(fixtures, file ?? ""),
      from: from ?? "",
      to: to ?? "",
      json: true,
    }),
  ),
  commandLine(["calendar", "check"], {
    ics: demo,
    plant: ["Berlin Assembly", "Chicago Packaging", "Pune Machining"],
    window: "2026-10-25T01:00:00Z/2026-10-25T04:00:00Z",
    json: true,
  }),
  commandLine(["calendar", "next-window"], {
    ics: demo,
    plant: ["Berlin Assembly", "Chicago Packaging"],
    duration: "2h",
    after: "2026-03-07T00:00:00Z",
    json: true,
  }),
  commandLine(["calendar", "sync-windows"], {
    ics: demo,
    format: "argocd",
    from: "2026-03-01T00:00:00Z",
    application: "*",
    json: true,
  }),
  commandLine(["calendar", "expand"], {
    ics: join(fixtures, "broken.ics"),
    from: "2026-01-01T00:00:00Z",
    to: "2027-01-01T00:00:00Z",
    json: true,
  }),
];
type Run = { code: number; stdout: string; stderr: string };

function runIn(TZ: string): { zone: string; results: Run[] } {
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", join(root, "test/integration/cli/calendar-tz-runner.ts"), JSON.stringify(COMMANDS)],
    {
      cwd: root,
      env: { ...process.env, TZ },
      encoding: "utf8",
      timeout: 110_000,
    },
  );
  if (r.status !== 0) throw new Error(`runner failed under TZ=${TZ}: ${r.stderr}`);
  return JSON.parse(r.stdout) as { zone: string; results: Run[] };
}

describe("same answers with the process time zone set to UTC and to Pacific/Auckland", () => {
  it("every calendar command gives byte-identical output and exit status", () => {
    const [utc, auckland] = ZONES.map(runIn);
    expect([utc?.zone, auckland?.zone]).toEqual(["UTC", "Pacific/Auckland"]);
    COMMANDS.forEach((argv, i) => {
      const a = utc?.results[i];
      const b = auckland?.results[i];
      expect(b, argv.slice(0, 4).join(" ")).toEqual(a);
      expect(a?.stdout.length || a?.stderr.length).toBeGreaterThan(2);
    });
    expect(utc?.results.at(-1)).toMatchObject({ code: 2, stdout: "" });
  });

  it("the real binary agrees across zones on the nights around both DST changes", () => {
    const argv = commandLine(["calendar", "expand"], {
      ics: join(fixtures, "chicago-nights.ics"),
      from: "2026-03-07T12:00:00Z",
      to: "2026-03-08T18:00:00Z",
      json: true,
    });
    const [a, b] = ZONES.map((TZ) => runShiftgate(argv, { env: { TZ } }));
    expect(a?.code).toBe(0);
    expect(b?.stdout).toBe(a?.stdout);
    expect(a?.stdout).toContain('"end": "2026-03-08T07:00:00-05:00"');
  });

  it.each(ZONES)("the calendar unit suite (absolute expected values for every edge case) passes under TZ=%s", (TZ) => {
    const r = spawnSync(
      process.execPath,
      [join(root, "node_modules/vitest/vitest.mjs"), "run", "--project", "unit", "test/unit/shared/domain/calendar"],
      { cwd: root, env: { ...process.env, TZ, CI: "1", NO_COLOR: "1" }, encoding: "utf8", timeout: 115_000 },
    );
    expect(r.status, `${TZ}:\n${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toMatch(/Tests\s+\d+ passed/);
  });
});
