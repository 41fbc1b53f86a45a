import { join } from "node:path";
import { parseAttachment } from "../../../shared/domain/policy/attachment-file";
import { evidencePath, findPerson, mayAct } from "../../../shared/domain/policy/index";
import type { HandlerContext } from "../dispatch";
import type { GitContext } from "../gitops/git";
import type { Trust } from "../identity/trust";
import type { Db } from "./db";
import { auditImported, importChangeRecords } from "./repo-files";
import { storeBlob } from "./repo-gates";

interface NumberedRow {
  readonly id: string;
  readonly number: string;
  readonly requester_email: string;
  readonly on_behalf_of_email: string | null;
  readonly implementer_email: string | null;
}

/**
 * Evidence other laptops attached to a change as a whole (changes/<ID>/attachments/*.yaml) becomes this register's:
 * the record always (so the decision view names it by hash), and an evidence row with its bytes when the repository
 * holds them and they hash to the record's sha256. A record counts only when the commit that last wrote it is signed
 * by the key of the person it names, who may comment on the change under the policy. Returns the paths taken.
 */
export async function importRepoAttachments(
  db: Db,
  trust: Trust,
  ctx: HandlerContext,
  gitCtx: GitContext,
): Promise<string[]> {
  const known = db.prepare("SELECT 1 FROM evidence_records WHERE repo_path = ?").pluck();
  const rows = () =>
    db
      .prepare(
        `SELECT id, number, requester_email, on_behalf_of_email, implementer_email FROM changes
         WHERE number IS NOT NULL AND deleted_at IS NULL ORDER BY number`,
      )
      .all() as NumberedRow[];
  return importChangeRecords(trust, gitCtx, rows, {
    kind: "attachments",
    parse: parseAttachment,
    skip: (path) => known.get(path) !== undefined,
    signer: (doc) => doc.attachedBy.email,
    admits: (row, doc) => {
      const email = doc.attachedBy.email.toLowerCase();
      const person = findPerson(trust.policy, email);
      const parties = {
        requester: row.requester_email.toLowerCase(),
        onBehalfOf: row.on_behalf_of_email?.toLowerCase() ?? null,
        implementer: row.implementer_email?.toLowerCase() ?? null,
        protectedEnvironment: false,
      };
      return person !== null && mayAct(trust.policy.actions, "change.comment", { email, roles: person.roles }, parties);
    },
    take: (row, { path, doc, repoDir, commit }) => {
      const email = doc.attachedBy.email.toLowerCase();
      ctx.transact(() => {
        const held =
          (doc.location === "repo" && storeBlob(db, join(repoDir, evidencePath(row.number, doc.sha256)), doc.sha256)) ||
          db.prepare("SELECT 1 FROM blobs WHERE sha256 = ?").pluck().get(doc.sha256) !== undefined;
        db.prepare(
          `INSERT INTO evidence_records (repo_path, change_id, filename, sha256, size, location, attached_by,
            attached_at, commit_sha) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(path, row.id, doc.filename, doc.sha256, doc.size, doc.location, email, doc.attachedAt, commit);
        // The laptop that attached it already holds the same evidence: the unique index keeps it once.
        const id = ctx.ids.next(ctx.clock.now());
        const added = held
          ? db
              .prepare(
                `INSERT OR IGNORE INTO evidence (id, change_id, gate_id, filename, media_type, sha256, size,
                  attached_by, attached_at) VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?)`,
              )
              .run(id, row.id, doc.filename, doc.mediaType, doc.sha256, doc.size, email, doc.attachedAt).changes
          : 0;
        if (added === 0 && held) return;
        auditImported(ctx, {
          action: "evidence.import",
          entity: "evidence",
          entityId: added > 0 ? id : null,
          after: { number: row.number, path, sha256: doc.sha256, held, attachedBy: email, commit },
          reason: "Attached on another laptop; imported from the GitOps repository",
        });
      });
      return true;
    },
    // A record that fails here is verify's to report; it never becomes evidence here.
    failure: "pass-over",
  });
}
