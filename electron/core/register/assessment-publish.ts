import type { RiskAssessment } from "../../../shared/contract/index";
import { type AssessmentDoc, assessmentPath, writeAssessment } from "../../../shared/domain/policy/assessment-file";
import type { FileWrite } from "../gitops/commit";
import { messageWithTrailers } from "../gitops/commit";
import type { CoreServices } from "../services";
import type { ChangeRow } from "./change-rows";
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
