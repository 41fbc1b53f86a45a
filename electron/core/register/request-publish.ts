import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ChangeDetail } from "../../../shared/contract/index";
import { requestPath, writeRequest } from "../../../shared/domain/policy/request-file";
import { digestOf, type FileWrite, messageWithTrailers } from "../gitops/commit";
import { outboxOf } from "../gitops/outbox-registry";
import type { OutboxIntent } from "../gitops/outbox-store";
import { selectedKey } from "../identity/identity";
import { signingKey } from "../identity/key-ref";
import type { CoreServices } from "../services";
import type { ChangeRow } from "./change-rows";

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
    const dir = services.gitopsDir;
    const number = row.number;
    const file = dir && number ? join(dir, "changes", number, "change.yaml") : "";
    if (!dir || !number || !existsSync(file)) return null;
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
            if (!intent) throw new Error("the request transaction asked for nothing");
            return intent;
          },
          (write) =>
            transaction((moved) => {
              const subject = `Ask approval for ${number}: ${moved.title}`;
              intent = {
                // Part of the change's record, like an assessment: no outbox kind of its own.
                kind: "submission",
                changeNumber: number,
                subject,
                files: [requestFile(number, readFileSync(file, "utf8"), { name, email: actor }, moved.updatedAt)],
                message: messageWithTrailers(subject, [
                  ["Change-Request", number],
                  ["Requested-by", `${name} <${actor}>`],
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
