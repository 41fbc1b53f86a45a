import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { findPerson, isProtectedEnvironment, mayAct, type Policy } from "../../../shared/domain/policy/index";
import { parseRequest } from "../../../shared/domain/policy/request-file";
import type { HandlerContext } from "../dispatch";
import { digestOf } from "../gitops/commit";
import type { GitContext } from "../gitops/git";
import { signedFileCommit } from "../gitops/repo-approvals";
import type { Trust } from "../identity/trust";
import type { ChangeRow } from "./change-rows";
import type { Db } from "./db";
import { latestAssessment } from "./queries";
import { changeRecordFiles, forEachNumbered } from "./repo-files";
import { systemTransition } from "./system-moves";

/** Whether the person a request names may ask for approval of this change under the policy (actions:). */
function mayRequest(policy: Policy, row: ChangeRow, email: string): boolean {
  const person = findPerson(policy, email);
  if (!person) return false;
  return mayAct(
    policy.actions,
    "change.request-approval",
    { email: email.toLowerCase(), roles: person.roles },
    {
      requester: row.requester_email.toLowerCase(),
      onBehalfOf: row.on_behalf_of_email?.toLowerCase() ?? null,
      implementer: row.implementer_email?.toLowerCase() ?? null,
      protectedEnvironment: isProtectedEnvironment(policy, row.environment),
    },
  );
}

// The first request for the change.yaml in force whose last commit is signed by the key of the person it names, who
// may ask for approval of it; null when no one has asked for these bytes.
async function countedRequest(
  repoDir: string,
  row: ChangeRow & { readonly number: string },
  trust: Trust,
  gitCtx: GitContext,
): Promise<{ readonly path: string; readonly commit: string; readonly by: string } | null> {
  const files = changeRecordFiles(repoDir, row.number, "requests", parseRequest);
  const changeFile = join(repoDir, "changes", row.number, "change.yaml");
  if (files.length === 0 || !existsSync(changeFile)) return null;
  const digest = digestOf(readFileSync(changeFile));
  for (const { path, doc } of files) {
    if (doc.changeDigest !== digest || !mayRequest(trust.policy, row, doc.requestedBy.email)) continue;
    try {
      const signed = await signedFileCommit(repoDir, path, doc.requestedBy.email, trust, gitCtx);
      if (signed) return { path, commit: signed.commit, by: doc.requestedBy.email.toLowerCase() };
    } catch {
      // A file whose commit cannot be read asks for nothing; verify reports what is wrong with it.
    }
  }
  return null;
}

/**
 * "Asked for approval" is a signed record (changes/<ID>/requests/...): a normal change this register holds as
 * submitted or assessed, whose change.yaml in force someone who may ask has asked about, waits for approval here too,
 * as `system:gitops` with the request in the audit row. So every laptop shows an assessed change the same way: assessed
 * until asked, then waiting. Returns the changes moved.
 */
export async function importRepoRequests(
  db: Db,
  trust: Trust,
  ctx: HandlerContext,
  gitCtx: GitContext,
): Promise<string[]> {
  const rows = () =>
    db
      .prepare(
        `SELECT * FROM changes WHERE number IS NOT NULL AND deleted_at IS NULL AND type = 'normal'
           AND status IN ('submitted', 'assessed') AND risk IS NOT NULL ORDER BY number`,
      )
      .all() as (ChangeRow & { number: string })[];
  return forEachNumbered(trust, rows, async (repoDir, row) => {
    const asked = await countedRequest(repoDir, row, trust, gitCtx);
    // A submitted change goes through assessed only on an assessment this register holds (the lifecycle's rule).
    if (!asked || (row.status === "submitted" && !latestAssessment(db, row.id))) return [];
    const reason = `Asked for approval by ${asked.by} on another laptop: ${asked.path} (commit ${asked.commit.slice(0, 10)})`;
    ctx.transact(() => {
      let version = row.version;
      if (row.status === "submitted")
        version = systemTransition(db, ctx, "gitops", {
          id: row.id,
          to: "assessed",
          expectedVersion: version,
          reason,
        }).version;
      systemTransition(db, ctx, "gitops", { id: row.id, to: "awaiting-approval", expectedVersion: version, reason });
    });
    return [row.number];
  });
}
