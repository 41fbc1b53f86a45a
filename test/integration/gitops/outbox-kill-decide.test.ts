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

// One SIGKILL at an exact point of approval.decide (see outbox-kill-child.ts), then a restart's recovery: the
// register's approval row and the signed commit on the remote exist together, once each, or neither exists.

const ctx = isolatedGitContext();
const cleanups: (() => void)[] = [];
afterAll(() => {
  for (const c of cleanups) c();
});

const rajFile = (number: string) => `changes/${number}/approvals/raj.patel@plant.example--deploy.yaml`;

// A data folder with the demo repository and a high-risk change far from its quorum, submitted there.
async function laptop(): Promise<{ dir: string; changeId: string; number: string }> {
  const { dir, cleanup } = tempDir("shiftgate-kill-decide-");
  cleanups.push(cleanup);
  const setup = await createCore({ dataDir: dir, appVersion: "0.0.0-test", clock: fixedClock("2026-12-01T08:00:00Z") });
  await startGitops(setup.services);
  const { changeId, number } = await farFromQuorum(setup);
  setup.close();
  return { dir, changeId, number };
}

// The remote commits whose approval file holds these words.
async function remoteCommitsWith(dir: string, number: string, words: string): Promise<string[]> {
  const remote = dataPaths(dir).gitopsDemoRemote;
  const shas = (await git(ctx, remote, ["log", "--format=%H", "main", "--", rajFile(number)])).stdout.split("\n");
  const found: string[] = [];
  for (const sha of shas.filter(Boolean)) {
    const file = await git(ctx, remote, ["show", `${sha}:${rajFile(number)}`], { okCodes: [128] });
    if (file.stdout.includes(words)) found.push(sha);
  }
  return found;
}

async function crashThenRecover(mode: string, words: string) {
  const { dir, changeId, number } = await laptop();
  const crash = run([dir, changeId, mode], { CRASH_MEANING: words });
  const ended = await crash.done;
  expect(crash.lines).not.toContain("survived");
  expect(ended.signal).toBe("SIGKILL");
  const finish = run([dir, changeId, "finish"]);
  expect((await finish.done).code).toBe(0);

  const work = dataPaths(dir).gitopsWorkingCopy;
  expect((await git(ctx, work, ["status", "--porcelain"])).stdout).toBe("");
  const check = await createCore({ dataDir: dir, appVersion: "0.0.0-test", clock: fixedClock("2026-12-01T08:00:00Z") });
  try {
    const db = check.services.register.db;
    const approvals = db.prepare("SELECT id FROM approvals WHERE meaning = ?").all(words) as { id: string }[];
    const audited = db
      .prepare("SELECT count(*) AS n FROM audit WHERE action = 'approval.approve' AND entity_id = ?")
      .get(changeId) as { n: number };
    const intents = rowsIn(db, ["pending", "committed", "pushed", "abandoned"]).filter((r) =>
      r.files.some((f) => f.content.includes(words)),
    );
    return { approvals, audited: audited.n, intents, remote: await remoteCommitsWith(dir, number, words) };
  } finally {
    check.close();
  }
}

describe("killing the app at the critical points of an approval", () => {
  it("killed inside the register transaction: neither the approval, its intent nor a commit exists", async () => {
    const words = "Approved, then killed inside the transaction";
    const after = await crashThenRecover("crash-in-transaction", words);
    expect(after).toEqual({ approvals: [], audited: 0, intents: [], remote: [] });
  }, 120_000);

  it("killed after the transaction, before git commits: recovery commits and pushes the approval once", async () => {
    const words = "Approved, then killed before the commit";
    const after = await crashThenRecover("crash-before-commit", words);
    expect(after.approvals).toHaveLength(1);
    expect(after.audited).toBe(1);
    expect(after.intents.map((r) => r.state)).toEqual(["pushed"]);
    expect(after.remote).toHaveLength(1);
    // The commit names the register's approval: its Shiftgate-Intent trailer is the approval's id.
    expect(after.intents[0]?.id).toBe(after.approvals[0]?.id);
    expect(after.intents[0]?.sha).toBe(after.remote[0]);
  }, 120_000);
});
