import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { monotonicFactory } from "ulid";
import {
  boundForProtected,
  DEFAULT_GATE_POLICY,
  evidencePath,
  findPerson,
  type GateRecordDoc,
  isProtectedEnvironment,
  mayAct,
  type Policy,
  parseGateRecord,
  ruleFor,
} from "../../../shared/domain/policy/index";
import { type GateName, type RiskClass, STAGES, type Stage } from "../../../shared/domain/register/vocabulary";
import type { HandlerContext } from "../dispatch";
import type { GitContext } from "../gitops/git";
import type { RegisterAuditInput } from "../register/audit";
import { type ChangeRow, findChange, rowFields } from "../register/change-rows";
import type { Db } from "../register/db";
import { signedFileCommit } from "./repo-approvals";
import type { Trust } from "./trust";

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
  const repoDir = trust.repoDir;
  const imported: string[] = [];
  if (!repoDir) return imported;
  const next = monotonicFactory();
  const known = new Set(
    (db.prepare("SELECT repo_path FROM gates WHERE repo_path IS NOT NULL").pluck().all() as string[]).map((p) => p),
  );
  const numbered = db.prepare("SELECT id, number FROM changes WHERE number IS NOT NULL ORDER BY number").all() as {
    id: string;
    number: string;
  }[];
  for (const { id, number } of numbered) {
    const folder = join(repoDir, "changes", number, "gates");
    if (!existsSync(folder)) continue;
    for (const name of readdirSync(folder).sort()) {
      const path = `changes/${number}/gates/${name}`;
      if (!name.endsWith(".yaml") || known.has(path)) continue;
      try {
        const doc = parseGateRecord(readFileSync(join(folder, name), "utf8"), path);
        const row = findChange(db, id);
        if (!row || doc.change !== number || gateFileRefusal(trust.policy, partiesOfRow(row), doc) !== null) continue;
        const signed = await signedFileCommit(repoDir, path, doc.recordedBy.email, trust, gitCtx);
        if (!signed) continue;
        const evidence = doc.evidence.map((e) => {
          const held = e.location === "repo" && storeBlob(db, join(repoDir, evidencePath(number, e.sha256)), e.sha256);
          return { ...e, location: held ? "repo" : e.location };
        });
        const gateId = next(ctx.clock.now().getTime());
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
            signed.commit,
          );
          const entry: RegisterAuditInput = {
            action: "gate.import",
            entity: "gate",
            entityId: gateId,
            after: { number, path, result: doc.result, recordedBy: doc.recordedBy.email, commit: signed.commit },
            reason: "Recorded on another laptop; imported from the GitOps repository",
            // An automatic step of sync: the evidence is the signed file named above.
            actor: "system:gitops",
          };
          ctx.audit(entry);
        });
        imported.push(path);
      } catch {
        // A file that does not parse is verify's finding; it never becomes a gate here.
      }
    }
  }
  return imported;
}

/**
 * Why a gate file may not count under the policy, or null: a waiver needs one of the gate's waiver roles (held) and
 * a signer who is not the requester; a record needs a role that may record gates, and for a gate bound for a
 * protected environment a signer who is neither the requester nor the implementer (unless policy names them).
 */
export function gateFileRefusal(policy: Policy, parties: GateChangeView, doc: GateRecordDoc): string | null {
  const person = findPerson(policy, doc.recordedBy.email);
  if (!person?.roles.includes(doc.recordedBy.role) && !["requester", "implementer"].includes(doc.recordedBy.role))
    return `${doc.recordedBy.email} does not hold ${doc.recordedBy.role} in the policy`;
  if (STAGES.indexOf(doc.stage) > STAGES.indexOf(parties.environment)) return `the change has no ${doc.stage} stage`;
  const email = doc.recordedBy.email.toLowerCase();
  const isRequester = parties.requester === email || parties.onBehalfOf === email;
  const rule = ruleFor(policy.gates ?? DEFAULT_GATE_POLICY, doc.stage, doc.gate, {
    risk: parties.risk,
    validation: parties.validation,
  });
  if (doc.result === "waived") {
    if (isRequester) return "the requester waived a gate of their own change";
    return rule.waivers.includes(doc.recordedBy.role) ? null : `${doc.recordedBy.role} may not waive ${doc.gate}`;
  }
  const protectedEnvironments = Object.keys(policy.environments).filter((e) => isProtectedEnvironment(policy, e));
  const allowed = mayAct(
    policy.actions,
    "gate.record",
    { email, roles: person?.roles ?? [] },
    {
      requester: parties.requester,
      onBehalfOf: parties.onBehalfOf,
      implementer: parties.implementer,
      protectedEnvironment: boundForProtected(doc.stage, protectedEnvironments),
    },
  );
  if (!allowed) return `${email} may not record gates of this change`;
  if (rule.recorders && !rule.recorders.includes(doc.recordedBy.role))
    return `${doc.recordedBy.role} may not record ${doc.gate}`;
  return null;
}

/** What judging a gate file needs of its change (from the register row, or from change.yaml in verify). */
export interface GateChangeView {
  readonly risk: RiskClass | null;
  readonly environment: Stage;
  readonly requester: string;
  readonly onBehalfOf: string | null;
  readonly implementer: string | null;
  readonly validation: readonly GateName[];
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

// A committed evidence file is kept only when its bytes hash to the name the record gives it.
function storeBlob(db: Db, file: string, sha256: string): boolean {
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
