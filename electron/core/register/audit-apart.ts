import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { z } from "zod";
import { AppError, type AuditVerifyResult } from "../../../shared/contract/index";
import { AUDIT_BATCH_SQL, GENESIS_HASH, PARALLEL_FROM_ROWS, verifyAudit, walkAudit } from "./audit";
import { AUDIT_BATCH_CHECK_SOURCE, AUDIT_BATCH_ROWS } from "./audit-parallel";
import type { Register } from "./db";
import { stmt } from "./statements";

// A long verify run on the core's thread (or its threads) is charged to the door: on Linux every thread of a
// session's processes shares one scheduling group (autogroup), so however low the core's thread priority, a
// million rows verified beside a busy machine kept the browser door's thread waiting for its group's turn (p99
// 41-57 ms with four busy processes beside it, against 9 ms idle). So a long verify runs in a process of its own,
// in a session of its own (a scheduling group of its own), at a lower priority: the door's process stays idle
// and is scheduled at once, and the core's thread stays free to answer other calls while the verify runs.
//
// The process reads the register through its own read-only connection in one read transaction (one snapshot,
// WAL lets the core keep writing) and checks it batch by batch with the core's own batch check. It answers where
// the first bad batch starts; the core's own walk settles that batch, so the answer is always the walk's.

