import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type Database from "better-sqlite3";

/**
 * Registers up to this size have every page checked (quick_check) before they are opened for writing: a 66 MB
 * file took 0.27 s on the loaded build machine. The bench's 100,000-change / 1,000,000-audit-row register took
 * 7.6 s, far too long to hold the window; a larger register is checked on a worker thread after opening
 * instead, and accepts no write until that check has passed. (quick_check(N) would not help: N caps the
 * errors reported, not the pages read.)
 */
export const PAGE_CHECK_AT_OPEN_MAX_BYTES = 64 * 1024 * 1024;

/** Where the page check of an open register stands. */
interface PageCheck {
  /** Settles (never rejects) when the check is over. */
  readonly done: Promise<void>;
  /** The problems quick_check reported (empty when every page is sound); null while it runs. */
  problems(): readonly string[] | null;
  stop(): void;
}

/** A page check that already happened (at open, before any write). */
export const checkedAtOpen: PageCheck = { done: Promise.resolve(), problems: () => [], stop: () => undefined };

/** Runs quick_check and returns what it found besides "ok"; a read that hits a damaged page counts as found. */
export function quickCheck(db: Database.Database): readonly string[] {
  try {
    const rows = db.pragma("quick_check(10)", { simple: false }) as { quick_check: string }[];
    return rows.map((r) => r.quick_check).filter((p) => p !== "ok");
  } catch (error) {
    const code = String((error as { code?: unknown }).code ?? "");
    if (/^SQLITE_(CORRUPT|NOTADB)/.test(code)) return [(error as Error).message];
    throw error;
  }
}

// Built from source text so no worker file has to be found on disk (tsx, vitest and the Electron bundle alike);
// it loads the same better-sqlite3 (and native binding) as this thread and opens its own read-only connection.
const WORKER_SOURCE = `
const { workerData, parentPort } = require("node:worker_threads");
const Database = require(workerData.modulePath);
let db;
try {
  db = new Database(workerData.file, { readonly: true, fileMustExist: true, nativeBinding: workerData.nativeBinding, timeout: workerData.timeoutMs });
  const rows = db.pragma("quick_check(10)");
  parentPort.postMessage({ problems: rows.map((r) => r.quick_check).filter((p) => p !== "ok") });
} catch (error) {
  const code = String((error && error.code) || "");
  if (/^SQLITE_(CORRUPT|NOTADB)/.test(code)) parentPort.postMessage({ problems: [String(error.message)] });
  else parentPort.postMessage({ failed: String((error && error.message) || error) });
} finally {
  if (db) db.close();
}
`;

/**
 * Checks every page of an open register on a worker thread. If the worker cannot run the check, it runs on
 * `fallback` (this thread's connection) instead: a register is never left unchecked.
 */
export function checkPagesInBackground(
  file: string,
  options: { readonly nativeBinding?: string; readonly timeoutMs: number },
  fallback: () => readonly string[],
): PageCheck {
  let found: readonly string[] | null = null;
  let worker: Worker | undefined;
  const done = new Promise<void>((resolve) => {
    const settle = (problems: readonly string[]) => {
      found ??= problems;
      resolve();
    };
    const runHere = () => {
      try {
        settle(fallback());
      } catch (error) {
        settle([`the register could not be checked: ${(error as Error).message}`]);
      }
    };
    try {
      worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: {
          file,
          modulePath: createRequire(import.meta.url).resolve("better-sqlite3"),
          nativeBinding: options.nativeBinding,
          timeoutMs: options.timeoutMs,
        },
      });
    } catch {
      runHere();
      return;
    }
    // The check must not keep a CLI process alive once its command is done.
    worker.unref();
    worker.once("message", (m: { problems?: string[]; failed?: string }) =>
      m.problems ? settle(m.problems) : runHere(),
    );
    worker.once("error", runHere);
    worker.once("exit", () => {
      if (found === null) runHere();
    });
  });
  return {
    done,
    problems: () => found,
    stop: () => {
      found ??= [];
      void worker?.terminate();
    },
  };
}
