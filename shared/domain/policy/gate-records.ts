import { Document, isMap } from "yaml";
import { z } from "zod";
import { GATE_NAMES, GATE_RESULTS, type GateName, type RiskClass, STAGES, type Stage } from "../register/vocabulary";
import { parseYamlDoc } from "./documents";
import { boundForProtected, DEFAULT_GATE_POLICY, MEASUREMENT_OPS, ruleFor } from "./gate-rules";
import { findPerson, isProtectedEnvironment } from "./people";
import { mayAct } from "./permissions";
import type { Policy } from "./schemas";

// One gate record or waiver as a signed file in the GitOps repository (docs/gitops-repo.md):
// changes/<ID>/gates/<stage>-<gate>[-<target>]-<ulid>.yaml, written once and never changed: a new result is a new file.

const email = z.string().regex(/^[^\s@<>/\\]+@[^\s@<>/\\]+$/, "an e-mail address");
const hex64 = z.string().regex(/^[0-9a-f]{64}$/, "64 lowercase hex digits");

const gateRecordSchema = z
  .object({
    change: z.string().regex(/^CHG-\d{4}-\d{4,}$/, "a change id like CHG-2026-0042"),
    stage: z.enum(STAGES),
    gate: z.enum(GATE_NAMES),
    target: z.string().min(1).max(100).optional(),
    result: z.enum(GATE_RESULTS),
    reason: z.string().max(2_000).optional(),
    // The signer: who recorded it (for a waiver, who waived it, in the waiver role they hold).
    recordedBy: z.object({ name: z.string().min(1), email, role: z.string().min(1) }).strict(),
    recordedAt: z.iso.datetime({ offset: true }),
    measurements: z
      .array(
        z
          .object({
            name: z.string().min(1).max(64),
            value: z.union([z.number(), z.string().max(100)]),
            unit: z.string().max(20).optional(),
            target: z
              .object({ op: z.enum(MEASUREMENT_OPS), value: z.union([z.number(), z.string().max(100)]) })
              .strict()
              .optional(),
            ok: z.boolean(),
          })
          .strict(),
      )
      .max(20)
      .default([]),
    evidence: z
      .array(
        z
          .object({
            filename: z.string().min(1).max(255),
            sha256: hex64,
            size: z.number().int().min(0),
            // repo: committed beside the change as changes/<ID>/evidence/<sha256>; store: by hash only.
            location: z.enum(["repo", "store"]),
          })
          .strict(),
      )
      .max(5)
      .default([]),
  })
  .strict();

export type GateRecordDoc = z.infer<typeof gateRecordSchema>;

/** Reads one gate file. */
export const parseGateRecord = (text: string, label = "gate record"): GateRecordDoc =>
  parseYamlDoc(gateRecordSchema, text, label);

const ORDER = [
  "change",
  "stage",
  "gate",
  "target",
  "result",
  "reason",
  "recordedBy",
  "recordedAt",
  "measurements",
  "evidence",
] as const;

/** A gate file's bytes, canonical: fixed key order, one line per measurement and evidence file. */
export function writeGateRecord(record: GateRecordDoc): string {
  const ordered: Record<string, unknown> = {};
  for (const key of ORDER) if (record[key] !== undefined) ordered[key] = record[key];
  const doc = new Document(ordered);
  doc.contents = doc.createNode(ordered, { flow: false });
  const signer = doc.get("recordedBy", true);
  if (isMap(signer)) signer.flow = true;
  for (const key of ["measurements", "evidence"]) {
    const seq = doc.get(key, true) as { items?: { flow?: boolean }[] } | undefined;
    for (const item of seq?.items ?? []) item.flow = true;
  }
  return doc.toString({ lineWidth: 0 });
}

/** `changes/<ID>/gates/<stage>-<gate>[-<target>]-<id>.yaml`; the target is reduced to a slug. */
export function gateRecordPath(change: string, stage: string, gate: string, target: string | null, id: string): string {
  const slug = target
    ? `-${target
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-|-$/g, "")
        .slice(0, 40)}`
    : "";
  return `changes/${change}/gates/${stage}-${gate}${slug === "-" ? "" : slug}-${id.toLowerCase()}.yaml`;
}

/** Where a small evidence file's content is committed: `changes/<ID>/evidence/<sha256>`. */
export function evidencePath(change: string, sha256: string): string {
  return `changes/${change}/evidence/${sha256}`;
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
