import { Document, isMap, isSeq, parseDocument } from "yaml";
import type { z } from "zod";
import { AppError } from "../../errors/app-error";
import {
  type ApprovalDoc,
  approvalSchema,
  type ChangeDoc,
  changeSchema,
  type ExceptionDoc,
  exceptionSchema,
  type Policy,
  policySchema,
  type ReviewDoc,
  reviewSchema,
  type SubmittedChangeDoc,
  submittedChangeSchema,
} from "./schemas";
import { readYamlSubset } from "./yaml-subset";

/** Parses YAML text against a schema; a syntax or shape error becomes an `invalid-input` AppError naming the file. */
export function parseYamlDoc<S extends z.ZodType>(schema: S, text: string, label: string): z.output<S> {
  // The files Shiftgate writes are read by the subset reader (the same value, much faster in a fresh process:
  // `gitops verify` reads every file of a history); anything else by the full library.
  const parsed = schema.safeParse(readYamlSubset(text)?.value ?? readYamlFull(text, label));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue?.path.length ? issue.path.map(String).join(".") : "(file)";
    throw new AppError("invalid-input", `${label}: ${at}: ${issue?.message ?? "invalid"}`, {
      issues: parsed.error.issues.slice(0, 10).map((i) => ({ path: i.path.map(String).join("."), message: i.message })),
    });
  }
  return parsed.data;
}

function readYamlFull(text: string, label: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const line = first.linePos?.[0]?.line;
    throw new AppError("invalid-input", `${label}${line ? ` line ${line}` : ""}: ${first.message.split("\n")[0]}`);
  }
  return doc.toJS();
}

/** Reads policy.yaml. */
export const parsePolicy = (text: string, label = "policy.yaml"): Policy => parseYamlDoc(policySchema, text, label);
/** Reads change.yaml. */
export const parseChange = (text: string, label = "change.yaml"): ChangeDoc => parseYamlDoc(changeSchema, text, label);
/** A change.yaml that may still lack its risk, implementer and window (a change just submitted). */
export const parseSubmittedChange = (text: string, label = "change.yaml"): SubmittedChangeDoc =>
  parseYamlDoc(submittedChangeSchema, text, label);
/** Reads one approvals/<email>--<scope>.yaml. */
export const parseApproval = (text: string, label = "approval"): ApprovalDoc =>
  parseYamlDoc(approvalSchema, text, label);
/** Reads exception.yaml. */
export const parseException = (text: string, label = "exception.yaml"): ExceptionDoc =>
  parseYamlDoc(exceptionSchema, text, label);
/** Reads review.yaml. */
export const parseReview = (text: string, label = "review.yaml"): ReviewDoc => parseYamlDoc(reviewSchema, text, label);

// Canonical writers: a fixed key order and flow style for the small maps, so the same record always has the
// same bytes (its digest is what approvals sign) and diffs in the GitOps repo stay readable.
function write(value: Record<string, unknown>, order: readonly string[], flow: readonly string[]): string {
  const ordered: Record<string, unknown> = {};
  for (const key of order) if (value[key] !== undefined) ordered[key] = value[key];
  const doc = new Document(ordered);
  if (isMap(doc.contents)) {
    for (const pair of doc.contents.items) {
      const key = String((pair.key as { value?: unknown }).value ?? pair.key);
      if (flow.includes(key) && (isMap(pair.value) || isSeq(pair.value))) pair.value.flow = true;
    }
  }
  return doc.toString({ lineWidth: 0 });
}

/** change.yaml bytes, canonical. */
export function writeChange(change: ChangeDoc): string {
  return write(
    change,
    [
      "id",
      "title",
      "type",
      "risk",
      "area",
      "environment",
      "plants",
      "requester",
      "onBehalfOf",
      "implementer",
      "window",
      "dbMigration",
      "rollback",
      "validation",
      "artifact",
      "template",
    ],
    ["plants", "requester", "onBehalfOf", "implementer", "window", "validation", "artifact"],
  );
}

/** An approval or rejection file, canonical. */
export function writeApproval(approval: ApprovalDoc): string {
  return write(
    approval,
    ["change", "scope", "decision", "meaning", "signer", "signedAt", "changeDigest", "gates"],
    ["signer"],
  );
}

/** exception.yaml, canonical. */
export function writeException(exception: ExceptionDoc): string {
  return write(
    exception,
    ["change", "justification", "incident", "breakGlass", "loggedBy", "loggedAt"],
    ["breakGlass", "loggedBy"],
  );
}

/** review.yaml, canonical. */
export function writeReview(review: ReviewDoc): string {
  return write(review, ["change", "outcome", "notes", "reviewer", "reviewedAt"], ["reviewer"]);
}

/** policy.yaml, canonical (people and rules as one-line maps). */
export function writePolicy(policy: Policy): string {
  const doc = new Document(policy);
  doc.contents = doc.createNode(policy, { flow: false });
  const flowAt = (node: unknown, depth: number): void => {
    if (isSeq(node) || isMap(node)) {
      if (depth === 0) {
        node.flow = true;
        return;
      }
      for (const item of node.items) {
        const child = isMap(node) ? (item as { value: unknown }).value : item;
        flowAt(child, depth - 1);
      }
    }
  };
  if (isMap(doc.contents)) {
    for (const pair of doc.contents.items) {
      const key = String((pair.key as { value?: unknown }).value ?? pair.key);
      if (key === "signing" || key === "emergency" || key === "roles") flowAt(pair.value, 0);
      if (key === "people" || key === "environments" || key === "approvals") flowAt(pair.value, 1);
      if (key === "segregation" && isMap(pair.value)) {
        for (const p of pair.value.items) flowAt(p.value, 0);
      }
    }
  }
  return doc.toString({ lineWidth: 0 });
}

/** The approval file path for a signer and scope: `changes/<ID>/approvals/<email>--<scope>.yaml`. */
export function approvalPath(changeId: string, email: string, scope: string): string {
  if (/[/\\]|\.\./.test(email) || /[/\\]|\.\./.test(changeId))
    throw new AppError("invalid-input", `'${email}' cannot name an approval file.`);
  return `changes/${changeId}/approvals/${email}--${scope}.yaml`;
}

/**
 * A retrospective review's file: `changes/<ID>/reviews/<email>.yaml`, one per reviewer, so two reviewers on two
 * laptops both land in the append-only ledger (the older single `review.yaml` is still read).
 */
export function reviewPath(changeId: string, email: string): string {
  if (/[/\\]|\.\./.test(email) || /[/\\]|\.\./.test(changeId))
    throw new AppError("invalid-input", `'${email}' cannot name a review file.`);
  return `changes/${changeId}/reviews/${email}.yaml`;
}

/** Whether a path inside a change's folder is a review: `review.yaml` (older repositories) or `reviews/<email>.yaml`. */
export function isReviewFile(rest: string): boolean {
  return rest === "review.yaml" || /^reviews\/[^/]+\.yaml$/.test(rest);
}

/** Splits an approval file name back into e-mail and scope; null when it does not follow the pattern. */
export function parseApprovalFileName(name: string): { readonly email: string; readonly scope: string } | null {
  const m = /^(.+)--(deploy|db-migration)\.yaml$/.exec(name);
  return m?.[1] && m[2] ? { email: m[1], scope: m[2] } : null;
}
