import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ApprovalDoc, ExceptionDoc, ReviewDoc } from "../../../shared/domain/policy/index";
import { digestOf } from "../gitops/commit";
import { type GitContext, isolatedGitContext } from "../gitops/git";
import { registeredOutbox } from "../gitops/outbox-registry";
import type { OutboxIntent } from "../gitops/outbox-store";
import { openGitopsRepo } from "../gitops/repo";
import type { Signer } from "../gitops/signing";
import {
  decisionWrite,
  exceptionWrite,
  recordDecision,
  recordException,
  recordReview,
  reviewWrite,
} from "../gitops/writes";
import { type RepoApproval, readRepoApprovals } from "./repo-approvals";
import { isConfiguredRepo, type Trust } from "./trust";

/**
 * Where signed decisions go besides the register: the GitOps repository, as one signed commit each, and where
 * the decisions other laptops pushed are read back. Writers return the commit id, or null when the record has no
 * place in a repository (none configured, or the change was never submitted to it).
 */
export interface ApprovalPublisher {
  /** The digest of the repository's change.yaml for a CHG number, or null when it is not there. */
  changeDigest(number: string): string | null;
  /** The approval files of a change in the repository, each judged by its commit's signature. */
  approvals(number: string): Promise<readonly RepoApproval[]>;
  decision(signer: Signer, approval: ApprovalDoc): Promise<string | null>;
  exception(signer: Signer, exception: ExceptionDoc): Promise<string | null>;
  review(signer: Signer, review: ReviewDoc): Promise<string | null>;
}

/** Publishes nothing: records stay in the register only. */
export const noopPublisher: ApprovalPublisher = {
  changeDigest: () => null,
  approvals: async () => [],
  decision: async () => null,
  exception: async () => null,
  review: async () => null,
};

/**
 * Commits to the GitOps working copy through the GitOps library (signed by the signer's key, not pushed: the
 * sync of the working copy is the GitOps capability's). Records of changes not in the repository are skipped.
 */
export function gitopsPublisher(trust: Trust, ctx: GitContext = isolatedGitContext()): ApprovalPublisher {
  const repoDir = trust.repoDir;
  const changeFile = (number: string) => (repoDir ? join(repoDir, "changes", number, "change.yaml") : null);
  const inRepo = (number: string): boolean => {
    const file = changeFile(number);
    return isConfiguredRepo(repoDir) && file !== null && existsSync(file);
  };
  const repo = async () => openGitopsRepo(repoDir as string, ctx);
  // With the GitOps capability's outbox running over this working copy, each record becomes an outbox intent
  // (kept in the register, committed, pushed with retries); its commit is null when committing failed for now.
  const viaOutbox = async (intent: OutboxIntent) => {
    const outbox = registeredOutbox(repoDir);
    return outbox ? (await outbox.enqueue(intent)).sha : undefined;
  };
  return {
    changeDigest: (number) => {
      const file = changeFile(number);
      return file && inRepo(number) ? digestOf(readFileSync(file)) : null;
    },
    approvals: async (number) => (repoDir && inRepo(number) ? readRepoApprovals(repoDir, number, trust, ctx) : []),
    decision: async (signer, a) => {
      if (!inRepo(a.change)) return null;
      const write = decisionWrite(signer, { ...a, role: a.signer.role });
      const kind = a.decision === "approved" ? "approval" : "rejection";
      const queued = await viaOutbox({
        kind,
        changeNumber: a.change,
        subject: firstLine(write.message),
        ...write,
        signer,
      });
      if (queued !== undefined) return queued;
      const out = await recordDecision(await repo(), signer, {
        change: a.change,
        scope: a.scope,
        decision: a.decision,
        meaning: a.meaning,
        role: a.signer.role,
        signedAt: a.signedAt,
        changeDigest: a.changeDigest,
      });
      return out.commit;
    },
    exception: async (signer, e) => {
      if (!inRepo(e.change)) return null;
      const write = exceptionWrite(signer, e);
      const queued = await viaOutbox({
        kind: "exception",
        changeNumber: e.change,
        subject: firstLine(write.message),
        ...write,
        signer,
      });
      return queued !== undefined ? queued : recordException(await repo(), signer, e);
    },
    review: async (signer, r) => {
      if (!inRepo(r.change)) return null;
      const write = reviewWrite(signer, r);
      const queued = await viaOutbox({
        kind: "review",
        changeNumber: r.change,
        subject: firstLine(write.message),
        ...write,
        signer,
      });
      return queued !== undefined ? queued : recordReview(await repo(), signer, r);
    },
  };
}

function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}
