import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { AppError } from "../../../shared/contract/errors";
import type { GitopsSyncResult } from "../../../shared/contract/methods/gitops";
import { parsePolicy, parseSubmittedChange, type SubmittedChangeDoc } from "../../../shared/domain/policy/index";
import type { HandlerContext } from "../dispatch";
import type { RegisterAuditInput } from "../register/audit";
import type { ChangeFields } from "../register/change-rows";
import { insertChange } from "../register/change-rows";
import type { Db } from "../register/db";
import { numberedChanges } from "../register/ledger-reads";
import { setImportedLedgerFields } from "../register/ledger-writes";
import { judgeCommits, LOG_FORMAT, parseLog } from "./change-signatures";
import { git } from "./git";
import type { Outbox } from "./outbox";
import { fetchRemote, type GitopsRepo } from "./repo";
import { importRevisions } from "./revisions";
import { fetchOrStopOnConflict } from "./sync-conflict";
import type { SyncRunner } from "./sync-runner";
import { pinnedTrustRoot } from "./trust-pin";
import { verifyRepo } from "./verify/verify";

/** Where a sync reports its phases and that it heard from the remote. */
type SyncProgress = Pick<SyncRunner, "progress" | "heard">;

function fieldsOf(doc: SubmittedChangeDoc): ChangeFields {
  return {
    title: doc.title,
    description: "",
    type: doc.type,
    area: doc.area as ChangeFields["area"],
    plants: [...doc.plants],
    environment: doc.environment as ChangeFields["environment"],
    requester: { name: doc.requester.name, email: doc.requester.email },
    implementer: doc.implementer?.email ? { name: doc.implementer.name, email: doc.implementer.email } : null,
    window: doc.window?.start ? { start: doc.window.start, end: doc.window.end } : null,
    dbMigration: doc.dbMigration,
    rollbackPlan: doc.rollback,
    snapshotRef: null,
    checkpointRef: null,
    links: {},
    validation: [...doc.validation] as ChangeFields["validation"],
    template: doc.template ?? null,
  };
}

/**
 * Changes other laptops submitted become register rows (awaiting approval, numbered as in the repository), each
 * with its audit row. A change.yaml the register cannot take (unknown plant, malformed) is reported, not imported.
 */
/** CHG numbers named by a Change-Request trailer of a commit touching a protected path: changes already released. */
export async function releasedNumbers(repo: GitopsRepo): Promise<Set<string>> {
  const policyFile = join(repo.dir, ".shiftgate", "policy.yaml");
  if (!existsSync(policyFile)) return new Set();
  const globs = Object.values(parsePolicy(readFileSync(policyFile, "utf8")).environments)
    .filter((e) => e.protected)
    .flatMap((e) => e.paths);
  if (globs.length === 0) return new Set();
  const out = await git(repo.ctx, repo.dir, [
    "log",
    "--format=%(trailers:key=Change-Request,valueonly)",
    "HEAD",
    "--",
    ...globs.map((g) => `:(glob)${g}`),
  ]);
  return new Set(
    out.stdout
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean),
  );
}

function importChanges(
  db: Db,
  dir: string,
  ctx: HandlerContext,
  released: ReadonlySet<string>,
): { imported: { number: string; changeId: string }[]; skipped: string[] } {
  const root = join(dir, "changes");
  const imported: { number: string; changeId: string }[] = [];
  const skipped: string[] = [];
  if (!existsSync(root)) return { imported, skipped };
  const known = new Set(numberedChanges(db).map((r) => r.number));
  for (const number of readdirSync(root).sort()) {
    const file = join(root, number, "change.yaml");
    if (known.has(number) || !existsSync(file)) continue;
    try {
      // A change submitted straight from the register has no risk, implementer or window yet: it still travels.
      const doc = parseSubmittedChange(readFileSync(file, "utf8"), `changes/${number}/change.yaml`);
      const id = ctx.ids.next(ctx.clock.now());
      ctx.transact(() => {
        // A change another laptop already released is implementing here (the cluster capability validates and
        // closes it); one not yet assessed (no risk class) is submitted; a normal change with its risk class is
        // assessed until a signed request asks for approval (repo-requests.ts), as on the laptop that sent it; the
        // approvals capability settles a quorum met elsewhere. Emergency and standard changes wait as before.
        const status = released.has(number)
          ? "implementing"
          : !doc.risk
            ? "submitted"
            : doc.type === "normal"
              ? "assessed"
              : "awaiting-approval";
        insertChange(db, id, fieldsOf(doc), status, ctx.clock.now().toISOString());
        // The number is the repository's: the register's own numbering step would audit a second time.
        setImportedLedgerFields(db, id, { number, risk: doc.risk ?? null, artifact: doc.artifact ?? null });
        const entry: RegisterAuditInput = {
          action: "change.import",
          entity: "change",
          entityId: id,
          after: { number, title: doc.title, from: "gitops" },
          reason: "Submitted on another laptop; imported from the GitOps repository",
          // An automatic step of sync, whoever pressed Sync: the evidence is the change.yaml named above.
          actor: "system:gitops",
        };
        ctx.audit(entry);
      });
      imported.push({ number, changeId: id });
    } catch {
      skipped.push(number);
    }
  }
  return { imported, skipped };
}

