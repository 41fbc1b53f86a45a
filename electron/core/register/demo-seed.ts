import type { Person, RiskAnswer } from "../../../shared/contract/index";
import { DEMO_EMERGENCY } from "../../../shared/domain/demo/emergency";
import { DEMO_NOW, DEMO_PEOPLE } from "../../../shared/domain/demo/roster";
import { gateRecordPath } from "../../../shared/domain/policy/index";
import {
  type ChangeStatus,
  DEFAULT_VALIDATION,
  type GateName,
  STAGES,
} from "../../../shared/domain/register/vocabulary";
import { insertException, insertReview } from "../exceptions/exception-store";
import type { IdSource } from "../ids";
import { demoRoleDirectory } from "./actor";
import { assessRisk, attachEvidence } from "./assessment-ops";
import { appendAudit } from "./audit";
import { assignChangeNumber, commentChange, createChange, promoteChange, transitionChange } from "./change-ops";
import type { Db } from "./db";
import { DEMO_CHANGES as CHANGES, DEMO_REVIEW, type DemoChange, demoEmergency, demoWindow } from "./demo-changes";
import { DEMO_GATED_NUMBERS, demoGateId, demoGateRun, demoRecorder } from "./demo-gate-runs";
import { recordGate } from "./gate-ops";
import type { OpEnv } from "./ops-env";
import { markDemoRegister } from "./policy-roles";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function person(email: string): Person {
  const p = DEMO_PEOPLE.find((x) => x.email === email);
  return { name: p?.name ?? email, email };
}

const LENA = "lena.weber@plant.example";
const TOM = "tom.fischer@plant.example";
const SOFIA = "sofia.rossi@plant.example";
const KENJI = "kenji.sato@plant.example";
const DANA = "dana.kim@plant.example";

const NORMAL_PATH: readonly ChangeStatus[] = [
  "submitted",
  "assessed",
  "awaiting-approval",
  "approved",
  "scheduled",
  "implementing",
  "validating",
  "closed",
];
const STANDARD_PATH: readonly ChangeStatus[] = [
  "submitted",
  "assessed",
  "approved",
  "scheduled",
  "implementing",
  "validating",
  "closed",
];
const EMERGENCY_PATH: readonly ChangeStatus[] = [
  "submitted",
  "awaiting-approval",
  "approved",
  "implementing",
  "validating",
  "closed",
];

// How the demo reaches each end state: the happy path up to a point, then one side step.
function pathTo(c: DemoChange): readonly ChangeStatus[] {
  const main = c.type === "standard" ? STANDARD_PATH : c.type === "emergency" ? EMERGENCY_PATH : NORMAL_PATH;
  const upTo = (s: ChangeStatus) => main.slice(0, main.indexOf(s) + 1);
  switch (c.status) {
    case "draft":
      return [];
    case "rejected":
      return [...upTo("awaiting-approval"), "rejected"];
    case "cancelled":
      return ["submitted", "cancelled"];
    case "failed":
      return [...upTo("implementing"), "failed"];
    case "rolled-back":
      return [...upTo("implementing"), "failed", "rolled-back"];
    case "unauthorised":
      return [...upTo("implementing"), "unauthorised"];
    default:
      return upTo(c.status);
  }
}

const REASONS: Partial<Record<ChangeStatus, string>> = {
  rejected: "Open work orders still use the template.",
  cancelled: "Superseded by another change.",
  failed: "Validation found double revaluation postings.",
  "rolled-back": "Reverted the image tag and restored the pre-release snapshot.",
  unauthorised: "Release went out without the approvals its policy needs (quorum-not-met).",
};

/** Options of the demo seed: the moment it is built around and its id source. */
interface DemoSeedOptions {
  readonly now?: Date;
  readonly ids: IdSource;
  /** The year of the demo repository's CHG numbers (first run numbers them in the year it runs). */
  readonly year?: number;
}

/**
 * Fills a register with the demo plant network's changes, one or more in every lifecycle state, with
 * risk assessments, gates, comments, evidence and their audit rows, in one transaction.
 */
export function seedDemoRegister(db: Db, options: DemoSeedOptions): { readonly changes: number } {
  const base = (options.now ?? new Date(DEMO_NOW)).getTime();
  const ids = (at: Date) => options.ids.next(at);
  db.transaction(() => {
    const year = options.year ?? new Date(base).getUTCFullYear();
    for (const [index, c] of CHANGES.entries()) seedOne(db, c, index, base, ids, year);
    // Until a GitOps working copy exists, the demo's waivers are judged by the demo roster (policyRoleDirectory).
    markDemoRegister(db);
  }).immediate();
  return { changes: CHANGES.length };
}

