import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ChangeDetail } from "../../../shared/contract/index";
import { requestPath, writeRequest } from "../../../shared/domain/policy/request-file";
import { digestOf, type FileWrite, messageWithTrailers } from "../gitops/commit";
import type { CoreServices } from "../services";
import type { ChangeRow } from "./change-rows";
import { publishRecord, recordSigning } from "./record-publish";

/** Where a request for approval goes besides the register: runs the move's transaction, then the signed commit. */
interface RequestPublication {
  run<T>(transaction: (written: (moved: ChangeDetail) => void) => T): Promise<T>;
}

export type RequestPublisher = (row: ChangeRow, actor: string) => RequestPublication | null;

/** The request file of `who` asking approval for change `number` as its change.yaml `content` stands. */
export function requestFile(number: string, content: string, who: { name: string; email: string }, at: string) {
  const changeDigest = digestOf(content);
  return {
    path: requestPath(number, who.email, at, changeDigest),
    content: writeRequest({ change: number, changeDigest, requestedBy: who, requestedAt: at }),
  } satisfies FileWrite;
}

/**
 * Asking for approval of a change already in the repository becomes a signed record there
 * (changes/<ID>/requests/...), so every laptop shows the change waiting for approval, not only this one. Only the
 * proved key holder's own request travels: one made under another name stays on this laptop. It names the
 * change.yaml the repository holds; a change edited and not yet sent is asked about again by the revision commit.
 */
export function gitopsRequestPublisher(
  services: CoreServices,
  proved: () => string,
  nameOf: (email: string) => string | null,
): RequestPublisher {
  return (row, actor) => {
    const signing = recordSigning(services, proved, nameOf, row, actor);
    if (!signing) return null;
    const { dir, number, signer, outbox } = signing;
    const file = join(dir, "changes", number, "change.yaml");
    return {
      run: (transaction) =>
        publishRecord(outbox, "request", transaction, (moved: ChangeDetail) => {
          const subject = `Ask approval for ${number}: ${moved.title}`;
          return {
            // Part of the change's record, like an assessment: no outbox kind of its own.
            kind: "submission",
            changeNumber: number,
            subject,
            files: [
              requestFile(number, readFileSync(file, "utf8"), { name: signer.name, email: actor }, moved.updatedAt),
            ],
            message: messageWithTrailers(subject, [
              ["Change-Request", number],
              ["Requested-by", `${signer.name} <${actor}>`],
            ]),
            signer,
          };
        }),
    };
  };
}
