import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Evidence } from "../../../shared/contract/index";
import { attachmentPath, writeAttachment } from "../../../shared/domain/policy/attachment-file";
import { evidencePath } from "../../../shared/domain/policy/index";
import { type FileWrite, messageWithTrailers } from "../gitops/commit";
import type { CoreServices } from "../services";
import type { ChangeRow } from "./change-rows";
import { REPO_EVIDENCE_BYTES } from "./gate-ops";
import { publishRecord, recordSigning } from "./record-publish";
import { stmt } from "./statements";

/** Where evidence attached to a change (not a gate) goes besides the register: the transaction, then the commit. */
interface EvidencePublication {
  /** Runs the transaction; it hands the new evidence to `written` (not for content the change already holds). */
  run<T>(transaction: (written: (evidence: Evidence) => void) => T): Promise<T>;
}

export type EvidencePublisher = (row: ChangeRow, actor: string) => EvidencePublication | null;

/**
 * Evidence attached to a change already in the repository, by the proved key holder, becomes a signed record there
 * (changes/<ID>/attachments/<id>.yaml) with its bytes beside the change when they are small text
 * (evidence/<sha256>, as a gate's evidence travels), committed through the outbox in the register transaction.
 * Evidence attached under a name the key does not prove, or before the change is in the repository, stays here.
 * The same content attached again is the evidence already there: nothing new to sign, the transaction's value stands.
 */
export function gitopsEvidencePublisher(
  services: CoreServices,
  proved: () => string,
  nameOf: (email: string) => string | null,
): EvidencePublisher {
  return (row, actor) => {
    const signing = recordSigning(services, proved, nameOf, row, actor);
    if (!signing) return null;
    const { dir, number, signer, outbox } = signing;
    const db = services.register.db;
    return {
      run: (transaction) =>
        publishRecord(
          outbox,
          "evidence",
          transaction,
          (e: Evidence) => {
            const content = stmt(db, "SELECT content FROM blobs WHERE sha256 = ?").pluck().get(e.sha256);
            const bytes = content instanceof Buffer ? content : Buffer.alloc(0);
            // Committed as text, like a gate's evidence: small bytes that survive UTF-8; anything else by hash.
            const inRepo = bytes.length <= REPO_EVIDENCE_BYTES && Buffer.from(bytes.toString("utf8")).equals(bytes);
            const files: FileWrite[] = [
              {
                path: attachmentPath(number, e.id),
                content: writeAttachment({
                  change: number,
                  filename: e.filename,
                  mediaType: e.mediaType,
                  sha256: e.sha256,
                  size: e.size,
                  location: inRepo ? "repo" : "store",
                  attachedBy: { name: signer.name, email: actor },
                  attachedAt: e.attachedAt,
                }),
              },
              ...(inRepo ? [{ path: evidencePath(number, e.sha256), content: bytes.toString("utf8") }] : []),
            ];
            const subject = `Evidence for ${number}: ${e.filename}`;
            return {
              // Part of the change's record, like an assessment: no outbox kind of its own.
              kind: "submission",
              changeNumber: number,
              subject,
              files: files.filter((f) => f.path.endsWith(".yaml") || !existsSync(join(dir, f.path))),
              message: messageWithTrailers(subject, [
                ["Change-Request", number],
                ["Attached-by", `${signer.name} <${actor}>`],
              ]),
              signer,
            };
          },
          true,
        ),
    };
  };
}