function seedOne(db: Db, c: DemoChange, index: number, base: number, ids: (at: Date) => string, year: number): void {
  // Every history ends before DEMO_NOW (at most ~60 steps an hour apart), past windows' histories earlier.
  let t = base + (Math.min(c.windowDay, 0) - 8) * DAY + index * 20 * 60_000;
  const env = (actor: string): OpEnv => {
    t += HOUR;
    const now = new Date(t);
    return {
      db,
      now,
      actor,
      door: "direct",
      newId: () => ids(now),
      roles: demoRoleDirectory,
      audit: (entry) => appendAudit(db, [entry], { door: "direct", at: now }, actor),
    };
  };
  const environment = c.environment ?? "production";
  const window = demoWindow(c, base);
  const start = new Date(window.start);
  const id = createChange(env(LENA), {
    title: c.title,
    description: c.description,
    type: c.type,
    area: c.area,
    plants: c.plants,
    environment,
    requester: person(c.requester ?? LENA),
    implementer: person(TOM),
    window,
    dbMigration: c.dbMigration ?? false,
    rollbackPlan: "Revert the image tag; restore the pre-release snapshot if the migration ran.",
    snapshotRef: c.status === "draft" ? null : `snap-${start.toISOString().slice(0, 10)}`,
    checkpointRef: null,
    links: { incident: c.type === "emergency" ? `INC-${88000 + index}` : null, ticket: `ODOO-${1200 + index}` },
    validation: DEFAULT_VALIDATION,
    template: c.template ?? null,
  });
  // Numbered as in the demo repository, when it submitted there: Sync then finds nothing new to import.
  const number = c.number !== undefined ? `CHG-${year}-${String(c.number).padStart(4, "0")}` : null;
  if (number !== null) assignChangeNumber(env(c.requester ?? LENA), { id, number });
  if (c.comment) commentChange(env(KENJI), { id, body: c.comment });
  // A migration is approved only with its pre-deployment snapshot: the demo shows the backup's record beside it.
  if (c.dbMigration && c.status !== "draft") {
    const snapshot = `snap-${start.toISOString().slice(0, 10)}`;
    const log = `CloudNativePG Backup ${snapshot} (cluster odoo-db, namespace odoo-prod): phase completed\n`;
    attachEvidence(env(DANA), {
      changeId: id,
      filename: "pre-deployment-snapshot.log",
      contentBase64: Buffer.from(log).toString("base64"),
    });
  }
  const target = STAGES.indexOf(environment === "production" ? "preproduction" : environment);
  for (const to of pathTo(c)) {
    if (to === "assessed" || (to === "awaiting-approval" && c.type === "emergency")) assess(env(LENA), id, c);
    if ((to === "awaiting-approval" || (to === "approved" && c.type === "standard")) && c.type !== "emergency") {
      passGatesUpTo(env, id, target, c, index, number);
    }
    if (to === "implementing" && c.type === "emergency") passGatesUpTo(env, id, target, c, index, number);
    // Automatic steps name their part, never a person: the catalogue's pre-approval, post-release validation.
    const decider =
      to === "approved" && c.type === "standard"
        ? "system:standard-catalogue"
        : to === "unauthorised"
          ? "system:cluster"
          : to === "approved" || to === "rejected"
            ? c.type === "emergency"
              ? KENJI
              : SOFIA
            : TOM;
    // The demo replays a history whose signatures and releases are in the demo repository.
    transitionChange(env(decider), { id, to, reason: REASONS[to] }, "evidence");
    if (to === "implementing" && environment === "production") {
      promoteChange(env(TOM), { id, to: "production", reason: "Release to production" });
    }
  }
  takeLedgerRisk(db, id, c);
  if (c.type === "emergency" && c.number !== undefined) seedException(db, id, c, index, start, ids);
}

