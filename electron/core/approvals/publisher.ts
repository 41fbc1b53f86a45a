import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { AppError } from "../../../shared/contract/errors";
import type { ApprovalDoc, ExceptionDoc, ReviewDoc } from "../../../shared/domain/policy/index";
import { digestOf } from "../gitops/commit";
import { type GitContext, isolatedGitContext } from "../gitops/git";
import type { Outbox } from "../gitops/outbox";
import type { OutboxIntent, OutboxKind } from "../gitops/outbox-store";
import type { RepoApproval } from "../gitops/repo-approvals";
import type { Signer } from "../gitops/signing";
import { decisionWrite, exceptionWrite, type RecordWrite, reviewWrite } from "../gitops/writes";
import { isConfiguredRepo, type Trust } from "../identity/trust";
import { NO_APPROVALS, type RepoApprovalIndex, repoApprovalIndex } from "./repo-approval-index";

/** A signed record on its way to the GitOps repository, through the core's outbox. */
interface Publication {
  /**
   * Runs the caller's register transaction, which calls `writeIntent` inside it (the intent id comes back: it is
   * also the commit's Shiftgate-Intent trailer), then makes the signed commit once the transaction has committed.
   * `commit` is null when committing failed for now: the intent waits in the outbox, which retries.
   */
  within<T>(
    transaction: (writeIntent: () => string) => T,
  ): Promise<{ readonly value: T; readonly intent: string; readonly commit: string | null }>;
  /** Starts reading the working copy for the commit `within` will make (while the caller signs the record). */
  prepare(): void;
}

/**
 * Where signed decisions go besides the register: the GitOps repository, as one signed commit each, and where
 * the decisions other laptops pushed are read back. Writers return the record's publication, or null when the
 * record has no place in a repository (none configured, or the change was never submitted to it).
 */
export interface ApprovalPublisher {
  /** The digest of the repository's change.yaml for a CHG number, or null when it is not there. */
  changeDigest(number: string): string | null;
  /** The approval files of a change in the repository, each judged by its commit's signature. */
  approvals(number: string): Promise<readonly RepoApproval[]>;
  /** This publisher with its approvals read once for every change (a load that judges many changes). */
  pinned(): Promise<PinnedPublisher>;
  /** A decision's publication; its intent id is `id`, the register's approval id, so the commit names its row. */
  decision(signer: Signer, approval: ApprovalDoc, id: string): Publication | null;
  exception(signer: Signer, exception: ExceptionDoc): Publication | null;
  /** The CHG number a new emergency change will take in the repository, or null when none is configured. */
  emergencyNumber(year: number): Promise<string | null>;
  /**
   * A new emergency change and its exception, in one commit signed by the logger: `changes/<ID>/change.yaml`
   * (made inside the transaction, once the register row has its number) and `changes/<ID>/exception.yaml`.
   */
  emergency(signer: Signer, exception: ExceptionDoc, changeYaml: () => string): Publication | null;
  review(signer: Signer, review: ReviewDoc): Publication | null;
}

/** A publisher whose approvals come from one reading of the repository, named by `reading`. */
interface PinnedPublisher extends ApprovalPublisher {
  readonly reading: string;
}

/**
 * Publishes through the core's outbox over the GitOps working copy: each record becomes an outbox intent written
 * in the register transaction that records it, then one commit signed by the signer's key, pushed with retries.
 * Records of changes not in the repository are skipped.
 */
export function gitopsPublisher(
  trust: Trust,
  outbox: Outbox | null,
  ctx: GitContext = isolatedGitContext(),
  index: RepoApprovalIndex = repoApprovalIndex(ctx),
): ApprovalPublisher {
  const repoDir = trust.repoDir;
  const changeFile = (number: string) => (repoDir ? join(repoDir, "changes", number, "change.yaml") : null);
  const inRepo = (number: string): boolean => {
    const file = changeFile(number);
    return isConfiguredRepo(repoDir) && file !== null && existsSync(file);
  };
  const publication = (
    kind: OutboxKind,
    changeNumber: string,
    signer: Signer,
    write: RecordWrite,
    id?: string,
  ): Publication | null => {
    if (!inRepo(changeNumber)) return null;
    // The core makes its outbox whenever it has a working copy folder: a repository without one is a wiring fault.
    if (!outbox) throw new AppError("internal", "The GitOps working copy has no outbox in this core.");
    const intent = {
      kind,
      changeNumber,
      subject: firstLine(write.message),
      files: write.files,
      message: write.message,
      signer,
    };
    return {
      within: async (transaction) => {
        const done = await outbox.recordThenCommit(intent, transaction, id);
        return { value: done.value, intent: done.id, commit: done.sha };
      },
      prepare: () => void outbox.lookAhead(),
    };
  };
  const approvalsAt = async () => (repoDir && isConfiguredRepo(repoDir) ? index.read(repoDir, trust) : NO_APPROVALS);
  const publisher: ApprovalPublisher = {
    changeDigest: (number) => {
      const file = changeFile(number);
      return file && inRepo(number) ? digestOf(readFileSync(file)) : null;
    },
    approvals: async (number) => (inRepo(number) ? (await approvalsAt()).approvals(number) : []),
    pinned: async () => {
      const at = await approvalsAt();
      return {
        ...publisher,
        reading: at.key,
        approvals: async (number) => (inRepo(number) ? at.approvals(number) : []),
      };
    },
    decision: (signer, a, id) => {
      const write = decisionWrite(signer, { ...a, role: a.signer.role });
      return publication(a.decision === "approved" ? "approval" : "rejection", a.change, signer, write, id);
    },
    exception: (signer, e) => publication("exception", e.change, signer, exceptionWrite(signer, e)),
    review: (signer, r) => publication("review", r.change, signer, reviewWrite(signer, r)),
    emergencyNumber: async (year) =>
      isConfiguredRepo(repoDir) && outbox ? outbox.exclusive(async () => outbox.nextNumber(year)) : null,
    emergency: (signer, e, changeYaml) => {
      if (!isConfiguredRepo(repoDir) || !outbox) return null;
      const write = exceptionWrite(signer, e);
      const intent = (): OutboxIntent => {
        // The number was read before signing; under the working copy's lock it must still be free (no folder, and
        // no intent of this laptop, committed or waiting, carries it).
        if (outbox.holds(e.change))
          throw new AppError(
            "conflict",
            `Another change took the number ${e.change} while this exception was being signed; log it again.`,
          );
        return {
          kind: "exception",
          changeNumber: e.change,
          subject: firstLine(write.message),
          files: [{ path: `changes/${e.change}/change.yaml`, content: changeYaml() }, ...write.files],
          message: write.message,
          signer,
        };
      };
      return {
        within: async (transaction) => {
          const done = await outbox.recordThenCommit(intent, transaction);
          return { value: done.value, intent: done.id, commit: done.sha };
        },
        prepare: () => void outbox.lookAhead(),
      };
    },
  };
  return publisher;
}

function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}
