import {
  approvalRefusal,
  type ChangeDoc,
  changeFileOwner,
  findPerson,
  holdsRole,
  isReviewFile,
  parseApprovalFileName,
  parseException,
  parseReview,
  sameEmail,
} from "../../../../shared/domain/policy/index";
import type { DocCache } from "./doc-cache";
import { type Finding, finding } from "./findings";
import { gateFileFindings } from "./gates";
import type { HistoryCommit, PathChange } from "./history";
import type { FileEntry } from "./policy-state";
import { changePath, type PolicyState } from "./policy-state";
import type { SignatureVerdict } from "./signatures";
import { sshSignerVerdict, sshSignsFor } from "./ssh-signers";

const short = (sha: string) => sha.slice(0, 10);

/** Findings about a commit's own signature: git's verdict, then whether the key was in force for the committer. */
export function signatureFindings(
  c: HistoryCommit,
  v: SignatureVerdict | undefined,
  s: PolicyState,
  change: string | null,
): Finding[] {
  const who = `${c.committerName} <${c.committerEmail}>`;
  // SSH: git's verdict with the allowed_signers in force for this commit (wildcards, dates, namespaces,
  // cert-authority: ssh-signers.ts); a signature that does not check out has no key to judge and stays B.
  const ssh = v?.ssh ? sshSignerVerdict(s.signers, v.ssh.key, v.ssh.verifyTime) : null;
  const code = ssh?.code ?? (v?.format === "ssh" && v.code !== "N" ? "B" : (v?.code ?? "N"));
  if (code === "N") return [finding(c.sha, change, "unsigned", `Commit ${short(c.sha)} by ${who} is not signed.`)];
  if (code === "B")
    return [
      finding(
        c.sha,
        change,
        "bad-signature",
        `The signature on commit ${short(c.sha)} by ${who} does not verify: ${ssh?.reason ?? "the commit was altered or the signature forged"}.`,
      ),
    ];
  if (code !== "G")
    return [
      finding(
        c.sha,
        change,
        "unknown-signer",
        ssh
          ? `Commit ${short(c.sha)} by ${who} is signed with key ${v?.fingerprints[0] ?? "?"}, which .shiftgate/allowed_signers does not list for the commit's date (unknown, not yet valid or retired).`
          : `Commit ${short(c.sha)} by ${who} is signed with a key that is unknown, expired or revoked.`,
      ),
    ];
  const fps = v?.fingerprints ?? [];
  if (v?.format === "openpgp") {
    if (fps.some((f) => s.pgpKeys.get(c.committerEmail.toLowerCase())?.has(f))) return [];
    const owner = [...s.pgpKeys].find(([, set]) => fps.some((f) => set.has(f)))?.[0];
    return owner
      ? [
          finding(
            c.sha,
            change,
            "signer-mismatch",
            `Commit ${short(c.sha)} is committed as ${c.committerEmail} but signed with the OpenPGP key of ${owner}.`,
          ),
        ]
      : [
          finding(
            c.sha,
            change,
            "unknown-signer",
            `Commit ${short(c.sha)} by ${who} is signed with OpenPGP key ${fps[fps.length - 1] ?? "?"}, which .shiftgate/keys does not list.`,
          ),
        ];
  }
  // A principal pattern (`*@plant.example`) that matches the committer is the committer: ask what git would
  // answer for `-I <committer e-mail>`, not whether git's reported principal equals it.
  if (v?.ssh && !sshSignsFor(s.signers, v.ssh.key, v.ssh.verifyTime, c.committerEmail))
    return [
      finding(
        c.sha,
        change,
        "signer-mismatch",
        `Commit ${short(c.sha)} is committed as ${c.committerEmail} but signed with the key of ${ssh?.principal ?? "someone else"}.`,
      ),
    ];
  return [];
}

