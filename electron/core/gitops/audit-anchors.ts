import { existsSync } from "node:fs";
import { AppError } from "../../../shared/contract/errors";
import { type AuditAnchor, type AuditHead, formatAuditHead, parseAuditHead } from "../register/audit-anchors";
import { withTrailer } from "./commit";
import { type GitContext, git } from "./git";

/** The trailer by which a signed commit anchors the register's audit head in the ledger. */
export const AUDIT_HEAD_TRAILER = "Audit-Head";

/** Adds `Audit-Head: <register-id> <seq> <hash>` to a message's trailer block (or starts one); unchanged for null. */
export function withAuditHead(message: string, head: AuditHead | null): string {
  return head === null ? message : withTrailer(message, AUDIT_HEAD_TRAILER, formatAuditHead(head));
}

/** Every Audit-Head anchor in commits reachable from any ref of the repository (working copy or bare). */
export async function readAuditAnchors(ctx: GitContext, repo: string): Promise<readonly AuditAnchor[]> {
  if (!existsSync(repo)) throw new AppError("invalid-input", `There is no repository at ${repo}.`);
  const out = await git(
    ctx,
    repo,
    [
      "log",
      "--all",
      `--grep=^${AUDIT_HEAD_TRAILER}: `,
      `--format=%H%x1f%(trailers:key=${AUDIT_HEAD_TRAILER},valueonly,separator=%x1d)%x1e`,
    ],
    { doing: "read the audit anchors of the GitOps repository" },
  );
  const anchors: AuditAnchor[] = [];
  for (const record of out.stdout.split("\x1e")) {
    const [commit, values] = record.trim().split("\x1f");
    if (!commit || !values) continue;
    for (const value of values.split("\x1d")) {
      const parsed = parseAuditHead(value);
      if (parsed) anchors.push({ commit, ...parsed });
    }
  }
  return anchors;
}
