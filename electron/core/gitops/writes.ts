import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { AppError } from "../../../shared/contract/errors";
import {
  type ApprovalDoc,
  approvalPath,
  type ChangeDoc,
  type ExceptionDoc,
  parseChange,
  type ReviewDoc,
  reviewPath,
  type Scope,
  writeApproval,
  writeException,
  writeReview,
} from "../../../shared/domain/policy/index";
import { digestOf, type FileWrite, messageWithTrailers } from "./commit";
import type { GitopsRepo } from "./repo";
import type { Signer } from "./signing";

/**
 * The next free `CHG-<year>-<n>` (numbers are per repository, four digits at least): above every folder in the
 * working copy and every number in `held`, the numbers this laptop gave out that may not be folders yet (an intent
 * whose commit waits for a retry, a local commit a replay has set aside). A number is never given out twice.
 */
export function nextChangeId(dir: string, year: number, held: Iterable<string> = []): string {
  const changes = join(dir, "changes");
  const prefix = `CHG-${year}-`;
  let max = 0;
  const names = existsSync(changes) ? readdirSync(changes) : [];
  for (const name of [...names, ...held]) {
    if (name.startsWith(prefix)) max = Math.max(max, Number(name.slice(prefix.length)) || 0);
  }
  return `${prefix}${String(max + 1).padStart(4, "0")}`;
}

/** Reads a change and its digest from the working copy. */
export function readChange(repo: GitopsRepo, id: string): { readonly change: ChangeDoc; readonly digest: string } {
  const file = join(repo.dir, "changes", id, "change.yaml");
  if (!existsSync(file)) throw new AppError("not-found", `${id} is not in the GitOps repository.`);
  const bytes = readFileSync(file);
  return { change: parseChange(bytes.toString("utf8"), `changes/${id}/change.yaml`), digest: digestOf(bytes) };
}

interface DecisionInput {
  readonly change: string;
  readonly scope: Scope;
  readonly decision: "approved" | "rejected";
  readonly meaning: string;
  readonly role: string;
  /** RFC 3339 with the signer's zone, e.g. 2026-12-01T09:12:44+01:00. */
  readonly signedAt: string;
  /** The digest the signer saw; defaults to the working copy's current change.yaml. */
  readonly changeDigest?: string;
  /** The digest of the gate records the signer saw (approvals/gates-digest.ts), where the decision names one. */
  readonly gates?: string;
}

/** A record ready to commit: its files and message (what the outbox stores before committing). */
export interface RecordWrite {
  readonly files: readonly FileWrite[];
  readonly message: string;
}

/** The file and message of one approval or rejection, with the contract's trailers. */
export function decisionWrite(
  signer: Pick<Signer, "name" | "email">,
  input: DecisionInput & { readonly changeDigest: string },
): RecordWrite & { readonly path: string; readonly approval: ApprovalDoc } {
  const approval: ApprovalDoc = {
    change: input.change,
    scope: input.scope,
    decision: input.decision,
    meaning: input.meaning,
    signer: { name: signer.name, email: signer.email, role: input.role },
    signedAt: input.signedAt,
    changeDigest: input.changeDigest,
    // The gate records the signature covers travel with it (issue #17): without them every other laptop counted
    // an approval the signer's own laptop judged stale after a later gate record, so states depended on the laptop.
    ...(input.gates !== undefined ? { gates: input.gates } : {}),
  };
  const path = approvalPath(input.change, signer.email, input.scope);
  const verb = input.decision === "approved" ? "Approve" : "Reject";
  const message = messageWithTrailers(`${verb} ${input.change} (${input.scope})`, [
    ["Change-Request", input.change],
    ["Approval-Scope", input.scope],
    [input.decision === "approved" ? "Approved-by" : "Rejected-by", `${signer.name} <${signer.email}>`],
  ]);
  return { files: [{ path, content: writeApproval(approval) }], message, path, approval };
}

/** The file and message of an emergency exception. */
export function exceptionWrite(signer: Pick<Signer, "name" | "email">, exception: ExceptionDoc): RecordWrite {
  return {
    files: [{ path: `changes/${exception.change}/exception.yaml`, content: writeException(exception) }],
    message: messageWithTrailers(`Emergency exception for ${exception.change}`, [
      ["Change-Request", exception.change],
      ["Logged-by", `${signer.name} <${signer.email}>`],
    ]),
  };
}

/** The file and message of a retrospective review. */
export function reviewWrite(signer: Pick<Signer, "name" | "email">, review: ReviewDoc): RecordWrite {
  return {
    files: [{ path: reviewPath(review.change, review.reviewer.email), content: writeReview(review) }],
    message: messageWithTrailers(`Review of ${review.change}: ${review.outcome}`, [
      ["Change-Request", review.change],
      ["Reviewed-by", `${signer.name} <${signer.email}>`],
    ]),
  };
}
