import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { AppError } from "../../../shared/contract/errors";
import { changeFileOwner, ownerReadsText, sameEmail } from "../../../shared/domain/policy/index";
import type { Clock } from "../clock";
import { auditHead } from "../register/audit-anchors";
import type { Db } from "../register/db";
import { withAuditHead } from "./audit-anchors";
import { commitFiles } from "./commit";
import { gitFailureReason } from "./git-errors";
import { clearStaleLocks, intentCommits, restorePaths, withIntentTrailer, workingCopyClean } from "./outbox-git";
import {
  findRow,
  heldNumbers,
  insertIntent,
  markAbandoned,
  markCommitted,
  markFailed,
  markPending,
  markPushed,
  type OutboxIntent,
  type OutboxRow,
  renumber,
  rowsIn,
} from "./outbox-store";
import { commitParents, readRef } from "./refs";
import { ensureClean, fetchRemote, type GitopsRepo, pushBranch } from "./repo";
import { repoPathEscape, repoPathProblem } from "./repo-path";
import { laterRevisionInHead } from "./revision-race";
import type { Signer } from "./signing";
import { pushSubmissions } from "./submissions";
import { type SupersededRecord, standingInHead, supersededReason } from "./superseded";
import { conflictError, replayConflicts } from "./sync-conflict";
import { nextChangeId } from "./writes";

/** Schedules a call later; returns how to cancel it. Injected so tests drive retries without waiting. */
export type OutboxTimer = (fn: () => void, ms: number) => () => void;

/** The machine's timer; unref'd so a pending retry never keeps a CLI process alive. */
export const systemTimer: OutboxTimer = (fn, ms) => {
  const handle = setTimeout(fn, ms);
  handle.unref?.();
  return () => clearTimeout(handle);
};

interface OutboxDeps {
  readonly db: Db;
  readonly repo: GitopsRepo;
  readonly clock: Clock;
  readonly newId: () => string;
  readonly timer: OutboxTimer;
  /** The key to re-sign a person's commit with (rebase after another laptop pushed), or null if unknown here. */
  readonly resolveSigner: (email: string, passphrase?: string) => Signer | null;
  /** A submission got a new number on push (another laptop took its number): the register follows. */
  readonly onRenumber?: (from: string, to: string) => void;
  /**
   * A person's record this laptop made was not sent because the ledger already holds theirs from another laptop
   * (superseded.ts): the outbox row is given up with the reason; the register records that the person was told.
   */
  readonly onSuperseded?: (record: SupersededRecord, changeNumber: string | null) => void;
  /** Push right after each commit (default true); tests of the commit step alone turn it off. */
  readonly autoPush?: boolean;
}

/** What one push round did. */
interface PushRound {
  readonly pushed: number;
  readonly pending: number;
  readonly error: { readonly code: string; readonly message: string; readonly reason: string | null } | null;
}

/** An intent's commit attempt: the commit, or null with the error kept (the row waits for a retry). */
export interface Committed {
  readonly id: string;
  readonly sha: string | null;
  readonly error: AppError | null;
}

/** What `recordThenCommit` did: the caller's transaction result, and the commit of the intent it recorded. */
export interface Recorded<T> extends Committed {
  readonly value: T;
}

