import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../../electron/core/clock";
import { createCore } from "../../../electron/core/core";
import { startGitops } from "../../../electron/core/gitops/first-run";
import { git, isolatedGitContext } from "../../../electron/core/gitops/git";
import { rowsIn } from "../../../electron/core/gitops/outbox-store";
import { dataPaths } from "../../../electron/core/paths";
import { farFromQuorum } from "../../helpers/far-from-quorum";
import { runKillChild as run } from "../../helpers/outbox-kill-runner";
import { tempDir } from "../../helpers/temp";
import { waitFor } from "../../helpers/wait";

const ctx = isolatedGitContext();
const { dir, cleanup } = tempDir("shiftgate-kill-");
afterAll(() => cleanup());

// The kill lands at a random moment inside the child's commits and pushes: that delay is the fault injected, not a
// wait for something to happen (those wait on conditions).
const randomMoment = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("killing the app during commit and push", () => {
  it("20 SIGKILLs at random points: working copy usable, every approval pushed exactly once", async () => {
    // First run, then a high-risk change far from its quorum, submitted to the demo repository.
    const setup = await createCore({
      dataDir: dir,
      appVersion: "0.0.0-test",
      clock: fixedClock("2026-12-01T08:00:00Z"),
    });
    await startGitops(setup.services);
    const { changeId } = await farFromQuorum(setup);
    setup.close();
    expect(changeId).not.toBe("");

    const decided = new Set<number>();
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let round = 0; round < 20; round++) {
      const c = run([dir, changeId, "loop"], { KILL_ROUND: String(round) });
      // Wait for the first decision (or a crash), then kill somewhere inside the next commits and pushes.
      await waitFor(
        () => c.proc.exitCode !== null || c.lines.some((l) => l.startsWith("decided")),
        "the child's first decision",
        60_000,
      );
      if (c.proc.exitCode !== null) throw new Error(`child died on its own: ${c.lines.join("\n")}`);
      await randomMoment(Math.floor(random() * 600));
      c.proc.kill("SIGKILL");
      await c.done;
      for (const l of c.lines) if (l.startsWith("decided ")) decided.add(Number(l.slice(8)));
    }
    // Each round waited for the child's first decision before the kill, so every round decided at least once; how
    // many more it reached before the kill depends on the machine's load, not on the code (a loaded CI machine made
    // exactly one per round, and `> 20` failed there).
    expect(decided.size).toBeGreaterThanOrEqual(20);

    const finish = run([dir, changeId, "finish"]);
    expect((await finish.done).code).toBe(0);

    const work = dataPaths(dir).gitopsWorkingCopy;
    expect(existsSync(join(work, ".git", "index.lock"))).toBe(false);
    expect((await git(ctx, work, ["fsck", "--no-dangling"], { okCodes: [] })).code).toBe(0);
    expect((await git(ctx, work, ["status", "--porcelain"])).stdout).toBe("");

    const check = await createCore({
      dataDir: dir,
      appVersion: "0.0.0-test",
      clock: fixedClock("2026-12-01T08:00:00Z"),
    });
    try {
      const db = check.services.register.db;
      expect(rowsIn(db, ["pending", "committed"])).toEqual([]);
      const pushed = rowsIn(db, ["pushed"]);
      // Every intent is on the remote exactly once, and nothing is there twice.
      const remote = dataPaths(dir).gitopsDemoRemote;
      const trailers = (
        await git(ctx, remote, ["log", "--format=%(trailers:key=Shiftgate-Intent,valueonly)", "main"])
      ).stdout
        .split("\n")
        .map((s) => s.trim())
        .filter(Boolean);
      if (new Set(trailers).size !== trailers.length) {
        const log = await git(ctx, remote, [
          "log",
          "--format=%H %cI %s %(trailers:key=Shiftgate-Intent,valueonly)",
          "main",
        ]);
        console.error(log.stdout.split("\n").slice(0, 60).join("\n"));
      }
      expect(new Set(trailers).size).toBe(trailers.length);
      expect(new Set(trailers)).toEqual(new Set(pushed.map((r) => r.id)));
      // Every approval the core confirmed is among them, once.
      for (const n of decided) {
        const words = `round ${n}\n`;
        expect(pushed.filter((r) => r.files.some((f) => f.content.includes(words)))).toHaveLength(1);
      }
    } finally {
      check.close();
    }
  }, 300_000);
});
