import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { z } from "zod";
import { AppError, type AuditVerifyResult } from "../../../shared/contract/index";
import { AUDIT_BATCH_SQL, GENESIS_HASH, PARALLEL_FROM_ROWS, verifyAudit, walkAudit } from "./audit";
import { AUDIT_BATCH_CHECK_SOURCE, AUDIT_BATCH_ROWS } from "./audit-parallel";
import type { Register } from "./db";
import { stmt } from "./statements";

// A long verify run on the core's thread (or its threads) is charged to the door's own process: on Linux every
// thread of a process shares one scheduling group (autogroup), so however low the core's thread priority, a
// million rows verified beside a busy machine kept the browser door's thread waiting for its group's turn (p99
// 41-57 ms with four busy processes beside it, against 9 ms idle). So a long verify runs in a process of its own,
// in a session of its own (a scheduling group of its own), at a lower priority: the door's process stays idle
// and is scheduled at once, and the core's thread stays free to answer other calls while the verify runs.
//
// The process reads the register through its own read-only connection in one read transaction (one snapshot,
// WAL lets the core keep writing) and checks it batch by batch with the same check the hashing threads use. It
// answers where the first bad batch starts; the core's own walk settles that batch, so the answer is the walk's.
const PROCESS_SOURCE = `
// Shiftgate: audit verify
const os = require("node:os");
const { hash } = require("node:crypto");
try { os.setPriority(os.constants.priority.PRIORITY_BELOW_NORMAL); } catch {}
${AUDIT_BATCH_CHECK_SOURCE}
function verify(job) {
  const Database = require(job.modulePath);
  const db = new Database(job.file, { readonly: true, fileMustExist: true, nativeBinding: job.nativeBinding, timeout: job.timeoutMs });
  try {
    db.exec("BEGIN");
    const { total, low, high } = db.prepare("SELECT count(*) AS total, min(seq) AS low, max(seq) AS high FROM audit").get();
    if (low !== 1 || high !== total) return { total, badBatch: null, hashBefore: "", contiguous: false };
    const batch = db.prepare(job.batchSql).pluck();
    let hashBefore = job.genesis;
    for (let index = 0; index * job.batchRows < total; index += 1) {
      const from = index * job.batchRows;
      const to = Math.min(from + job.batchRows, total);
      const result = check(from + 1, to - from, batch.get(from, to));
      if (!result.ok || result.firstPrev !== hashBefore) return { total, badBatch: index, hashBefore, contiguous: true };
      hashBefore = result.lastHash;
    }
    return { total, badBatch: null, hashBefore, contiguous: true };
  } finally {
    db.close();
  }
}
let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  let answer;
  try { answer = verify(JSON.parse(input)); } catch (error) { answer = { failed: String((error && error.message) || error) }; }
  process.stdout.write(JSON.stringify(answer));
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
