import { existsSync } from "node:fs";
import { join } from "node:path";
import type { RiskAssessment } from "../../../shared/contract/index";
import { type AssessmentDoc, assessmentPath, writeAssessment } from "../../../shared/domain/policy/assessment-file";
import type { FileWrite } from "../gitops/commit";
import { messageWithTrailers } from "../gitops/commit";
import type { OutboxIntent } from "../gitops/outbox-store";
import { selectedKey } from "../identity/identity";
import { type KeyRef, parseKeyRef, serialiseKeyRef, signingKey } from "../identity/key-ref";
import type { CoreServices } from "../services";
import type { ChangeRow } from "./change-rows";
import type { Db } from "./db";
import { latestAssessment } from "./queries";
import { publishRecord, recordSigning } from "./record-publish";

/** Where an assessment goes besides the register: runs the transaction that hands it over, then the signed commit. */
interface AssessmentPublication {
  run<T>(transaction: (written: (assessment: RiskAssessment) => void) => T): Promise<T>;
}

export type AssessmentPublisher = (row: ChangeRow, actor: string) => AssessmentPublication | null;

/** The assessment file of a register assessment of change `number`. */
export function assessmentFile(number: string, a: RiskAssessment, name: string): FileWrite {
  const doc: AssessmentDoc = {
    change: number,
    questionnaireVersion: a.questionnaireVersion,
    answers: a.answers,
    breakdown: a.breakdown,
    floors: a.floors,
    score: a.score,
    riskClass: a.riskClass,
    assessedBy: { name, email: a.assessedBy },
    assessedAt: a.assessedAt,
  };
  return { path: assessmentPath(number, a.assessedBy, a.assessedAt), content: writeAssessment(doc) };
}

/**
 * An assessment of a change already in the repository becomes a signed file there (changes/<ID>/assessments/...),
 * committed through the outbox in the register transaction pattern gates use. Only the proved key holder's own
 * assessment travels: one saved under another name stays on this laptop.
 */
export function gitopsAssessmentPublisher(
  services: CoreServices,
  proved: () => string,
  nameOf: (email: string) => string | null,
): AssessmentPublisher {
  return (row, actor) => {
    const key = selectedKey(services.register.db);
    // Not in the repository yet: the assessor's key is remembered, and the submission publishes it signed by them.
    if (!row.number && services.gitopsDir && key && proved().toLowerCase() === actor.toLowerCase())
      return rememberKey(services.register.db, row.id, key);
    const signing = recordSigning(services, proved, nameOf, row, actor);
    if (!signing) return null;
    const { number, signer, outbox } = signing;
    return {
      run: (transaction) =>
        publishRecord(outbox, "assessment", transaction, (a: RiskAssessment) => {
          const subject = `Assess ${number}: ${a.riskClass} (score ${a.score})`;
          return {
            // Part of the change as submitted: no outbox kind of its own (that would need a migration).
            kind: "submission",
            changeNumber: number,
            subject,
            files: [assessmentFile(number, a, signer.name)],
            message: messageWithTrailers(subject, [
              ["Change-Request", number],
              ["Assessed-by", `${signer.name} <${actor}>`],
            ]),
            signer,
          };
        }),
    };
  };
}

// The transaction's assessment keeps the key its proved assessor holds (the reference only, never a passphrase).
function rememberKey(db: Db, changeId: string, key: KeyRef): AssessmentPublication {
  return {
    run: async (transaction) =>
      transaction(() => {
        db.prepare(
          "UPDATE risk_assessments SET signer_key = ? WHERE rowid = (SELECT max(rowid) FROM risk_assessments WHERE change_id = ?)",
        ).run(serialiseKeyRef(key), changeId);
      }),
  };
}

/**
 * The outbox intent that publishes a change's assessment in force made before it was numbered by someone other than
 * the person submitting it: its own commit, signed with the key its assessor proved when saving it. Null when the
 * assessment is the submitter's (it goes in the submission commit), was saved without a proved key, or is there.
 */
export function assessorIntent(
  db: Db,
  dir: string,
  row: ChangeRow,
  number: string,
  submitter: string,
  nameOf: (email: string) => string,
): OutboxIntent | null {
  const a = latestAssessment(db, row.id);
  if (!a || a.assessedBy.toLowerCase() === submitter.toLowerCase()) return null;
  const stored = db
    .prepare("SELECT signer_key FROM risk_assessments WHERE change_id = ? ORDER BY rowid DESC LIMIT 1")
    .pluck()
    .get(row.id);
  if (typeof stored !== "string") return null;
  const name = nameOf(a.assessedBy);
  const file = assessmentFile(number, a, name);
  if (existsSync(join(dir, file.path))) return null;
  const subject = `Assess ${number}: ${a.riskClass} (score ${a.score})`;
  return {
    kind: "submission",
    changeNumber: number,
    subject,
    files: [file],
    message: messageWithTrailers(subject, [
      ["Change-Request", number],
      ["Assessed-by", `${name} <${a.assessedBy}>`],
    ]),
    signer: { name, email: a.assessedBy, key: signingKey(parseKeyRef(stored), "") },
  };
}
