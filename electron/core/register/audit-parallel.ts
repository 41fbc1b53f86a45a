import { availableParallelism } from "node:os";
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads";

/** Rows per batch a worker checks: large enough that one SQLite call and one message carry many rows. */
export const AUDIT_BATCH_ROWS = 20_000;

/** What a worker says about one batch: ok only when every row passed the same checks the sequential walk makes. */
interface BatchResult {
  readonly index: number;
  readonly ok: boolean;
  /** The prev_hash the batch's first row links to (checked here against the batch before). */
  readonly firstPrev: string;
  /** The stored hash of the batch's last row. */
  readonly lastHash: string;
}

/** Where the parallel check stopped: every batch before `badBatch` holds good rows, linked to each other. */
interface ParallelOutcome {
  /** The lowest batch with a bad row or a broken link to the batch before, or null when all are good. */
  readonly badBatch: number | null;
  /** The stored hash of the row before `badBatch` (unused when nothing is bad). */
  readonly hashBefore: string;
}

/**
 * The batch check as source text (node:crypto's `hash` in scope): ok only when every row of the batch passes the
 * sequential walk's checks. Shared by the hashing threads below and the verify's own process (audit-apart.ts).
 */
export const AUDIT_BATCH_CHECK_SOURCE = `
function check(first, count, text) {
  const rows = typeof text === "string" ? text.split("\\n") : [];
  if (rows.length !== count) return { ok: false, firstPrev: "", lastHash: "" };
  let expected = first;
  let prev = null;
  let firstPrev = "";
  for (const row of rows) {
    const stored = row.slice(0, 64);
    const canonical = row.slice(64);
    const comma = canonical.indexOf(",");
    const seq = Number(canonical.slice(1, comma));
    if (canonical.charCodeAt(0) !== 91 || comma < 2 || !Number.isInteger(seq) || seq !== expected) {
      return { ok: false, firstPrev: "", lastHash: "" };
    }
    const linked = canonical.slice(comma + 2, comma + 66);
    if (prev === null) firstPrev = linked;
    else if (linked !== prev) return { ok: false, firstPrev: "", lastHash: "" };
    if (hash("sha256", canonical, "hex") !== stored) return { ok: false, firstPrev: "", lastHash: "" };
    prev = stored;
    expected = seq + 1;
  }
  return { ok: true, firstPrev, lastHash: prev === null ? "" : prev };
}
`;

// Built from source text with only node builtins, so no worker file has to be found on disk: the same code
// runs under tsx, vitest and the bundled Electron main process. A batch is its rows joined by newlines (json
// escapes every newline inside the canonical form; a stray one in a tampered hash changes the row count and
// fails the batch). The checks are verifyAudit's walk, only stricter: a batch passes only if the walk would pass
// every row in it, and any failing batch is settled by the walk itself, so the answer is always the walk's.
const WORKER_SOURCE = `
const { workerData, parentPort } = require("node:worker_threads");
const { hash } = require("node:crypto");
const { port, signal } = workerData;
const flag = new Int32Array(signal);
${AUDIT_BATCH_CHECK_SOURCE}
parentPort.on("message", (m) => {
  let result;
  try {
    result = check(m.first, m.count, m.text);
  } catch {
    result = { ok: false, firstPrev: "", lastHash: "" };
  }
  port.postMessage({ index: m.index, ...result });
  Atomics.add(flag, 0, 1);
  Atomics.notify(flag, 0);
});
`;

// A worker that has not answered in this long is taken as lost, and the caller walks the chain itself.
const WAIT_MS = 30_000;
// Batches read ahead per worker: keeps the workers fed without holding the whole table in memory.
const IN_FLIGHT_PER_WORKER = 3;

/**
 * Checks rows 1..total in batches on worker threads while this thread reads them; blocks until done, so
 * verifyAudit stays synchronous. `readBatch(from, to)` returns rows from < seq <= to joined by newlines.
 * Returns null when the workers could not be used (the caller then walks the chain on this thread).
 */
export function checkInParallel(
  total: number,
  genesisHash: string,
  readBatch: (from: number, to: number) => string | null,
): ParallelOutcome | null {
  const batches = Math.ceil(total / AUDIT_BATCH_ROWS);
  // This thread reads (the larger share of the work) and keeps a core to itself; the other cores hash.
  // More workers than cores only makes them take turns with the reader.
  const count = Math.max(1, Math.min(availableParallelism() - 1, 3));
  const signal = new SharedArrayBuffer(4);
  const flag = new Int32Array(signal);
  const ports: MessagePort[] = [];
  const workers: Worker[] = [];
  try {
    try {
      for (let i = 0; i < count; i += 1) {
        const channel = new MessageChannel();
        ports.push(channel.port1);
        const worker = new Worker(WORKER_SOURCE, {
          eval: true,
          workerData: { port: channel.port2, signal },
          transferList: [channel.port2],
        });
        // An error would otherwise surface later as an uncaught event; a lost worker shows as a timeout here.
        worker.on("error", () => undefined);
        worker.unref();
        workers.push(worker);
      }
    } catch {
      // No threads to be had (a restricted runtime, say): verifying on this thread still gives the answer.
      return null;
    }
    const results: (BatchResult | undefined)[] = new Array(batches);
    let received = 0;
    const receive = (): boolean => {
      for (;;) {
        const seen = Atomics.load(flag, 0);
        for (const port of ports) {
          const message = receiveMessageOnPort(port);
          if (message) {
            const result = message.message as BatchResult;
            results[result.index] = result;
            received += 1;
            return true;
          }
        }
        if (Atomics.wait(flag, 0, seen, WAIT_MS) === "timed-out") return false;
      }
    };
    for (let index = 0; index < batches; index += 1) {
      while (index - received >= count * IN_FLIGHT_PER_WORKER) if (!receive()) return null;
      const from = index * AUDIT_BATCH_ROWS;
      const to = Math.min(from + AUDIT_BATCH_ROWS, total);
      const text = readBatch(from, to);
      workers[index % count]?.postMessage({ index, first: from + 1, count: to - from, text });
    }
    while (received < batches) if (!receive()) return null;
    let hashBefore = genesisHash;
    for (let index = 0; index < batches; index += 1) {
      const result = results[index];
      if (!result?.ok || result.firstPrev !== hashBefore) return { badBatch: index, hashBefore };
      hashBefore = result.lastHash;
    }
    return { badBatch: null, hashBefore };
  } finally {
    for (const worker of workers) void worker.terminate();
    for (const port of ports) port.close();
  }
}