// The process's hashing threads: the check of one batch per message, answered on the same port.
const HASHER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const { hash } = require("node:crypto");
${AUDIT_BATCH_CHECK_SOURCE}
parentPort.on("message", (m) => {
  let result;
  try { result = check(m.first, m.count, m.text); } catch { result = { ok: false, firstPrev: "", lastHash: "" }; }
  parentPort.postMessage({ index: m.index, ...result });
});
`;

// Its main thread reads batches while the hashing threads check them (as the core's own parallel verify does);
// it may wait for them asynchronously, being nobody's event loop but its own.
const PROCESS_SOURCE = `
// Shiftgate: audit verify
const os = require("node:os");
const { Worker } = require("node:worker_threads");
try { os.setPriority(os.constants.priority.PRIORITY_BELOW_NORMAL); } catch {}
// Its session's scheduling group (Linux autogroup) a lower weight too (nice 5, a third of an equal's), which any
// user may ask for: an equal group takes its turns as often as the door's, and a door whose own session is busy
// waits longer; much lower starves the verify on a busy machine (nice 19: 0.5% of a processor beside four busy
// processes, minutes for a million rows).
try { require("node:fs").writeFileSync("/proc/self/autogroup", "5"); } catch {}
async function verify(job) {
  const Database = require(job.modulePath);
  const db = new Database(job.file, { readonly: true, fileMustExist: true, nativeBinding: job.nativeBinding, timeout: job.timeoutMs });
  const hashers = [];
  const results = [];
  try {
    db.exec("BEGIN");
    const { total, low, high } = db.prepare("SELECT count(*) AS total, min(seq) AS low, max(seq) AS high FROM audit").get();
    if (low !== 1 || high !== total) return { total, badBatch: null, hashBefore: "", contiguous: false };
    const batch = db.prepare(job.batchSql).pluck();
    const batches = Math.ceil(total / job.batchRows);
    const count = Math.max(1, Math.min(os.availableParallelism() - 1, 3));
    let received = 0;
    let failed = null;
    let wake = () => {};
    for (let i = 0; i < count; i += 1) {
      const hasher = new Worker(${JSON.stringify(HASHER_SOURCE)}, { eval: true });
      hasher.on("message", (r) => { results[r.index] = r; received += 1; wake(); });
      hasher.on("error", (error) => { failed = error; wake(); });
      // A thread that ends on its own (out of memory, say) would otherwise leave the read waiting for ever.
      hasher.on("exit", () => { failed = failed || new Error("a hashing thread ended"); wake(); });
      hashers.push(hasher);
    }
    const settled = async () => {
      await new Promise((resolve) => { wake = resolve; });
      if (failed) throw failed;
    };
    for (let index = 0; index < batches; index += 1) {
      while (index - received >= count * 3) await settled();
      const from = index * job.batchRows;
      const to = Math.min(from + job.batchRows, total);
      hashers[index % count].postMessage({ index, first: from + 1, count: to - from, text: batch.get(from, to) });
    }
    while (received < batches) await settled();
    let hashBefore = job.genesis;
    for (let index = 0; index < batches; index += 1) {
      const result = results[index];
      if (!result.ok || result.firstPrev !== hashBefore) return { total, badBatch: index, hashBefore, contiguous: true };
      hashBefore = result.lastHash;
    }
    return { total, badBatch: null, hashBefore, contiguous: true };
  } finally {
    for (const hasher of hashers) void hasher.terminate();
    db.close();
  }
}
let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const say = (answer) => process.stdout.write(JSON.stringify(answer));
  Promise.resolve()
    .then(() => verify(JSON.parse(input)))
    .then(say, (error) => say({ failed: String((error && error.message) || error) }));
});
`;

const answer = z.union([
  z.object({
    total: z.number().int().min(0),
    badBatch: z.number().int().min(0).nullable(),
    hashBefore: z.string(),
    contiguous: z.boolean(),
  }),
  z.object({ failed: z.string() }),
]);
type Answer = z.infer<typeof answer>;

const CLOSED =
  "Shiftgate shut down before the audit chain was verified, so there is no answer: start Shiftgate again and verify it again.";

/** The register's connection and where it lies (the verify's process opens its own connection to the file). */
type RegisterFile = Pick<Register, "db" | "file" | "nativeBinding">;

/**
 * verifyAudit's answer, with a long chain checked in a low-priority process of its own while this thread stays
 * free. A short chain, an in-memory register, or a process that cannot be started (a runtime that is not Node,
 * such as Electron) is verified on this thread, as before: the answer is the same either way.
 */
export async function verifyAuditApart(register: RegisterFile, closing?: AbortSignal): Promise<AuditVerifyResult> {
  const { db, file } = register;
  // Electron's own binary is not a Node runtime once its run-as-node fuse is off (the shipped app): started with
  // a script, it would open a second Shiftgate. There the verify stays on the core's thread.
  if (file === ":memory:" || process.versions.electron !== undefined) return verifyAudit(db);
  // The last seq, not a count: a count reads the whole table on this thread.
  const last = stmt(db, "SELECT coalesce(max(seq), 0) FROM audit").pluck().get() as number;
  if (last < PARALLEL_FROM_ROWS) return verifyAudit(db);
  const checked = await checkApart(register, closing);
  // The core closed meanwhile (its register with it): the process was ended, and nothing is left to answer from.
  if (closing?.aborted) throw new AppError("unavailable", CLOSED);
  if (checked === null || "failed" in checked || !checked.contiguous) return verifyAudit(db);
  if (checked.badBatch === null) return { ok: true, events: checked.total, firstBadSeq: null };
  // Every row before the bad batch is good (rows are never changed once written), so the walk starts there.
  return walkAudit(db, checked.badBatch * AUDIT_BATCH_ROWS, checked.hashBefore);
}

/** Runs the check in its own process; null when that process could not be run or said nothing readable. */
function checkApart(register: RegisterFile, closing: AbortSignal | undefined): Promise<Answer | null> {
  const job = {
    file: register.file,
    modulePath: createRequire(import.meta.url).resolve("better-sqlite3"),
    nativeBinding: register.nativeBinding,
    timeoutMs: 5000,
    batchSql: AUDIT_BATCH_SQL,
    batchRows: AUDIT_BATCH_ROWS,
    genesis: GENESIS_HASH,
  };
  return new Promise((resolve) => {
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(process.execPath, ["-e", PROCESS_SOURCE], {
        // A session of its own is a scheduling group of its own (Linux autogroup); Windows would open a console.
        detached: process.platform !== "win32",
        stdio: ["pipe", "pipe", "ignore"],
        env: { ...process.env, ELECTRON_RUN_AS_NODE: "1" },
        windowsHide: true,
        // A core that closes ends the verify it started: nothing of a closed core runs on.
        signal: closing,
      });
    } catch {
      resolve(null);
      return;
    }
    let output = "";
    child.stdout?.setEncoding("utf8");
    child.stdout?.on("data", (chunk: string) => {
      output += chunk;
    });
    child.once("error", () => resolve(null));
    child.once("close", () => {
      try {
        const parsed = answer.safeParse(JSON.parse(output));
        resolve(parsed.success ? parsed.data : null);
      } catch {
        resolve(null);
      }
    });
    child.stdin?.on("error", () => undefined);
    child.stdin?.end(JSON.stringify(job));
  });
}