/** The outbox: commits recorded as intents, made in the working copy, pushed with retries. */
export interface Outbox {
  readonly repo: GitopsRepo;
  /** Records the intent, commits it and schedules the push. Returns the commit, or null with the error kept. */
  enqueue(intent: OutboxIntent): Promise<Committed>;
  /**
   * Runs the caller's register transaction, which must call `write` inside it to record the intent, then makes
   * the intent's signed commit with the key (and passphrase) in hand and schedules the push. The intent and the
   * caller's rows commit or roll back together; git runs only after the transaction has committed, and a crash
   * between the two leaves a pending intent that `recover` commits. Both steps run under the working copy's lock,
   * so no background round commits the intent first without the passphrase. `id` defaults to a new ULID.
   */
  recordThenCommit<T>(
    intent: OutboxIntent | (() => OutboxIntent),
    transaction: (write: () => string) => T,
    id?: string,
  ): Promise<Recorded<T>>;
  /** Commits what is pending and pushes what is committed, now. */
  push(passphrase?: string): Promise<PushRound>;
  /** After a crash or restart: clears stale locks, reconciles rows with the branch, then pushes. */
  recover(): Promise<PushRound>;
  /** Calls listener after every round that put commits on the remote (the auto-sync follows a push); returns off. */
  onPushed(listener: () => void): () => void;
  /**
   * The next change number for a new change (call it holding the working copy, in `exclusive`): above every folder
   * and every number an intent of this laptop carries, committed or not, so no two changes share one.
   */
  nextNumber(year: number): string;
  /** Whether a change number is taken here: its folder exists or an intent of this laptop carries it. */
  holds(number: string): boolean;
  /** Runs fn with the working copy to itself (sync, submission), between outbox rounds. */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * Starts reading whether the working copy is clean for a commit about to follow (while its record is signed):
   * the commit uses that reading if the branch has not moved and little time has passed, else reads again.
   * Resolves once the reading is taken; a caller need not wait for it.
   */
  lookAhead(): Promise<void>;
  /**
   * Null when no git work of the outbox is under way; otherwise a promise that settles once every piece of it
   * (queued or running: a commit, a push, a sync's fetch) has ended, so a closing core can let it finish.
   */
  settled(): Promise<void> | null;
  stop(): void;
}

const MAX_DELAY = 5 * 60_000;
/** How long a working-copy reading taken ahead of a commit may stand in for one taken at the commit. */
const AHEAD_MS = 2_000;

/** Retry delay after n failed attempts: 2 s, 4 s, 8 s … capped at five minutes. */
export function backoff(attempts: number): number {
  return Math.min(MAX_DELAY, 2000 * 2 ** Math.max(0, attempts - 1));
}

function errorOf(error: unknown): AppError {
  return error instanceof AppError ? error : new AppError("git", (error as Error)?.message ?? String(error));
}

/** Whether `email` may write `path` in the ledger as the working copy holds it (the append-only rule, as verify's). */
function mayWriteIn(dir: string, path: string, email: string): boolean {
  const rest = /^changes\/[^/]+\/(.+)$/.exec(path)?.[1] ?? (path.startsWith("meetings/") ? path : null);
  if (rest === null) return true;
  const abs = join(dir, path);
  if (!existsSync(abs)) return true;
  const owner = changeFileOwner(rest, ownerReadsText(rest) ? readFileSync(abs, "utf8") : "");
  return owner !== null && sameEmail(owner, email);
}