// The numbered emergency's exception, as the demo repository's exception.yaml has it (logged by Raj under
// break-glass before its window): Sync then finds the register already knows it.
function seedException(
  db: Db,
  changeId: string,
  c: DemoChange,
  index: number,
  start: Date,
  ids: (at: Date) => string,
): void {
  const loggedAt = new Date(start.getTime() - 50 * 60_000);
  const breakEnd = new Date(start.getTime() + 2 * HOUR);
  insertException(db, {
    id: ids(loggedAt),
    changeId,
    ...demoEmergency(c, index),
    plants: c.plants,
    breakGlass: { start: new Date(start.getTime() - 30 * 60_000).toISOString(), end: breakEnd.toISOString() },
    actions: "",
    loggedBy: {
      ...person(DEMO_EMERGENCY.loggedBy),
      role: "it-manager",
      signedAt: loggedAt.toISOString(),
      timeZone: "UTC",
      meaning: "Logged under break-glass",
    },
    reviewDueMs: breakEnd.getTime() + 48 * HOUR,
    keyFingerprint: "",
    signatureText: "",
    commit: null,
  });
  // A closed emergency was reviewed, as its review.yaml in the demo repository says.
  if (c.status !== "closed") return;
  insertReview(db, {
    changeId,
    outcome: DEMO_REVIEW.outcome,
    notes: DEMO_REVIEW.notes,
    signature: {
      ...person(DEMO_REVIEW.reviewer),
      role: DEMO_REVIEW.role,
      signedAt: new Date(start.getTime() + DEMO_REVIEW.afterStartMs).toISOString(),
      timeZone: "UTC",
      meaning: "Retrospective review",
    },
    keyFingerprint: "",
    signatureText: "",
    commit: null,
  });
}

// As Sync takes a change from the repository: its change.yaml's risk is the one the quorum is counted for.
function takeLedgerRisk(db: Db, id: string, c: DemoChange): void {
  if (!c.ledgerRisk) return;
  const rank = { low: 1, medium: 2, high: 3 }[c.ledgerRisk];
  db.prepare("UPDATE changes SET risk = ?, risk_rank = ? WHERE id = ?").run(c.ledgerRisk, rank, id);
}

function assess(env: OpEnv, id: string, c: DemoChange): void {
  const [production, tested, rehearsed, integrations, close] = c.risk ?? [false, true, true, [], false];
  const answers: Record<string, RiskAnswer> = {
    "production-hours": production,
    "db-migration": c.dbMigration ?? false,
    "tested-preproduction": tested,
    "rollback-rehearsed": rehearsed,
    integrations,
    plants: c.plants.length,
    "close-period": close,
  };
  assessRisk(env, { changeId: id, answers });
}

// Records the required gates at each stage up to `last` and promotes through them, each recorded by the plant's
// ops leader (neither the requester nor the implementer) with measured values; before the protected stages each
// carries a small log file, and one gate in three changes is waived by the change manager in her own name.
function passGatesUpTo(
  env: (actor: string) => OpEnv,
  id: string,
  last: number,
  c: DemoChange,
  index: number,
  number: string | null,
): void {
  const recorder = demoRecorder(c).email;
  // The demo repository holds these as signed files: the rows know their paths, so Sync finds nothing new.
  const inRepo = number !== null && c.number !== undefined && DEMO_GATED_NUMBERS.includes(c.number);
  const sink = (stage: string, gate: GateName) =>
    inRepo && stage === "preproduction"
      ? {
          path: () => gateRecordPath(number ?? "", stage, gate, null, demoGateId(index, gate)),
          written: () => undefined,
        }
      : undefined;
  for (let s = 0; s <= last; s++) {
    const stage = STAGES[s] ?? "development";
    for (const gate of DEFAULT_VALIDATION) {
      const waive = stage === "preproduction" && gate === "procurement-rules" && index % 3 === 0;
      if (waive) {
        recordGate(
          env(SOFIA),
          { changeId: id, stage, gate, result: "waived", reason: "No procurement rules touched by this change." },
          sink(stage, gate),
        );
        continue;
      }
      const run = demoGateRun(gate, c.plants, stage, index);
      const logged = stage === "qa" || stage === "preproduction";
      recordGate(
        env(recorder),
        {
          changeId: id,
          stage,
          gate,
          result: "pass",
          measurements: run.measurements,
          evidence: logged
            ? [{ filename: `${gate}-${stage}.log`, contentBase64: Buffer.from(run.log).toString("base64") }]
            : [],
        },
        sink(stage, gate),
      );
    }
    const nextStage = STAGES[s + 1];
    if (s < last && nextStage) promoteChange(env(TOM), { id, to: nextStage });
  }
}