/**
 * Where the register's last sync read the repository up to. Commits also arrive outside a sync: a push that finds
 * the remote moved on replays this laptop's commits on top of it, so HEAD then holds other laptops' commits (a
 * requester's revision, say) that no sync has read. The next sync reads from this mark, not from HEAD, or a revision
 * that arrived so would never reach the register (found by the three-laptop race, seed 4242).
 */
const IMPORTED_REF = "refs/shiftgate/imported";

async function importedUpTo(repo: GitopsRepo, head: string): Promise<string> {
  const mark = await git(repo.ctx, repo.dir, ["rev-parse", "--verify", "--quiet", `${IMPORTED_REF}^{commit}`], {
    okCodes: [1, 128],
  });
  const at = mark.code === 0 ? mark.stdout.trim() : "";
  if (!at || at === head) return head;
  // A mark HEAD does not descend from (a repository joined anew) is no starting point: HEAD is.
  const ancestor = await git(repo.ctx, repo.dir, ["merge-base", "--is-ancestor", at, head], { okCodes: [1, 128] });
  return ancestor.code === 0 ? at : head;
}

/**
 * Sync: pushes what this laptop has, fetches, fast-forwards the working copy and imports what others pushed.
 * Approvals, rejections, exceptions and reviews are read from the working copy by the approvals capability,
 * which counts a file only when its commit's signature verifies; the incoming commits are returned judged, so
 * an unverifiable one is shown as such.
 */
export async function syncRepo(
  db: Db,
  outbox: Outbox,
  ctx: HandlerContext,
  run: SyncProgress = { progress: () => undefined, heard: () => undefined },
): Promise<GitopsSyncResult> {
  const repo = outbox.repo;
  // First make sure what waits here can be replayed on what others pushed: a conflict stops before anything moves.
  await outbox.exclusive(() => fetchOrStopOnConflict(repo));
  run.heard();
  run.progress("pushing");
  const round = await outbox.push();
  run.progress("fetching");
  const { before, head, after } = await outbox.exclusive(async () => {
    const head = (await git(repo.ctx, repo.dir, ["rev-parse", "HEAD"])).stdout.trim();
    const read = await importedUpTo(repo, head);
    await fetchRemote(repo);
    run.heard();
    const upstream = `${repo.remote}/${repo.branch}`;
    const ahead = (await git(repo.ctx, repo.dir, ["rev-list", "--count", `${upstream}..HEAD`])).stdout.trim();
    if (ahead !== "0")
      throw new AppError(
        "git",
        `This laptop has ${ahead} commit(s) the remote does not have yet${round.error ? ` (${round.error.message})` : ""}; push them first.`,
        { reason: "unpushed" },
      );
    await git(repo.ctx, repo.dir, ["merge", "--quiet", "--ff-only", upstream], {
      doing: "update the GitOps working copy",
    });
    return { before: read, head, after: (await git(repo.ctx, repo.dir, ["rev-parse", "HEAD"])).stdout.trim() };
  });
  const log =
    before === after ? "" : (await git(repo.ctx, repo.dir, ["log", LOG_FORMAT, `${before}..${after}`])).stdout;
  const entries = parseLog(log);
  run.progress("importing");
  // Judged from the root this laptop pinned when it connected (the fetch already refused a tip not descending from it).
  const trustRoot = await pinnedTrustRoot(repo);
  const findings =
    entries.length > 0
      ? (await verifyRepo({ repo: repo.dir, now: ctx.clock.now(), trustRoot, ctx: repo.ctx })).findings
      : [];
  const judged = await judgeCommits(repo.ctx, repo.dir, entries, findings);
  // What this sync pulled is what the fetch brought (HEAD..after); the rest of the range came in by a push's replay.
  const fetched =
    head === before
      ? null
      : new Set((await git(repo.ctx, repo.dir, ["rev-list", `${head}..${after}`])).stdout.split("\n").filter(Boolean));
  const commits = fetched ? judged.filter((c) => fetched.has(c.sha)) : judged;
  const { imported, skipped } = importChanges(db, repo.dir, ctx, await releasedNumbers(repo));
  // Revisions of changes this register already holds, signed by their requesters elsewhere.
  const fresh = new Set(imported.map((i) => i.number));
  const revised = await importRevisions(db, repo, ctx, { before, after }, judged, fresh);
  await git(repo.ctx, repo.dir, ["update-ref", IMPORTED_REF, after]);
  if (imported.length + revised.length > 0) ctx.emit("register.changed", { entity: "change" });
  // What the screens must read again: after commits came in or went out, anything (the ledger moved); after a sync
  // that only heard the remote, the sync's own status. A sync runs on every focus and timer: were each one to
  // refresh every screen, it would also restart every read under way, and a cluster slower to answer than the syncs
  // come round would never show.
  ctx.emit("register.changed", { entity: before === after && round.pushed === 0 ? "sync" : "gitops" });
  return {
    head: after,
    pulled: commits.length,
    commits,
    unverified: commits.filter((c) => !c.verified).length,
    imported,
    skipped,
    pushed: round.pushed,
  };
}
