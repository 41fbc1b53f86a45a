import { describe, expect, it } from "vitest";
import type { GitopsSyncStatus } from "../../../../../shared/contract/methods/gitops";
import { relativeAge, syncSummaryLines } from "../../../../../shared/domain/app/sync-summary";

const NOW = new Date("2026-12-01T12:00:00Z");

const idle: GitopsSyncStatus = {
  configured: true,
  auto: { enabled: true, everyMs: 300_000 },
  running: null,
  syncsSinceStart: 3,
  lastHeardAt: "2026-12-01T11:56:00Z",
  lastAttemptAt: "2026-12-01T11:56:00Z",
  lastResult: { at: "2026-12-01T11:56:00Z", trigger: "timer", pulled: 2, imported: 1, pushed: 0 },
  lastError: null,
  waiting: { count: 0, items: [] },
};

describe("sync summary", () => {
  it("says how long ago in words a plant manager reads", () => {
    expect(relativeAge("2026-12-01T11:59:30Z", NOW)).toBe("just now");
    expect(relativeAge("2026-12-01T11:56:00Z", NOW)).toBe("4 min ago");
    expect(relativeAge("2026-12-01T09:00:00Z", NOW)).toBe("3 h ago");
    expect(relativeAge("2026-11-28T12:00:00Z", NOW)).toBe("3 days ago");
    // A clock that moved backwards never reads "in the future".
    expect(relativeAge("2026-12-01T12:05:00Z", NOW)).toBe("just now");
  });

  it("names last heard, what waits and the last result; a failure and a conflict's files instead of the result", () => {
    expect(syncSummaryLines(idle, NOW)).toEqual([
      "Last heard from the remote: 2026-12-01T11:56:00Z (4 min ago)",
      "Waiting to go out: nothing",
      "Last sync 4 min ago: pulled 2 commit(s), imported 1 change(s), pushed 0",
    ]);
    const stopped: GitopsSyncStatus = {
      ...idle,
      running: { trigger: "focus", phase: "pushing", startedAt: "2026-12-01T12:00:00Z" },
      lastError: {
        at: "2026-12-01T11:58:00Z",
        trigger: "manual",
        code: "conflict",
        message: "Sync stopped: a.ics changed both here and on the GitOps remote.",
        reason: "sync-conflict",
        conflicts: [{ path: ".shiftgate/calendars/berlin.ics", remote: [], local: [] }],
      },
    };
    expect(syncSummaryLines(stopped, NOW)).toEqual([
      "Last heard from the remote: 2026-12-01T11:56:00Z (4 min ago)",
      "Syncing: sending what waits",
      "Waiting to go out: nothing",
      "Last sync failed 2 min ago: Sync stopped: a.ics changed both here and on the GitOps remote.",
      "  conflict: .shiftgate/calendars/berlin.ics",
    ]);
    expect(syncSummaryLines({ ...idle, configured: false }, NOW)).toEqual([
      "No GitOps repository is set up on this laptop yet.",
    ]);
  });
});
