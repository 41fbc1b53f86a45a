// A laptop that keeps approving until it is killed: the outbox kill test runs it with SIGKILL at random points.
// argv: <dataDir> <changeId> <mode: loop | finish | crash-in-transaction | crash-before-commit>.
// Prints "decided <n>" after each approval the core returned.
// In finish mode it runs one recovery round, prints it, and ends on its own once the core is closed.
// The crash modes approve once (meaning from CRASH_MEANING) and SIGKILL themselves at one exact point: inside the
// register transaction right after the approval row is written, or when git is about to make the signed commit.
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fixedClock } from "../../electron/core/clock";
import { createCore } from "../../electron/core/core";
import { startGitops } from "../../electron/core/gitops/first-run";
import { outboxOf } from "../../electron/core/gitops/outbox-registry";
import { dataPaths } from "../../electron/core/paths";

const [dataDir = "", changeId = "", mode = "loop"] = process.argv.slice(2);
const core = await createCore({
  dataDir,
  appVersion: "0.0.0-test",
  clock: fixedClock("2026-12-01T08:00:00Z"),
  timeZone: "Europe/Berlin",
});
const must = async (method: string, input: unknown) => {
  const result = await core.call(method, input);
  if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
  return result.value;
};
await startGitops(core.services);
if (mode === "finish") {
  const outbox = outboxOf(core.services);
  // Queued behind the recovery startGitops began, so both have finished when this resolves.
  const round = await outbox?.recover();
  process.stdout.write(`${JSON.stringify(round)}\n`);
  // No retry may fire on a closed register; with nothing left to wait for, the process exits with code 0.
  outbox?.stop();
  core.close();
} else if (mode === "crash-in-transaction" || mode === "crash-before-commit") {
  await must("identity.use", { keyFile: join(dataPaths(dataDir).keys, "raj.patel@plant.example.key") });
  if (mode === "crash-in-transaction") {
    // A TEMP trigger lives on this connection only: the next run of the app over this register has none.
    const db = core.services.register.db;
    db.function("shiftgate_test_kill", () => {
      process.kill(process.pid, "SIGKILL");
      return null;
    });
    db.exec(
      "CREATE TEMP TRIGGER kill_after_approval AFTER INSERT ON approvals BEGIN SELECT shiftgate_test_kill(); END",
    );
  } else {
    // git runs pre-commit before it writes the commit: the hook removes itself and kills this process there.
    const hook = join(dataPaths(dataDir).gitopsWorkingCopy, ".git", "hooks", "pre-commit");
    mkdirSync(dirname(hook), { recursive: true });
    writeFileSync(hook, `#!/bin/sh\nrm -f "$0"\nkill -9 ${process.pid}\nexit 1\n`);
    chmodSync(hook, 0o755);
  }
  await must("approval.decide", {
    changeId,
    scope: "deploy",
    decision: "approved",
    meaning: process.env.CRASH_MEANING ?? "Approved before a crash",
    passphrase: "",
  });
  // Reaching here means the crash point was never hit: the test fails when it reads this line.
  process.stdout.write("survived\n");
  outboxOf(core.services)?.stop();
  core.close();
} else {
  await must("identity.use", { keyFile: join(dataPaths(dataDir).keys, "raj.patel@plant.example.key") });
  for (let n = Number(process.env.KILL_ROUND ?? 0) * 1000; ; n++) {
    // Each decision has its own words, so every round is a new file content and a new commit.
    const result = await core.call("approval.decide", {
      changeId,
      scope: "deploy",
      decision: n % 2 === 0 ? "approved" : "rejected",
      meaning: `${n % 2 === 0 ? "Approved" : "Rejected"} in round ${n}`,
      passphrase: "",
    });
    // The same decision as the one standing (a round that starts where a killed one stopped) is not recorded twice:
    // the next n decides the other way.
    if (!result.ok && result.error.code === "conflict" && /not recorded twice/.test(result.error.message)) continue;
    if (!result.ok) throw new Error(`approval.decide: ${result.error.message}`);
    process.stdout.write(`decided ${n}\n`);
  }
}