/** Findings about a `changes/<ID>/…` file a commit wrote: who signed it versus who it claims, roles, self-approval. */
export function changeFileFindings(
  c: HistoryCommit,
  id: string,
  rest: string,
  blob: string,
  change: ChangeDoc | null,
  s: PolicyState,
  docs: DocCache,
  /** The change's exception.yaml as committed so far (approvals and the review are judged against its logger), or null. */
  exceptionBlob: string | null = null,
): Finding[] {
  // Approvals and gate records come parsed from the cache; only exceptions and reviews are read as text here.
  const text =
    rest.startsWith("approvals/") || rest.startsWith("gates/") ? "" : (docs.read(blob)?.toString("utf8") ?? "");
  const out: Finding[] = [];
  const policy = s.policy;
  const claim = (email: string, role: string, what: string, allowedRoles: readonly string[] | null) => {
    if (!sameEmail(email, c.committerEmail))
      out.push(
        finding(
          c.sha,
          id,
          "signer-mismatch",
          `${what} for ${id} names ${email} as its signer, but ${c.committerEmail} committed it.`,
        ),
      );
    const person = findPerson(policy, email);
    if (!holdsRole(person, role))
      out.push(
        finding(
          c.sha,
          id,
          "role-not-held",
          `${what} for ${id} is signed as ${role}, a role ${email} does not hold in policy.yaml.`,
        ),
      );
    else if (allowedRoles && !allowedRoles.includes(role))
      out.push(
        finding(
          c.sha,
          id,
          "role-not-held",
          `${what} for ${id} is signed as ${role}; policy allows only ${allowedRoles.join(", ")}.`,
        ),
      );
  };
  try {
    if (rest.startsWith("approvals/")) {
      const a = docs.approval(blob);
      if (!a) return out;
      const name = parseApprovalFileName(rest.slice("approvals/".length));
      if (name && (!sameEmail(name.email, a.signer.email) || name.scope !== a.scope))
        out.push(
          finding(
            c.sha,
            id,
            "signer-mismatch",
            `The approval file ${rest} holds ${a.signer.email}'s ${a.scope} decision.`,
          ),
        );
      const verb = a.decision === "approved" ? "The approval" : "The rejection";
      claim(a.signer.email, a.signer.role, verb, null);
      if (change && a.decision === "approved") {
        const refusal = approvalRefusal(policy, change, findPerson(policy, a.signer.email), a.signer.email, null);
        if (refusal?.kind === "self-approval")
          out.push(finding(c.sha, id, "self-approval", `${a.signer.name} approved ${id}, but ${refusal.reason}.`));
      }
      // One person cannot log and decide the same emergency: the logger's decision would be their second signature.
      const logger = exceptionBlob ? loggerOf(docs.read(exceptionBlob)?.toString("utf8") ?? "") : null;
      if (logger && !policy.segregation.emergencyLoggerMayApprove && sameEmail(logger, a.signer.email))
        out.push(
          finding(c.sha, id, "self-approval", `${a.signer.name} ${a.decision} ${id}, but they logged its exception.`),
        );
    } else if (rest.startsWith("gates/")) {
      const g = docs.gate(blob);
      if (!g) return out;
      claim(g.recordedBy.email, g.recordedBy.role, g.result === "waived" ? "The waiver" : "The gate record", null);
      out.push(...gateFileFindings(c, id, rest, g, change, s));
    } else if (rest === "exception.yaml") {
      const e = parseException(text);
      claim(e.loggedBy.email, e.loggedBy.role, "The emergency exception", policy.emergency.exceptionRoles);
    } else if (isReviewFile(rest)) {
      const r = parseReview(text);
      claim(r.reviewer.email, r.reviewer.role, "The review", policy.emergency.reviewerRoles);
      if (change && sameEmail(change.implementer.email, r.reviewer.email))
        out.push(
          finding(c.sha, id, "self-approval", `${r.reviewer.name} reviewed ${id}, but they are its implementer.`),
        );
      // One person cannot log, approve and review the same emergency: nor is the review the requester's.
      if (change && sameEmail(change.requester.email, r.reviewer.email))
        out.push(
          finding(c.sha, id, "self-approval", `${r.reviewer.name} reviewed ${id}, but they raised it (its requester).`),
        );
      const logger = exceptionBlob ? loggerOf(docs.read(exceptionBlob)?.toString("utf8") ?? "") : null;
      if (logger && !policy.segregation.emergencyLoggerMayReview && sameEmail(logger, r.reviewer.email))
        out.push(
          finding(c.sha, id, "self-approval", `${r.reviewer.name} reviewed ${id}, but they logged its exception.`),
        );
    }
  } catch {
    // A file that does not parse never counts as an approval, exception or review; the release reports what is missing.
  }
  return out;
}

