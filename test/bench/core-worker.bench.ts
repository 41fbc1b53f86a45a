import { loadavg } from "node:os";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { verifyAudit } from "../../electron/core/register/audit";
import type { CoreDoor } from "../../electron/core/worker/client";
import { startCoreWorker } from "../../electron/core/worker/client";
import { fillAuditChain } from "../helpers/audit-rows";
import { tempCore } from "../helpers/temp";
import { type BenchRun, lowerIsBetter, onceMs } from "./harness";

const AUDIT_ROWS = 1_000_000;
const AT = "2026-12-01T08:00:00.000Z";

/** The door thread's event-loop delay p99 (ms) while `verify` runs, and its time. */
async function doorDelayDuringVerify(verify: () => Promise<unknown>): Promise<{ p99: number; verifyMs: number }> {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  // The histogram starts counting at its first tick: a verify that held the loop before it would go unseen.
  await new Promise((resolve) => setTimeout(resolve, 20));
  let answer: unknown;
  const verifyMs = await onceMs(async () => {
    answer = await verify();
  });
  // A loop the verify held records its delay only when its timer finally runs: let it run before reading.
  await new Promise((resolve) => setTimeout(resolve, 50));
  delay.disable();
  const value = answer as { ok: boolean; events: number } | undefined;
  if (!value?.ok || value.events < AUDIT_ROWS) throw new Error(`audit.verify did not pass: ${JSON.stringify(answer)}`);
  return { p99: delay.percentile(99) / 1e6, verifyMs };
}

/** audit.verify through the browser door's route into the core; its value, or the refusal as an error. */
async function verifyThrough(core: CoreDoor): Promise<unknown> {
  const result = await core.call("audit.verify", {}, "web");
  if (!result.ok) throw new Error(`audit.verify was refused: ${JSON.stringify(result.error)}`);
  return result.value;
}

/** The same thread's event-loop delay p99 (ms) with nothing to do for `ms`: what this machine's load alone gives. */
async function idleDelay(ms: number): Promise<number> {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  await new Promise((resolve) => setTimeout(resolve, ms));
  delay.disable();
  return delay.percentile(99) / 1e6;
}

/**
 * Issue #20 item 9: while the core verifies a million audit rows, the door's event loop stays free (target p99
 * ≤ 50 ms) with the core in a worker thread; the baseline is the same verify run in the door's own thread, as
 * before (one door, one register file, same run).
 */
export const run: BenchRun = async (report) => {
  // Delays on a shared machine follow its load: printed beside the figures so runs can be compared.
  console.log(
    `load average at start: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
  );
  const seeded = await tempCore();
  fillAuditChain(seeded.core.services.register.db, AUDIT_ROWS, new Date(AT));
  try {
    // The baseline: the verify on the door's own thread, as the core ran it before it had a thread of its own.
    const db = seeded.core.services.register.db;
    const inProcess = await doorDelayDuringVerify(async () => verifyAudit(db));
    seeded.core.close();
    const worker = await startCoreWorker({
      core: { dataDir: seeded.dir, appVersion: "0.0.0-bench", clockAt: AT, timeZone: "Europe/Berlin" },
    });
    try {
      const inWorker = await doorDelayDuringVerify(() => verifyThrough(worker));
      report(
        lowerIsBetter(
          `door event-loop delay p99 during audit verify of ${AUDIT_ROWS} rows: core in a worker vs in the door's thread`,
          inWorker.p99,
          "ms",
          inProcess.p99,
          "≤ 50 ms",
        ),
      );
      const idle = await idleDelay(inWorker.verifyMs);
      report(
        lowerIsBetter(
          "door event-loop delay p99 during that verify (core in a worker) vs the idle door's, same length",
          inWorker.p99,
          "ms",
          idle,
        ),
      );
      report(
        lowerIsBetter(
          `audit verify of ${AUDIT_ROWS} rows through the door: core in a worker vs in the door's thread`,
          inWorker.verifyMs,
          "ms",
          inProcess.verifyMs,
        ),
      );
    } finally {
      await worker.close();
    }
  } finally {
    seeded.cleanup();
  }
};
