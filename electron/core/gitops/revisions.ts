import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { GitopsSignedCommit } from "../../../shared/contract/methods/gitops";
import { parseSubmittedChange, type SubmittedChangeDoc } from "../../../shared/domain/policy/index";
import type { HandlerContext } from "../dispatch";
import type { RegisterAuditInput } from "../register/audit";
import { artifactOf, type ChangeFields, type ChangeRow, rowFields, updateChangeFields } from "../register/change-rows";
import type { Db } from "../register/db";
import { liveChangeOfNumber } from "../register/ledger-reads";
import { setImportedRevision } from "../register/ledger-writes";
import { canonicalChangeYaml } from "./change-doc";
import { git } from "./git";
import type { GitopsRepo } from "./repo";

// A revision moves a change back to waiting for decisions: the approvals signed before linked the old bytes.
const REOPENED = new Set(["submitted", "assessed", "awaiting-approval", "approved", "scheduled", "rejected"]);

/** The artifact a register row names, in change.yaml's shape (what its submission wrote). */
export function submittedArtifact(row: ChangeRow): { image: string; tag?: string; digest?: string } | undefined {
  const a = artifactOf(row.artifact);
  return a
    ? { image: a.image, ...(a.tag ? { tag: a.tag } : {}), ...(a.digest ? { digest: a.digest } : {}) }
    : undefined;
}

function revisedFields(row: ChangeRow, doc: SubmittedChangeDoc): ChangeFields {
  const f = rowFields(row);
  return {
    ...f,
    title: doc.title,
    area: doc.area as ChangeFields["area"],
    plants: [...doc.plants],
    environment: doc.environment as ChangeFields["environment"],
    implementer: doc.implementer?.email ? { name: doc.implementer.name, email: doc.implementer.email } : null,
    window: doc.window?.start ? { start: doc.window.start, end: doc.window.end } : null,
    dbMigration: doc.dbMigration,
    rollbackPlan: doc.rollback,
    validation: [...doc.validation] as ChangeFields["validation"],
  };
}

/**
 * Revisions other laptops pushed: a change.yaml of a change this register already holds, rewritten in the pulled
 * commits by a commit signed (and verified) by the change's own requester, becomes the register's change: its
 * fields, risk class and artifact, and a state that waits for decisions on the new bytes. A register row in draft
 * (its requester editing here) is left alone. Returns the CHG numbers taken.
 */
export async function importRevisions(
  db: Db,
  repo: GitopsRepo,
  ctx: HandlerContext,
  range: { readonly before: string; readonly after: string },
  commits: readonly GitopsSignedCommit[],
  /** Changes this sync imported just now, as their change.yaml stands: nothing to revise. */
  fresh: ReadonlySet<string> = new Set(),
): Promise<string[]> {
  if (range.before === range.after) return [];
  const changed = (
    await git(repo.ctx, repo.dir, ["diff", "--name-only", range.before, range.after, "--", "changes/*/change.yaml"])
  ).stdout
    .split("\n")
    .map((p) => /^changes\/([^/]+)\/change\.yaml$/.exec(p)?.[1])
    .filter((n): n is string => Boolean(n));
  const taken: string[] = [];
  for (const number of changed.filter((n) => !fresh.has(n))) {
    const row = liveChangeOfNumber(db, number);
    if (!row || row.status === "draft") continue;
    const path = `changes/${number}/change.yaml`;
    const text = readFileSync(join(repo.dir, path), "utf8");
    if (canonicalChangeYaml(row, submittedArtifact(row)) === text) continue;
    const last = (
      await git(repo.ctx, repo.dir, ["log", "-1", "--format=%H", `${range.before}..${range.after}`, "--", path])
    ).stdout.trim();
    const judged = commits.find((c) => c.sha === last);
    try {
      const doc = parseSubmittedChange(text, path);
      const requester = row.requester_email.toLowerCase();
      const by = judged?.verified ? [judged.signer.email, judged.keyOwner ?? ""].map((e) => e.toLowerCase()) : [];
      if (by.some((e) => e !== requester) || by.length === 0 || doc.requester.email.toLowerCase() !== requester)
        continue;
      ctx.transact(() => {
        const at = ctx.clock.now().toISOString();
        updateChangeFields(db, row.id, revisedFields(row, doc), at);
        // A revised normal change needs asking again (a request names the change.yaml it asked about).
        const waiting = row.type === "normal" ? "assessed" : "awaiting-approval";
        const status = REOPENED.has(row.status) ? (doc.risk ? waiting : "submitted") : row.status;
        setImportedRevision(db, row.id, { risk: doc.risk ?? null, artifact: doc.artifact ?? null, status });
        const entry: RegisterAuditInput = {
          action: "change.revise.import",
          entity: "change",
          entityId: row.id,
          before: { status: row.status, title: row.title },
          after: { number, status, title: doc.title, commit: last },
          reason: "Revised by its requester on another laptop; imported from the GitOps repository",
          // An automatic step of sync; the evidence is the requester's signed commit named above.
          actor: "system:gitops",
        };
        ctx.audit(entry);
      });
      taken.push(number);
    } catch {
      // A change.yaml the register cannot take is verify's finding; the register keeps what it had.
    }
  }
  return taken;
}
