import { createHash } from "node:crypto";
import { AppError, type Gate } from "../../../shared/contract/index";
import type { GateEvidenceRef, GateMeasurement } from "../../../shared/contract/methods/register";
import { boundForProtected, type GateRule, meetsTarget, ruleFor } from "../../../shared/domain/policy/gate-rules";
import { whoMay } from "../../../shared/domain/policy/permissions";
import { TERMINAL } from "../../../shared/domain/register/lifecycle";
import { type GateName, type GateResult, STAGES, type Stage } from "../../../shared/domain/register/vocabulary";
import { mediaTypeOf } from "./assessment-ops";
import { type ChangeRow, rowFields, touchChange } from "./change-rows";
import { gatePolicyOf, type OpEnv } from "./ops-env";
import { isPerson } from "./permissions";
import type { PolicyPermissions } from "./policy-roles";
import { hasBlob, liveChange } from "./queries";
import { stmt } from "./statements";

/** Evidence up to this size is committed into the GitOps repository; larger files travel by hash only ("store"). */
export const REPO_EVIDENCE_BYTES = 256 * 1024;

/**
 * The environment a gate at `stage` is judged for: the protected stage it leads into (or is), so the requester and
 * implementer of a change are kept from recording its gates bound for a protected environment; else the stage.
 */
export function gateEnvironment(stage: Stage, protectedEnvironments: readonly string[]): string {
  if (!boundForProtected(stage, protectedEnvironments)) return stage;
  return protectedEnvironments.includes(stage) ? stage : (STAGES[STAGES.indexOf(stage) + 1] ?? stage);
}

/**
 * Throws unless the waiver's actor is the holder of this laptop's proved key: a waiver is that person's signature,
 * so no door (not even the command line's --actor) may put it in someone else's name.
 */
export function assertOwnWaiver(actor: string, proved: string): void {
  if (!isPerson(proved)) {
    throw new AppError(
      "forbidden",
      "A waiver is signed by the person who waives: select your signing key (the identity menu, or `shiftgate identity use`) and waive as yourself.",
      { reason: "role", action: "gate.waive" },
    );
  }
  if (actor.toLowerCase() !== proved.toLowerCase()) {
    throw new AppError(
      "forbidden",
      `A waiver is signed by the person who waives; the selected key is ${proved}'s, so it cannot waive in ${actor}'s name. Ask ${actor} to waive it with their own key.`,
      { reason: "role", action: "gate.waive" },
    );
  }
}

/** Where a recorded gate goes besides the register: its repository path, and its file once the row is written. */
interface GateSink {
  readonly path: (gate: Gate) => string;
  /** Called with the record as the repository keeps it (evidence "repo" or "store"), inside the transaction. */
  readonly written: (gate: Gate) => void;
}

/** One gate result as a door hands it over; the recorder (and a waiver's signer) is the caller. */
export interface GateInput {
  readonly changeId: string;
  readonly stage: Stage;
  readonly gate: GateName;
  readonly target?: string | null;
  readonly result: GateResult;
  readonly reason?: string;
  readonly measurements?: readonly { name: string; value: number | string; unit?: string | null }[];
  readonly evidence?: readonly { filename: string; contentBase64: string }[];
}

/**
 * Records one gate result, as the policy's rule for that gate at that stage demands: a pass carries the
 * measurements (meeting their targets) and files the rule asks for; a waiver is the caller's own signature, by a
 * holder of one of the gate's waiver roles who is not the change's requester. Returns the record.
 */