const DECISION_TRAILERS = [
  ["Approved-by", "approved"],
  ["Rejected-by", "rejected"],
] as const;

/**
 * `Approved-by:` / `Rejected-by:` trailers must name the signer of an approval file of that decision in the same
 * commit: people read them in `git log`, so one naming someone else is a forged claim. A commit that already has a
 * signer-mismatch is not reported twice.
 */
export function trailerFindings(
  c: HistoryCommit,
  changes: readonly PathChange[],
  docs: DocCache,
  change: string | null,
  already: readonly Finding[],
): Finding[] {
  if (already.some((f) => f.kind === "signer-mismatch")) return [];
  const decisions = changes.flatMap((p) => {
    const cp = changePath(p.path);
    const a = cp?.rest.startsWith("approvals/") && p.blob ? docs.approval(p.blob) : null;
    return a ? [a] : [];
  });
  const out: Finding[] = [];
  for (const [key, decision] of DECISION_TRAILERS)
    for (const value of c.trailers.get(key.toLowerCase()) ?? []) {
      const email = /<([^<>]*)>\s*$/.exec(value)?.[1] ?? value;
      if (decisions.some((a) => a.decision === decision && sameEmail(a.signer.email, email.trim()))) continue;
      const held = decisions.map((a) => `${a.signer.email}'s ${a.decision === "approved" ? "approval" : "rejection"}`);
      out.push(
        finding(
          c.sha,
          change,
          "signer-mismatch",
          `Commit ${short(c.sha)} says "${key}: ${value}", but it holds ${held.length > 0 ? held.join(", ") : "no approval or rejection"}: the trailer must name the person who signed the decision.`,
        ),
      );
    }
  return out;
}

/** Who logged an exception.yaml, or null when it does not parse (verify reports that file where it was written). */
function loggerOf(text: string): string | null {
  try {
    return parseException(text).loggedBy.email;
  } catch {
    return null;
  }
}

/**
 * The ledger is append-only: a commit that modifies or deletes a file already in a change's folder must be by that
 * file's owner (shared/domain/policy/file-owner.ts), e.g. a requester revising their change.yaml, an approver their
 * own decision. Anyone else rewriting it (another laptop's renumbering gone wrong, a hand edit) is `foreign-write`.
 */
export function foreignWriteFindings(
  c: HistoryCommit,
  /** The change folder's id and the path inside it; id null for a record outside a change (a meeting). */
  cp: { readonly id: string | null; readonly rest: string },
  path: string,
  blobAfter: string | null,
  before: FileEntry | undefined,
  blob: (sha: string) => Buffer | null,
): Finding[] {
  if (!before || before.blob === blobAfter) return [];
  const owner = changeFileOwner(cp.rest, blob(before.blob)?.toString("utf8") ?? "");
  if (owner && sameEmail(owner, c.committerEmail)) return [];
  const what = blobAfter ? "rewrites" : "deletes";
  return [
    finding(
      c.sha,
      cp.id,
      "foreign-write",
      `Commit ${short(c.sha)} by ${c.committerEmail} ${what} ${path}, which ${owner ? `only ${owner} may change` : "no one may change (a new record is a new file)"}; the ledger is append-only.`,
    ),
  ];
}
