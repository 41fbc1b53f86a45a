import { execFile } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { startGitops } from "../../electron/core/gitops/first-run";
import { git, isolatedGitContext } from "../../electron/core/gitops/git";
import { outboxOf } from "../../electron/core/gitops/outbox-registry";
import { dataPaths } from "../../electron/core/paths";
import { DEFAULT_VALIDATION } from "../../shared/contract/index";
import { DEMO_PEOPLE } from "../../shared/domain/demo/roster";
import { approvalPath, writeApproval } from "../../shared/domain/policy/index";
import { farFromQuorum } from "../helpers/far-from-quorum";
import { tempCore } from "../helpers/temp";
import { actAs, call } from "../integration/approvals/support";
import { type BenchRun, lowerIsBetter, median, medianMs } from "./harness";

const CHANGES = 1_000;
const FILES_PER_CHANGE = 5;
const ctx = isolatedGitContext();
const exec = promisify(execFile);

function payload(i: number) {
  const start = Date.parse("2026-12-10T06:00:00Z") + i * 3_600_000;
  return {
    title: `Inbox bench change #${i}`,
    description: `Change ${i} awaiting approval`,
    type: "normal" as const,
    area: "mrp" as const,
    plants: ["berlin"],
    environment: "production" as const,
    requester: { name: "Lena Weber", email: "lena.weber@plant.example" },
    implementer: { name: "Tom Fischer", email: "tom.fischer@plant.example" },
    window: { start: new Date(start).toISOString(), end: new Date(start + 3_600_000).toISOString() },
    dbMigration: false,
    rollbackPlan: "Revert image tag",
    snapshotRef: null,
    checkpointRef: null,
    links: {},
    validation: [...DEFAULT_VALIDATION],
    template: null,
  };
}

/**
 * One approval click end to end (approval.decide through the core: the signed record, the register transaction, the
 * outbox's signed commit and its push) beside the same file signed, committed and pushed with plain git commands,
 * interleaved so load hits both alike.
 */
async function clickBench(): Promise<{ click: number; plain: number }> {
  const { core, dir, cleanup } = await tempCore();
  try {
    await startGitops(core.services);
    const { changeId } = await farFromQuorum(core);
    await actAs(core, "raj.patel@plant.example");
    const outbox = outboxOf(core.services);
    if (!outbox) throw new Error("the demo core has no outbox");
    const env = Object.fromEntries(Object.entries(ctx.env).filter((e): e is [string, string] => e[1] !== undefined));
    const plainDir = join(dir, "plain");
    // Its own remote (a copy of the demo's), so neither side's push ever finds the other's commits first.
    await exec("git", ["clone", "--quiet", "--bare", dataPaths(dir).gitopsDemoRemote, join(dir, "plain.git")], { env });
    await exec("git", ["clone", "--quiet", join(dir, "plain.git"), plainDir], { env });
    const key = join(dataPaths(dir).keys, "sofia.rossi@plant.example.key");
    const g = (args: readonly string[]) =>
      exec(
        "git",
        [
          "-C",
          plainDir,
          "-c",
          "user.name=Sofia Rossi",
          "-c",
          "user.email=sofia.rossi@plant.example",
          "-c",
          "gpg.format=ssh",
          "-c",
          `user.signingkey=${key}`,
          ...args,
        ],
        { env },
      );
    let n = 0;
    const plainOnce = async () => {
      const path = `changes/bench/approvals/sofia-${++n}.yaml`;
      mkdirSync(join(plainDir, "changes", "bench", "approvals"), { recursive: true });
      writeFileSync(
        join(plainDir, path),
        `decision: approved
n: ${n}
`,
      );
      const start = performance.now();
      await g(["add", "--", path]);
      await g(["commit", "-S", "--quiet", "-m", `Approve bench ${n}`]);
      await g(["push", "--quiet", "origin", "HEAD:refs/heads/main"]);
      return performance.now() - start;
    };
    const clickOnce = async (decision: "approved" | "rejected") => {
      const start = performance.now();
      const result = await core.call("approval.decide", {
        changeId,
        scope: "deploy",
        decision,
        meaning: decision === "approved" ? "Approved for production release" : "Rejected: not ready",
      });
      if (!result.ok) throw new Error(result.error.message);
      // The push the outbox scheduled after the commit, run now (its timer does not hold a process open); when the
      // timer came first, this round finds the commit already on the remote.
      const round = await outbox.push();
      if (round.error || round.pending > 0) throw new Error(`the decision was not pushed: ${round.error?.message}`);
      return performance.now() - start;
    };
    const clicks: number[] = [];
    const plains: number[] = [];
    for (let i = 0; i < 13; i++) {
      const c = await clickOnce(i % 2 === 0 ? "approved" : "rejected");
      const p = await plainOnce();
      if (i < 3) continue;
      clicks.push(c);
      plains.push(p);
    }
    return { click: median(clicks), plain: median(plains) };
  } finally {
    cleanup();
  }
}

