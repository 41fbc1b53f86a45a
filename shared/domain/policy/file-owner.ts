import { parseDocument } from "yaml";
import { parseApprovalFileName } from "./documents";

/**
 * Who may modify or delete a file already in a change's folder (`rest` is the path inside changes/<ID>/): the ledger
 * is append-only, and a person changes only what they wrote. `previous` is the file's current text.
 * - change.yaml: its requester (a revision of their own change);
 * - approvals/<email>--<scope>.yaml: that approver (a person may change their own decision);
 * - exception.yaml: its logger;
 * - anything else (reviews, which are final, gate records, evidence, risk assessments under assessments/, minutes):
 *   no one; a new record is a new file. A reviewer who reviewed on two laptops keeps the review that reached the
 *   repository first (#17): the second is never written over it.
 * Returns the owner's e-mail, or null when no one may modify the file.
 */
export function changeFileOwner(rest: string, previous: string): string | null {
  if (!ownerReadsText(rest)) return ownerByPath(rest);
  const field = rest === "change.yaml" ? ["requester", "email"] : ["loggedBy", "email"];
  try {
    const value = parseDocument(previous).getIn(field);
    return typeof value === "string" && value.includes("@") ? value : null;
  } catch {
    return null;
  }
}

/** Whether the owner of a file at `rest` is written inside it (change.yaml, exception.yaml) rather than its path. */
export function ownerReadsText(rest: string): boolean {
  return rest === "change.yaml" || rest === "exception.yaml";
}

/** The owner a path alone names (an approver's own decision file), or null: no one may modify the file. */
function ownerByPath(rest: string): string | null {
  const approval = rest.startsWith("approvals/") ? parseApprovalFileName(rest.slice("approvals/".length)) : null;
  return approval ? approval.email : null;
}