/** Builds the outbox over a register and a working copy. */
export function createOutbox(deps: OutboxDeps): Outbox {
  const { db, repo, clock } = deps;
  const mayWrite = (path: string, email: string) => mayWriteIn(repo.dir, path, email);
  let chain: Promise<unknown> = Promise.resolve();
  let cancel: (() => void) | null = null;
  let stopped = false;
  const pushedListeners = new Set<() => void>();

  // Pieces of work queued or running on the working copy: what a closing core waits for.
  let running = 0;
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    running++;
    const next = chain.then(fn, fn).finally(() => {
      running--;
    });
    chain = next.catch(() => undefined);
    return next;
  };
  const drained = async (): Promise<void> => {
    // Work queued by the work itself (a retry, a push after a commit) joins the chain: wait until none is left.
    while (running > 0) await chain;
  };

  const schedule = (ms: number) => {
    if (stopped) return;
    cancel?.();
    cancel = deps.timer(() => {
      cancel = null;
      void push().catch(() => undefined);
    }, ms);
  };

  const fail = (rows: readonly OutboxRow[], error: AppError) => {
    const attempts = Math.max(0, ...rows.map((r) => r.attempts)) + 1;
    const next = new Date(clock.now().getTime() + backoff(attempts));
    markFailed(
      db,
      rows.map((r) => r.id),
      error.message,
      next,
    );
    schedule(backoff(attempts));
  };

  // The branch and the remote-tracking ref as this outbox last left them, read from the ref files (no process). While
  // both are as it left them, no one else moved them and its rows already agree with the branch, so a round skips
  // the two history reads. Null (a new core, a sync, another process's commit, refs the files cannot say): reconcile.
  const tracking = `refs/remotes/${repo.remote}/${repo.branch}`;
  let settled: string | null = null;
  const refsNow = (): string | null => {
    const head = readRef(repo.dir, "HEAD");
    const remote = readRef(repo.dir, tracking);
    return head === undefined || remote === undefined ? null : `${head} ${remote}`;
  };

  // Commits this outbox made on the branch as it had settled it, each held to the append-only rule when it was made
  // (commit → the HEAD it was made on): a push whose outgoing commits are all such needs no history read to check.
  const ownCommits = new Map<string, string>();
  // The working copy's state read ahead, while the click's record is being signed: used by the commit that follows
  // on the same settled branch within moments, else read again. Reading it takes no lock (git's optional index
  // refresh is off), so it cannot get in the way of a round that holds the working copy.
  let ahead: { readonly refs: string; readonly at: number; readonly clean: Promise<boolean> } | null = null;
  const lookAhead = (): Promise<void> => {
    const refs = refsNow();
    if (refs === null || refs !== settled) return Promise.resolve();
    const clean = workingCopyClean(repo, { lockFree: true }).catch(() => false);
    ahead = { refs, at: performance.now(), clean };
    return clean.then(() => undefined);
  };
  const cleanNow = async (): Promise<boolean> => {
    const read = ahead;
    ahead = null;
    if (read && read.refs === refsNow() && performance.now() - read.at < AHEAD_MS) return read.clean;
    return workingCopyClean(repo);
  };

  const outgoingChecked = (): boolean => {
    const head = readRef(repo.dir, "HEAD");
    const remote = readRef(repo.dir, tracking);
    if (!head || !remote) return false;
    let at: string | undefined = head;
    for (let hops = 0; at !== undefined && at !== remote && hops <= ownCommits.size; hops++) at = ownCommits.get(at);
    return at === remote;
  };

  // The branch is the truth: a row whose trailer is in HEAD is committed, one on the remote branch is pushed.
  const reconcile = async () => {
    const now = refsNow();
    if (now !== null && now === settled) return;
    const open = rowsIn(db, ["pending", "committed"]);
    if (open.length > 0) {
      const local = await intentCommits(repo, "HEAD");
      const remote = await intentCommits(repo, tracking);
      for (const row of open) {
        const pushedSha = remote.get(row.id);
        const localSha = local.get(row.id);
        if (pushedSha) markPushed(db, row.id, pushedSha, clock.now());
        else if (localSha) {
          if (row.state === "pending") markCommitted(db, row.id, localSha);
        } else if (row.state === "committed") markPending(db, row.id);
      }
    }
    // Settled only once the rows agree with the branch: a read that failed leaves the next round to reconcile.
    settled = now;
  };

  const giveUp = (id: string, record: SupersededRecord) => {
    const row = findRow(db, id);
    if (!row || row.state === "pushed" || row.state === "abandoned") return;
    markAbandoned(db, id, supersededReason(record));
    deps.onSuperseded?.(record, row.changeNumber);
  };

  // Returns the commit, or null when the record was given up because the ledger already answers it.
  const commitRow = async (row: OutboxRow, signer: Signer): Promise<string | null> => {
    // A row an older version recorded with an unsafe path can never be committed: retrying it would only fail
    // again every few minutes. It is given up at once (shown as abandoned with why) and git never sees the path.
    const problem = (path: string) => repoPathProblem(path) ?? repoPathEscape(repo.dir, path);
    const unsafe = row.files.find((f) => problem(f.path) !== null);
    if (unsafe) {
      const reason = `Never committed: ${unsafe.path} is not a file Shiftgate may write (${problem(unsafe.path)}).`;
      markAbandoned(db, row.id, reason);
      throw new AppError("invalid-input", reason, { reason: "unsafe-path", path: unsafe.path });
    }
    // A half-made commit (crash between writing files and committing) leaves only this row's own paths dirty; a
    // clean working copy (every click but the first after such a crash) needs neither the undo nor a second look.
    if (!(await cleanNow())) {
      await restorePaths(
        repo,
        row.files.map((f) => f.path),
      );
      await ensureClean(repo);
    }
    const [only] = row.files;
    const standing =
      row.kind === "review" && row.files.length === 1 && only
        ? await standingInHead(repo, only.path, only.content, row.signer.email)
        : null;
    const later =
      !standing && row.kind === "submission" && row.message.startsWith("Revise ") && only
        ? await laterRevisionInHead(repo, only.path, row.signer.email, row.createdAt)
        : null;
    if (standing ?? later) {
      giveUp(row.id, (standing ?? later) as SupersededRecord);
      return null;
    }
    try {
      const before = refsNow();
      // The working copy is HEAD here (clean): its files say whether this commit writes only what its signer owns.
      const owned = before !== null && before === settled && row.files.every((f) => mayWrite(f.path, row.signer.email));
      const sha = await commitFiles(
        repo,
        signer,
        row.files,
        withIntentTrailer(withAuditHead(row.message, auditHead(db)), row.id),
        // Dated when the action was taken (the core's clock), not when git ran: verify judges a release's window
        // by this date, as the register judged it when it allowed the release.
        new Date(row.createdAt),
      );
      markCommitted(db, row.id, sha);
      // Its own commit, made right on the HEAD it had settled (its parent, read from the new object, says so: no
      // other commit slipped in between): still settled, and held to the append-only rule above.
      const head = before?.split(" ")[0] ?? "";
      const parents = before !== null && before === settled ? commitParents(repo.dir, sha) : undefined;
      const onSettled = parents?.length === 1 && parents[0] === head;
      settled = onSettled ? refsNow() : null;
      if (onSettled && owned) ownCommits.set(sha, head);
      return sha;
    } catch (error) {
      if (error instanceof AppError && error.details?.reason === "no-change") {
        markAbandoned(db, row.id, "The repository already holds this record with the same content.");
      }
      throw error;
    }
  };

  const signerFor = (row: OutboxRow, passphrase?: string): Signer => {
    // The row keeps the key that signed the record; only the passphrase has to come again.
    if (passphrase === undefined) return row.signer;
    return { ...row.signer, key: { ...row.signer.key, passphrase } };
  };

  const pushCommitted = async (passphrase?: string): Promise<PushRound> => {
    const committed = rowsIn(db, ["committed"]);
    const pending = rowsIn(db, ["pending"]).length;
    if (committed.length === 0) return { pushed: 0, pending, error: null };
    let replayed = false;
    try {
      try {
        await pushBranch(repo, { checked: outgoingChecked() });
      } catch (error) {
        if (gitFailureReason(error) !== "non-fast-forward") throw error;
        replayed = true;
        await fetchRemote(repo);
        // A replay that cannot succeed is said in words (which files, who, which laptop), not as git's rebase output.
        const conflicts = await replayConflicts(repo);
        if (conflicts.length > 0)
          throw conflictError(conflicts, "The commits stay on this laptop, unchanged, and are retried later.");
        // Each committer's commits are signed again with the key their outbox row recorded (the key they chose on
        // this laptop, wherever it lives), else the key the laptop holds for them; a submission whose number was
        // taken is renumbered, whoever else signed commits after it.
        const recorded = new Map(committed.map((r) => [r.signer.email.toLowerCase(), signerFor(r, passphrase)]));
        const { renumbered, superseded } = await pushSubmissions(
          repo,
          (email) => recorded.get(email.toLowerCase()) ?? deps.resolveSigner(email, passphrase),
          { clock, held: () => heldNumbers(db) },
        );
        for (const record of superseded) if (record.intent) giveUp(record.intent, record);
        for (const [from, to] of Object.entries(renumbered)) {
          db.transaction(() => {
            renumber(db, from, to);
            deps.onRenumber?.(from, to);
          }).immediate();
        }
      }
    } catch (error) {
      const e = errorOf(error);
      fail(committed, e);
      return { pushed: 0, pending: pending + committed.length, error: view(e) };
    }
    // Pushed as committed (a fast-forward): each row's own commit is what went out. After a replay the commits
    // were made again, and the branch says which commit now carries each row.
    const direct = !replayed && committed.every((r) => r.sha);
    const onBranch = direct ? new Map(committed.map((r) => [r.id, r.sha ?? ""])) : await intentCommits(repo, "HEAD");
    let pushed = 0;
    for (const row of committed) {
      const sha = onBranch.get(row.id);
      if (sha) {
        markPushed(db, row.id, sha, clock.now());
        pushed++;
      }
    }
    ownCommits.clear();
    // Every row found on the branch: rows and refs agree. A row left out (given up in a replay): reconcile next round.
    settled = pushed === committed.length ? refsNow() : null;
    if (pushed > 0) for (const listener of pushedListeners) listener();
    return { pushed, pending, error: null };
  };

  const round = async (passphrase?: string): Promise<PushRound> => {
    try {
      await reconcile();
    } catch (error) {
      // The working copy cannot even be read (corrupt object, vanished folder): every open row waits for repair.
      const open = rowsIn(db, ["pending", "committed"]);
      const e = errorOf(error);
      if (open.length > 0) fail(open, e);
      return { pushed: 0, pending: open.length, error: view(e) };
    }
    let firstError: AppError | null = null;
    for (const row of rowsIn(db, ["pending"])) {
      try {
        await commitRow(row, signerFor(row, passphrase));
      } catch (error) {
        const e = errorOf(error);
        firstError ??= e;
        const fresh = findRow(db, row.id);
        if (fresh?.state === "pending") fail([fresh], e);
      }
    }
    const result = await pushCommitted(passphrase);
    return firstError && !result.error ? { ...result, error: view(firstError) } : result;
  };

  const push = (passphrase?: string) => exclusive(() => round(passphrase));

  // Commits a recorded intent with the signer in hand (called holding the working copy's lock).
  const commitRecorded = async (id: string, signer: Signer): Promise<Committed> => {
    const row = findRow(db, id);
    if (!row) throw new AppError("internal", "The outbox lost a row it had just written.");
    // A round that ran while this call waited for the working copy may have committed the row already.
    if (row.state !== "pending") return { id, sha: row.sha, error: null };
    try {
      const sha = await commitRow(row, signer);
      if (sha && deps.autoPush !== false) schedule(0);
      return { id, sha, error: null };
    } catch (error) {
      const e = errorOf(error);
      const fresh = findRow(db, id);
      if (fresh?.state === "pending") fail([fresh], e);
      return { id, sha: null, error: e };
    }
  };

  return {
    repo,
    exclusive,
    lookAhead,
    push,
    recover: () =>
      exclusive(async () => {
        await clearStaleLocks(repo);
        return round();
      }),
    enqueue: async (intent) => {
      const id = deps.newId();
      db.transaction(() => insertIntent(db, id, intent, clock.now())).immediate();
      return exclusive(() => commitRecorded(id, intent.signer));
    },
    recordThenCommit: (intent, transaction, id = deps.newId()) =>
      exclusive(async () => {
        const written: { intent: OutboxIntent | null } = { intent: null };
        const value = transaction(() => {
          // Outside a transaction the intent could outlive a failure of the rows it belongs with.
          if (!db.inTransaction)
            throw new AppError("internal", "An outbox intent is written inside the transaction of what it records.");
          // An intent made here (a function) sees the rows the transaction wrote so far, e.g. a change's number.
          const made = typeof intent === "function" ? intent() : intent;
          insertIntent(db, id, made, clock.now());
          written.intent = made;
          return id;
        });
        if (!written.intent) throw new AppError("internal", "The transaction did not record its outbox intent.");
        return { value, ...(await commitRecorded(id, written.intent.signer)) };
      }),
    nextNumber: (year) => nextChangeId(repo.dir, year, heldNumbers(db)),
    holds: (number) => existsSync(join(repo.dir, "changes", number)) || heldNumbers(db).includes(number),
    onPushed: (listener) => {
      pushedListeners.add(listener);
      return () => pushedListeners.delete(listener);
    },
    settled: () => (running > 0 ? drained() : null),
    stop: () => {
      stopped = true;
      cancel?.();
      cancel = null;
    },
  };
}

function view(e: AppError): PushRound["error"] {
  const reason = e.details?.reason;
  return { code: e.code, message: e.message, reason: typeof reason === "string" ? reason : null };
}
