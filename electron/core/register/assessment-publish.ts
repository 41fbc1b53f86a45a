import { existsSync } from "node:fs";
import { join } from "node:path";
import type { RiskAssessment } from "../../../shared/contract/index";
import { type AssessmentDoc, assessmentPath, writeAssessment } from "../../../shared/domain/policy/assessment-file";
import type { FileWrite } from "../gitops/commit";
import { messageWithTrailers } from "../gitops/commit";
import { outboxOf } from "../gitops/outbox-registry";
import type { OutboxIntent } from "../gitops/outbox-store";
import { selectedKey } from "../identity/identity";
import { signingKey } from "../identity/key-ref";
import type { CoreServices } from "../services";
import type { ChangeRow } from "./change-rows";

/** Where an assessment goes besides the register: runs the transaction that hands it over, then the signed commit. */
export interface AssessmentPublication {
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
    const dir = services.gitopsDir;
    const number = row.number;
    if (!dir || !number || !existsSync(join(dir, "changes", number, "change.yaml"))) return null;
    const key = selectedKey(services.register.db);
    if (!key || proved().toLowerCase() !== actor.toLowerCase()) return null;
    const outbox = outboxOf(services);
    if (!outbox) return null;
    const name = nameOf(actor) ?? actor;
    const signer = { name, email: actor, key: signingKey(key, "") };
    return {
      run: async (transaction) => {
        let intent: OutboxIntent | null = null;
        const done = await outbox.recordThenCommit(
          () => {
            if (!intent) throw new Error("the assessment transaction wrote no assessment");
            return intent;
          },
          (write) =>
            transaction((a) => {
              const subject = `Assess ${number}: ${a.riskClass} (score ${a.score})`;
              intent = {
                // Part of the change as submitted: no outbox kind of its own (that would need a migration).
                kind: "submission",
                changeNumber: number,
                subject,
                files: [assessmentFile(number, a, name)],
                message: messageWithTrailers(subject, [
                  ["Change-Request", number],
                  ["Assessed-by", `${name} <${actor}>`],
                ]),
                signer,
              };
              write();
            }),
        );
        return done.value;
      },
    };
  };
}
