import { describe, expect, it } from "vitest";
import type { SyncWindowSpec } from "../../../../../electron/core/cluster/model";
import {
  isWindowActive,
  parseCron,
  parseDuration,
  syncPermission,
} from "../../../../../electron/core/cluster/sync-windows";

function window(over: Partial<SyncWindowSpec>): SyncWindowSpec {
  return {
    kind: "allow",
    schedule: "0 2 * * 0",
    duration: "2h",
    applications: ["*"],
    namespaces: [],
    clusters: [],
    manualSync: false,
    timeZone: "UTC",
    ...over,
  };
}

describe("sync windows", () => {
  it("parses Go durations and cron fields", () => {
    expect(parseDuration("1h30m")).toBe(5_400_000);
    expect(parseDuration("45m")).toBe(2_700_000);
    expect(parseDuration("soon")).toBeNull();
    expect(parseCron("*/15 1-3 * * 1,3,5")).not.toBeNull();
    expect(parseCron("61 * * * *")).toBeNull();
    expect(parseCron("* * *")).toBeNull();
  });

  it("is active from its cron start for its duration, in its time zone", () => {
    const w = { schedule: "0 2 * * 0", duration: "2h", timeZone: "Europe/Berlin" };
    // Sunday 2026-11-29 02:00 Berlin = 01:00 UTC.
    expect(isWindowActive(w, new Date("2026-11-29T00:59:00Z"))).toBe(false);
    expect(isWindowActive(w, new Date("2026-11-29T01:00:00Z"))).toBe(true);
    expect(isWindowActive(w, new Date("2026-11-29T02:59:00Z"))).toBe(true);
    expect(isWindowActive(w, new Date("2026-11-29T03:00:00Z"))).toBe(false);
    // Sunday is 7 as well as 0.
    expect(isWindowActive({ ...w, schedule: "0 2 * * 7" }, new Date("2026-11-29T01:30:00Z"))).toBe(true);
  });

  it("follows Argo CD's rules: deny wins, allow windows must be open, no window means free", () => {
    const sunday = new Date("2026-11-29T02:30:00Z");
    const tuesday = new Date("2026-12-01T08:00:00Z");
    const apps = [{ name: "odoo-prod", namespace: "odoo-prod" }];
    expect(syncPermission([], apps, tuesday)).toMatchObject({ allowed: true });
    expect(syncPermission([window({})], apps, tuesday)).toMatchObject({
      allowed: false,
      reason: expect.stringMatching(/No allow window/),
    });
    expect(syncPermission([window({})], apps, sunday)).toMatchObject({ allowed: true });
    const deny = window({ kind: "deny", schedule: "0 0 * * *", duration: "24h" });
    expect(syncPermission([window({}), deny], apps, sunday)).toMatchObject({
      allowed: false,
      reason: expect.stringMatching(/deny window/),
    });
    // A window for other applications does not restrict these.
    expect(syncPermission([window({ applications: ["other-*"] })], apps, tuesday)).toMatchObject({
      allowed: true,
      windows: [],
    });
    expect(syncPermission([window({ applications: [], namespaces: ["odoo-*"] })], apps, tuesday).allowed).toBe(false);
  });
});