/**
 * The approvals inbox over 1,000 changes awaiting approval whose repository holds 5,000 approval files, warm (the
 * repository unchanged since the last load, as for the desktop notifier's poll every 60 s), beside a raw
 * better-sqlite3 read of the same awaiting rows.
 */
export const run: BenchRun = async (report) => {
  const c = await clickBench();
  report(
    lowerIsBetter(
      "one approval click end to end (decide, sign, commit, push) vs plain git sign+commit+push",
      c.click,
      "ms",
      c.plain,
      "≤ 1.5x",
    ),
  );
  const { core, dir, cleanup } = await tempCore();
  try {
    await startGitops(core.services);
    const work = dataPaths(dir).gitopsWorkingCopy;
    const created = await call(core, "change.createMany", {
      changes: Array.from({ length: CHANGES }, (_, i) => payload(i)),
    });
    // The fixture is written straight into the register and the working copy: 1,000 changes through submission
    // and approval requests would take the bench an hour. Each is numbered, in the repository, awaiting approval.
    const db = core.services.register.db;
    const number = (i: number) => `CHG-2026-${String(5000 + i).padStart(4, "0")}`;
    const people = DEMO_PEOPLE.filter((p) => p.email !== "lena.weber@plant.example").slice(0, FILES_PER_CHANGE);
    db.transaction(() => {
      const set = db.prepare(
        "UPDATE changes SET status = 'awaiting-approval', number = ?, risk = 'high', risk_rank = 3 WHERE id = ?",
      );
      created.ids.forEach((id, i) => {
        set.run(number(i), id);
      });
    })();
    created.ids.forEach((_, i) => {
      const folder = join(work, "changes", number(i));
      mkdirSync(join(folder, "approvals"), { recursive: true });
      writeFileSync(join(folder, "change.yaml"), `id: ${number(i)}\ntitle: Inbox bench change #${i}\n`);
      for (const p of people)
        writeFileSync(
          join(work, approvalPath(number(i), p.email, "deploy")),
          writeApproval({
            change: number(i),
            scope: "deploy",
            decision: "approved",
            meaning: "Approved for production release",
            signer: { name: p.name, email: p.email, role: p.roles[0] ?? "cab-member" },
            signedAt: "2026-12-01T10:00:00Z",
            changeDigest: "0".repeat(64),
          }),
        );
    });
    await git(ctx, work, ["add", "-A", "changes"]);
    await git(ctx, work, [
      "-c",
      "user.name=Bench",
      "-c",
      "user.email=bench@plant.example",
      "commit",
      "--quiet",
      "-m",
      "bench fixture",
    ]);
    await actAs(core, "raj.patel@plant.example");

    const raw = new Database(core.services.register.file, { readonly: true });
    const awaiting = raw.prepare("SELECT * FROM changes WHERE status = 'awaiting-approval' AND deleted_at IS NULL");
    const baseline = await medianMs(() => awaiting.all(), 21, 3);
    raw.close();
    const files = (await git(ctx, work, ["ls-files", "changes/*/approvals/*"])).stdout
      .split("\n")
      .filter(Boolean).length;
    const inbox = await medianMs(
      async () => {
        const result = await core.call("approval.inbox", {});
        if (!result.ok) throw new Error(result.error.message);
      },
      11,
      2,
    );
    report(
      lowerIsBetter(
        `approval.inbox warm: ${CHANGES} awaiting, ${files} approval files (vs raw SQLite read of the rows)`,
        inbox,
        "ms",
        baseline,
        "≤ 50 ms",
      ),
    );
  } finally {
    cleanup();
  }
};