export function recordGate(env: OpEnv, input: GateInput, publish?: GateSink): Gate {
  const row = liveChange(env.db, input.changeId);
  if (TERMINAL.includes(row.status)) {
    throw new AppError("illegal-transition", `No gates are recorded on a ${row.status} change.`, {
      from: row.status,
      allowed: [],
    });
  }
  if (STAGES.indexOf(input.stage) > STAGES.indexOf(row.environment)) {
    throw new AppError(
      "invalid-input",
      `The change targets ${row.environment}; it has no ${input.stage} stage to record gates for.`,
      { issues: [{ path: "stage", message: `beyond ${row.environment}` }] },
    );
  }
  const rule = ruleFor(gatePolicyOf(env), input.stage, input.gate, {
    risk: row.risk,
    validation: rowFields(row).validation,
  });
  const waiverRole = input.result === "waived" ? assertMayWaive(env, row, rule) : null;
  if (input.result !== "waived" && rule.recorders && isPerson(env.actor)) {
    const held = env.roles(env.actor);
    if (!held.some((r) => rule.recorders?.includes(r))) {
      throw new AppError(
        "forbidden",
        `Only a ${rule.recorders.join(" or a ")} may record the ${rule.gate} gate at ${input.stage}; you (${env.actor}) hold ${held.join(", ") || "no role in the policy"}. Ask one of them to record it.`,
        { reason: "role", action: "gate.record" },
      );
    }
  }
  const measurements = measured(rule, input);
  if (input.result === "pass") assertPassEvidence(rule, measurements, input);
  const evidence = storeEvidence(env, input.evidence ?? []);
  const base: Gate = {
    id: env.newId(),
    changeId: row.id,
    stage: input.stage,
    gate: input.gate,
    target: input.target ?? null,
    result: input.result,
    reason: input.reason ?? null,
    // A waiver is the signer's: the person and the role they hold now, never a name typed in.
    waivedBy: waiverRole ? env.actor.toLowerCase() : null,
    waivedByRole: waiverRole,
    recordedBy: env.actor,
    recordedAt: env.now.toISOString(),
    measurements,
    evidence,
  };
  const gate: Gate = { ...base, evidence: evidence.map((e) => ({ ...e, location: "here" })) };
  stmt(
    env.db,
    `INSERT INTO gates (id, change_id, stage, gate, target, result, reason, waived_by, waived_by_role, recorded_by,
      recorded_at, measurements, evidence, repo_path) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    gate.id,
    gate.changeId,
    gate.stage,
    gate.gate,
    gate.target,
    gate.result,
    gate.reason,
    gate.waivedBy,
    gate.waivedByRole,
    gate.recordedBy,
    gate.recordedAt,
    JSON.stringify(gate.measurements),
    JSON.stringify(evidence),
    publish ? publish.path(base) : null,
  );
  for (const [i, file] of (input.evidence ?? []).entries()) {
    const ref = evidence[i];
    if (ref) insertEvidenceRow(env, row.id, gate.id, file.filename, ref);
  }
  touchChange(env.db, row.id, gate.recordedAt);
  publish?.written(base);
  env.audit({
    action: "gate.record",
    entity: "gate",
    entityId: gate.id,
    after: gate,
    reason: gate.reason,
    actor: env.actor,
  });
  return gate;
}

function assertMayWaive(env: OpEnv, row: ChangeRow, rule: GateRule): string {
  if (!isPerson(env.actor)) {
    throw new AppError(
      "forbidden",
      "A waiver is signed by the person who waives: select your signing key (the identity menu) and waive as yourself.",
      { reason: "role", action: "gate.waive" },
    );
  }
  const me = env.actor.toLowerCase();
  if (row.requester_email.toLowerCase() === me || row.on_behalf_of_email?.toLowerCase() === me) {
    throw new AppError(
      "sod-violation",
      `You requested ${row.number ?? row.id}, so you may not waive its gates. Ask a ${rule.waivers.join(" or a ")} who is not the requester to waive it.`,
      { reason: "requester-waiver" },
    );
  }
  const role = env.roles(me).find((r) => rule.waivers.includes(r));
  if (!role) {
    throw new AppError(
      "forbidden",
      `Only a ${rule.waivers.join(" or a ")} may waive the ${rule.gate} gate; you (${me}) hold ${env.roles(me).join(", ") || "no role in the policy"}. Ask one to waive it in their own name.`,
      { reason: "role", action: "gate.waive" },
    );
  }
  return role;
}

// Each value is judged against the target the policy sets for it; a value the policy has no target for is kept as said.
function measured(rule: GateRule, input: GateInput): GateMeasurement[] {
  return (input.measurements ?? []).map((m) => {
    const target = rule.evidence.measurements.find((t) => t.name === m.name);
    return {
      name: m.name,
      value: m.value,
      unit: m.unit ?? target?.unit ?? null,
      target: target ? { op: target.op, value: target.value } : null,
      ok: target ? meetsTarget(m.value, target.op, target.value) : true,
    };
  });
}

function assertPassEvidence(rule: GateRule, measurements: readonly GateMeasurement[], input: GateInput): void {
  const missing = rule.evidence.measurements.filter((t) => t.required && !measurements.some((m) => m.name === t.name));
  if (missing.length > 0) {
    throw new AppError(
      "invalid-input",
      `A pass of ${rule.gate} must carry its measured ${missing.map((t) => `${t.name} (target ${t.op} ${t.value}${t.unit ? ` ${t.unit}` : ""})`).join(", ")}, as the policy asks.`,
      { issues: [{ path: "measurements", message: `missing ${missing.map((t) => t.name).join(", ")}` }] },
    );
  }
  const off = measurements.filter((m) => !m.ok);
  if (off.length > 0) {
    throw new AppError(
      "invalid-input",
      `${off.map((m) => `${m.name} ${m.value}${m.unit ? ` ${m.unit}` : ""} misses its target ${m.target?.op} ${m.target?.value}`).join("; ")}: record ${rule.gate} as failed (with the reason), or have it waived.`,
      { issues: [{ path: "measurements", message: "a measurement misses its target" }] },
    );
  }
  if (rule.evidence.file && (input.evidence ?? []).length === 0) {
    throw new AppError(
      "invalid-input",
      `A pass of ${rule.gate} needs its evidence file (a log or report), as the policy asks.`,
      {
        issues: [{ path: "evidence", message: "an evidence file is required" }],
      },
    );
  }
}

function storeEvidence(env: OpEnv, files: readonly { filename: string; contentBase64: string }[]): GateEvidenceRef[] {
  return files.map((f) => {
    const content = Buffer.from(f.contentBase64, "base64");
    const sha256 = createHash("sha256").update(content).digest("hex");
    if (!hasBlob(env.db, sha256)) {
      stmt(env.db, "INSERT INTO blobs (sha256, size, content) VALUES (?, ?, ?)").run(sha256, content.length, content);
    }
    return {
      filename: f.filename,
      sha256,
      size: content.length,
      // Committed as text: a small file whose bytes survive UTF-8 goes in the repository, anything else by hash.
      location:
        content.length <= REPO_EVIDENCE_BYTES && Buffer.from(content.toString("utf8")).equals(content)
          ? "repo"
          : "store",
    };
  });
}

function insertEvidenceRow(env: OpEnv, changeId: string, gateId: string, filename: string, ref: GateEvidenceRef): void {
  stmt(
    env.db,
    `INSERT INTO evidence (id, change_id, gate_id, filename, media_type, sha256, size, attached_by, attached_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    env.newId(),
    changeId,
    gateId,
    filename,
    mediaTypeOf(filename),
    ref.sha256,
    ref.size,
    env.actor,
    env.now.toISOString(),
  );
}

/** The role a recorder records under, as their gate file names it: one the gate.record rule allows, else their first. */
export function recorderRole(permissions: PolicyPermissions, email: string): string {
  const roles = permissions.rolesOf(email);
  const allowed = whoMay(permissions.rules, "gate.record");
  return roles.find((r) => allowed.includes(r)) ?? roles[0] ?? "recorder";
}
