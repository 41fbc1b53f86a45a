import { parseAssessment } from "../../../shared/domain/policy/assessment-file";
import type { HandlerContext } from "../dispatch";
import type { GitContext } from "../gitops/git";
import type { Trust } from "../identity/trust";
import type { Db } from "./db";
import { insertImportedAssessment } from "./ledger-writes";
import { latestAssessment } from "./queries";
import { auditImported, importChangeRecords } from "./repo-files";

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
  const held = (id: string) => latestAssessment(db, id);
  return importChangeRecords(
    trust,
    gitCtx,
    () =>
      (
        db
          .prepare(
            "SELECT id, number, status FROM changes WHERE number IS NOT NULL AND deleted_at IS NULL ORDER BY number",
          )
          .all() as { id: string; number: string; status: string }[]
      ).filter(
        // A draft here is being edited by its requester on this laptop: what they assess next is theirs.
        (row) => row.status !== "draft",
      ),
    {
      kind: "assessments",
      parse: parseAssessment,
      order: (x, y) => Date.parse(x.assessedAt) - Date.parse(y.assessedAt),
      signer: (doc) => doc.assessedBy.email,
      admits: ({ id }, doc) => {
        const before = held(id);
        return !before || Date.parse(before.assessedAt) < Date.parse(doc.assessedAt);
      },
      take: ({ id, number }, { path, doc, commit }) => {
        const email = doc.assessedBy.email.toLowerCase();
        const before = held(id);
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
          auditImported(ctx, {
            action: "risk.assess.import",
            entity: "change",
            entityId: id,
            before: before ? { riskClass: before.riskClass, score: before.score } : null,
            after: { number, path, riskClass: doc.riskClass, score: doc.score, assessedBy: email, commit },
            reason: "Assessed on another laptop; imported from the GitOps repository",
          });
        });
        return true;
      },
      failure: "throw",
    },
  );
}
