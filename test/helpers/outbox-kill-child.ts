// A laptop that keeps approving until it is killed: the outbox kill test runs it with SIGKILL at random points.
// argv: <dataDir> <changeId> <mode: loop | finish>. Prints "decided <n>" after each approval the core returned.
// In finish mode it runs one recovery round, prints it, and ends on its own once the core is closed.
import { join } from "node:path";
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
} else {
  await must("identity.use", { keyFile: join(dataPaths(dataDir).keys, "raj.patel@plant.example.key") });
  for (let n = Number(process.env.KILL_ROUND ?? 0) * 1000; ; n++) {
    // Each decision has its own words, so every round is a new file content and a new commit.
    await must("approval.decide", {
      changeId,
      scope: "deploy",
      decision: n % 2 === 0 ? "approved" : "rejected",
      meaning: `${n % 2 === 0 ? "Approved" : "Rejected"} in round ${n}`,
      passphrase: "",
    });
    process.stdout.write(`decided ${n}\n`);
  }
}
