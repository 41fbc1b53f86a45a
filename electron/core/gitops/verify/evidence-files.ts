import { createHash } from "node:crypto";
import { isAttachmentFile, parseAttachment } from "../../../../shared/domain/policy/attachment-file";
import { findPerson, sameEmail } from "../../../../shared/domain/policy/index";
import type { DocCache } from "./doc-cache";
import { type Finding, finding } from "./findings";
import type { HistoryCommit } from "./history";
import type { PolicyState } from "./policy-state";

const short = (sha: string) => sha.slice(0, 10);

/**
 * Findings about evidence a commit wrote into a change's folder: `evidence/<sha256>` whose bytes do not hash to its
 * name (`evidence-mismatch`: the file says it is other bytes than it is), and an attachment record
 * (`attachments/<id>.yaml`) committed by someone other than the person it names (`signer-mismatch`) or naming a
 * person the policy does not list (`role-not-held`: only people of the policy may add to a change's record).
 */
export function evidenceFileFindings(
  c: HistoryCommit,
  id: string,
  rest: string,
  blob: string,
  s: PolicyState,
  docs: DocCache,
): Finding[] {
  const named = /^evidence\/([0-9a-f]{64})$/.exec(rest)?.[1];
  if (rest.startsWith("evidence/")) {
    const bytes = docs.read(blob) ?? Buffer.alloc(0);
    const actual = createHash("sha256").update(bytes).digest("hex");
    if (named === actual) return [];
    return [
      finding(
        c.sha,
        id,
        "evidence-mismatch",
        `Commit ${short(c.sha)} writes changes/${id}/${rest}, whose bytes hash to ${actual}: evidence is named by the SHA-256 of its bytes, so these are not the evidence the records name.`,
      ),
    ];
  }
  if (!isAttachmentFile(rest)) return [];
  try {
    const doc = parseAttachment(docs.read(blob)?.toString("utf8") ?? "");
    if (!sameEmail(doc.attachedBy.email, c.committerEmail))
      return [
        finding(
          c.sha,
          id,
          "signer-mismatch",
          `The evidence record ${rest} for ${id} names ${doc.attachedBy.email} as its signer, but ${c.committerEmail} committed it.`,
        ),
      ];
    if (!findPerson(s.policy, doc.attachedBy.email))
      return [
        finding(
          c.sha,
          id,
          "role-not-held",
          `The evidence record ${rest} for ${id} is signed by ${doc.attachedBy.email}, whom policy.yaml does not list.`,
        ),
      ];
  } catch {
    // A record that does not parse names no evidence: it counts for nothing, and sync leaves it out.
  }
  return [];
}
