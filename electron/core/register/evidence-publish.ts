import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Evidence } from "../../../shared/contract/index";
import { attachmentPath, writeAttachment } from "../../../shared/domain/policy/attachment-file";
import { evidencePath } from "../../../shared/domain/policy/index";
import { type FileWrite, messageWithTrailers } from "../gitops/commit";
import { outboxOf } from "../gitops/outbox-registry";
import type { OutboxIntent } from "../gitops/outbox-store";
import { selectedKey } from "../identity/identity";
import { signingKey } from "../identity/key-ref";
import type { CoreServices } from "../services";
import type { ChangeRow } from "./change-rows";
import { REPO_EVIDENCE_BYTES } from "./gate-ops";
import { stmt } from "./statements";

/** Where evidence attached to a change (not a gate) goes besides the register: the transaction, then the commit. */
interface EvidencePublication {
  /** Runs the transaction; it hands the new evidence to `written` (not for content the change already holds). */
  run<T>(transaction: (written: (evidence: Evidence) => void) => T): Promise<T>;
}

export type EvidencePublisher = (row: ChangeRow, actor: string) => EvidencePublication | null;

// The same content attached again is the evidence already there: nothing new to sign, the transaction's value stands.
class AlreadyHeld<T> extends Error {
  constructor(readonly value: T) {
    super("the evidence is already attached");
  }
}

/**
 * Evidence attached to a change already in the repository, by the proved key holder, becomes a signed record there
 * (changes/<ID>/attachments/<id>.yaml) with its bytes beside the change when they are small text
 * (evidence/<sha256>, as a gate's evidence travels), committed through the outbox in the register transaction.
 * Evidence attached under a name the key does not prove, or before the change is in the repository, stays here.
 */
export function gitopsEvidencePublisher(
  services: CoreServices,
  proved: () => string,
  nameOf: (email: string) => string | null,
): EvidencePublisher {
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
    const db = services.register.db;
    return {
      run: async <T>(transaction: (written: (evidence: Evidence) => void) => T): Promise<T> => {
        let intent: OutboxIntent | null = null;
        try {
          const done = await outbox.recordThenCommit(
            () => {
              if (!intent) throw new Error("the evidence transaction wrote no evidence");
              return intent;
            },
            (write) => {
              let wrote = false;
              const value = transaction((e) => {
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
                      attachedBy: { name, email: actor },
                      attachedAt: e.attachedAt,
                    }),
                  },
                  ...(inRepo ? [{ path: evidencePath(number, e.sha256), content: bytes.toString("utf8") }] : []),
                ];
                const subject = `Evidence for ${number}: ${e.filename}`;
                intent = {
                  // Part of the change's record, like an assessment: no outbox kind of its own.
                  kind: "submission",
                  changeNumber: number,
                  subject,
                  files: files.filter((f) => f.path.endsWith(".yaml") || !existsSync(join(dir, f.path))),
                  message: messageWithTrailers(subject, [
                    ["Change-Request", number],
                    ["Attached-by", `${name} <${actor}>`],
                  ]),
                  signer,
                };
                write();
                wrote = true;
              });
              if (!wrote) throw new AlreadyHeld(value);
              return value;
            },
          );
          return done.value;
        } catch (error) {
          if (error instanceof AlreadyHeld) return error.value as T;
          throw error;
        }
      },
    };
  };
}
