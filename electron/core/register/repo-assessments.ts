import { parseAssessment } from "../../../shared/domain/policy/assessment-file";
import type { HandlerContext } from "../dispatch";
import type { GitContext } from "../gitops/git";
import { signedFileCommit } from "../gitops/repo-approvals";
import type { Trust } from "../identity/trust";
import type { RegisterAuditInput } from "./audit";
import type { Db } from "./db";
import { insertImportedAssessment } from "./ledger-writes";
import { latestAssessment } from "./queries";
import { changeRecordFiles } from "./repo-files";

/**
 * Risk assessments other laptops committed (changes/<ID>/assessments/*.yaml) become the register's assessment in
 * force, answers, breakdown and score as signed, so the decision view shows what the assessor's laptop shows. A file
 * counts only when the commit that last wrote it is signed by the key of the assessor it names; one older than the
 * assessment this register holds is history, not imported (the latest is the one in force). Returns the paths taken.
 */
export async function importRepoAssessments(
  db: Db,
  trust: Trust,
  ctx: HandlerContext,
  gitCtx: GitContext,
): Promise<string[]> {
  const repoDir = trust.repoDir;
  const imported: string[] = [];
  if (!repoDir) return imported;
  const numbered = db
    .prepare("SELECT id, number, status FROM changes WHERE number IS NOT NULL AND deleted_at IS NULL ORDER BY number")
    .all() as { id: string; number: string; status: string }[];
  for (const { id, number, status } of numbered) {
    // A draft here is being edited by its requester on this laptop: what they assess next is theirs.
    if (status === "draft") continue;
    const docs = changeRecordFiles(repoDir, number, "assessments", parseAssessment).sort(
      (x, y) => Date.parse(x.doc.assessedAt) - Date.parse(y.doc.assessedAt),
    );
    for (const { path, doc } of docs) {
      const held = latestAssessment(db, id);
      if (held && Date.parse(held.assessedAt) >= Date.parse(doc.assessedAt)) continue;
      const signed = await signedFileCommit(repoDir, path, doc.assessedBy.email, trust, gitCtx);
      if (!signed) continue;
      const email = doc.assessedBy.email.toLowerCase();
      ctx.transact(() => {
        insertImportedAssessment(db, {
          id: ctx.ids.next(ctx.clock.now()),
          changeId: id,
          questionnaireVersion: doc.questionnaireVersion,
          answers: doc.answers,
          breakdown: { items: doc.breakdown, floors: doc.floors },
          score: doc.score,
          riskClass: doc.riskClass,
          assessedBy: email,
          assessedAt: doc.assessedAt,
        });
        const entry: RegisterAuditInput = {
          action: "risk.assess.import",
          entity: "change",
          entityId: id,
          before: held ? { riskClass: held.riskClass, score: held.score } : null,
          after: { number, path, riskClass: doc.riskClass, score: doc.score, assessedBy: email, commit: signed.commit },
          reason: "Assessed on another laptop; imported from the GitOps repository",
          // An automatic step of sync: the evidence is the assessor's signed file named above.
          actor: "system:gitops",
        };
        ctx.audit(entry);
      });
      imported.push(path);
    }
  }
  return imported;
}
