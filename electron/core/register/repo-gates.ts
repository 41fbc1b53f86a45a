import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  evidencePath,
  type GateChangeView,
  type GateRecordDoc,
  gateFileRefusal,
  parseGateRecord,
} from "../../../shared/domain/policy/index";
import type { HandlerContext } from "../dispatch";
import type { GitContext } from "../gitops/git";
import type { Trust } from "../identity/trust";
import { type ChangeRow, findChange, rowFields } from "./change-rows";
import type { Db } from "./db";
import { auditImported, importChangeRecords } from "./repo-files";

/**
 * The gate records and waivers other laptops committed (changes/<ID>/gates/*.yaml) become register gate rows, with
 * their evidence content where the repository holds it. A file counts only when the commit that last wrote it is
 * signed by the key of the person it names, who may record that gate (or waive it) under the policy; anything else is
 * left to `gitops verify` to report and never imported. Returns the repository paths imported.
 */
export async function importRepoGates(
  db: Db,
  trust: Trust,
  ctx: HandlerContext,
  gitCtx: GitContext,
): Promise<string[]> {
  const known = new Set(
    db.prepare("SELECT repo_path FROM gates WHERE repo_path IS NOT NULL").pluck().all() as string[],
  );
  return importChangeRecords(
    trust,
    gitCtx,
    () => db.prepare("SELECT id, number FROM changes WHERE number IS NOT NULL ORDER BY number").all() as NumberedId[],
    {
      kind: "gates",
      parse: parseGateRecord,
      skip: (path) => known.has(path),
      signer: (doc) => doc.recordedBy.email,
      admits: ({ id }, doc) => {
        const row = findChange(db, id);
        return row !== undefined && gateFileRefusal(trust.policy, partiesOfRow(row), doc) === null;
      },
      take: ({ id, number }, { path, doc, repoDir, commit }) => {
        const evidence = doc.evidence.map((e) => {
          const held = e.location === "repo" && storeBlob(db, join(repoDir, evidencePath(number, e.sha256)), e.sha256);
          return { ...e, location: held ? "repo" : e.location };
        });
        // The same record made here (same result by the same person, same evidence) is that file: it is claimed, not
        // imported twice (the demo register and the demo repository tell one story).
        const same = sameRecord(db, id, doc);
        if (same) {
          ctx.transact(() =>
            db.prepare("UPDATE gates SET repo_path = ?, commit_sha = ? WHERE id = ?").run(path, commit, same),
          );
          return false;
        }
        const gateId = ctx.ids.next(ctx.clock.now());
        ctx.transact(() => {
          db.prepare(
            `INSERT INTO gates (id, change_id, stage, gate, target, result, reason, waived_by, waived_by_role,
              recorded_by, recorded_at, measurements, evidence, repo_path, commit_sha)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          ).run(
            gateId,
            id,
            doc.stage,
            doc.gate,
            doc.target ?? null,
            doc.result,
            doc.reason ?? null,
            doc.result === "waived" ? doc.recordedBy.email.toLowerCase() : null,
            doc.result === "waived" ? doc.recordedBy.role : null,
            doc.recordedBy.email.toLowerCase(),
            doc.recordedAt,
            JSON.stringify(
              doc.measurements.map((m) => ({
                name: m.name,
                value: m.value,
                unit: m.unit ?? null,
                target: m.target ?? null,
                ok: m.ok,
              })),
            ),
            JSON.stringify(evidence),
            path,
            commit,
          );
          auditImported(ctx, {
            action: "gate.import",
            entity: "gate",
            entityId: gateId,
            after: { number, path, result: doc.result, recordedBy: doc.recordedBy.email, commit },
            reason: "Recorded on another laptop; imported from the GitOps repository",
          });
        });
        return true;
      },
      // A file that fails here is verify's finding to report; it never becomes a gate on this laptop.
      failure: "pass-over",
    },
  );
}

interface NumberedId {
  readonly id: string;
  readonly number: string;
}

function partiesOfRow(row: ChangeRow): GateChangeView {
  return {
    risk: row.risk,
    environment: row.environment,
    requester: row.requester_email.toLowerCase(),
    onBehalfOf: row.on_behalf_of_email?.toLowerCase() ?? null,
    implementer: row.implementer_email?.toLowerCase() ?? null,
    validation: rowFields(row).validation,
  };
}

/** Keeps a committed evidence file only when its bytes hash to the name the record gives it. */
export function storeBlob(db: Db, file: string, sha256: string): boolean {
  if (!existsSync(file)) return false;
  const content = readFileSync(file);
  if (createHash("sha256").update(content).digest("hex") !== sha256) return false;
  db.prepare("INSERT OR IGNORE INTO blobs (sha256, size, content) VALUES (?, ?, ?)").run(
    sha256,
    content.length,
    content,
  );
  return true;
}

function sameRecord(db: Db, changeId: string, doc: GateRecordDoc): string | null {
  const rows = db
    .prepare(
      `SELECT id, evidence FROM gates WHERE change_id = ? AND stage = ? AND gate = ? AND IFNULL(target, '') = ?
         AND result = ? AND lower(recorded_by) = ? AND repo_path IS NULL ORDER BY rowid`,
    )
    .all(changeId, doc.stage, doc.gate, doc.target ?? "", doc.result, doc.recordedBy.email.toLowerCase()) as {
    id: string;
    evidence: string;
  }[];
  const hashes = doc.evidence.map((e) => e.sha256).join(",");
  const match = rows.find(
    (r) => (JSON.parse(r.evidence) as { sha256: string }[]).map((e) => e.sha256).join(",") === hashes,
  );
  return match?.id ?? null;
}
