import {
  type ChangeDoc,
  type GateChangeView,
  type GateRecordDoc,
  gateFileRefusal,
  requiredGates,
} from "../../../../shared/domain/policy/index";
import { type GateView, stageReadiness } from "../../../../shared/domain/register/gates";
import { GATE_NAMES, type GateName, STAGES } from "../../../../shared/domain/register/vocabulary";
import type { DocCache } from "./doc-cache";
import { type Finding, finding } from "./findings";
import { countedGateRecords, type Files, liveFiles, overridingPasses } from "./gate-checks";
import type { HistoryCommit, PathChange } from "./history";
import { changePath, type PolicyState } from "./policy-state";

/** How a gate file's rules see its change, from change.yaml. */
function gateViewOf(change: ChangeDoc): GateChangeView {
  return {
    risk: change.risk,
    environment: change.environment,
    requester: change.requester.email.toLowerCase(),
    onBehalfOf: change.onBehalfOf?.email.toLowerCase() ?? null,
    implementer: change.implementer.email.toLowerCase(),
    // change.yaml may name gates this version does not know; only known ones can be required.
    validation: change.validation.filter((g): g is GateName => (GATE_NAMES as readonly string[]).includes(g)),
  };
}

/** A gate file's own findings: its signer must have committed it, hold its role, and be someone the policy lets record (or waive) it. */
export function gateFileFindings(
  c: HistoryCommit,
  id: string,
  rest: string,
  doc: GateRecordDoc,
  change: ChangeDoc | null,
  s: PolicyState,
): Finding[] {
  const out: Finding[] = [];
  const what = doc.result === "waived" ? "The waiver" : "The gate record";
  const name = rest.slice("gates/".length);
  if (!name.startsWith(`${doc.stage}-${doc.gate}-`) || doc.change !== id)
    out.push(
      finding(
        c.sha,
        id,
        "signer-mismatch",
        `The gate file ${rest} holds ${doc.change}'s ${doc.stage} ${doc.gate} record.`,
      ),
    );
  const why = change ? gateFileRefusal(s.policy, gateViewOf(change), doc) : null;
  if (why) out.push(finding(c.sha, id, "gate-not-allowed", `${what} ${rest} of ${id} does not count: ${why}.`));
  return out;
}

/**
 * `gate-missing`: a release of a change bound for a protected environment whose previous stage's required gates
 * (the policy's, plus the change's own) are not all passed or validly waived by signed, unrefused gate files.
 */
export function gateMissingFindings(
  c: HistoryCommit,
  change: ChangeDoc,
  files: Files,
  s: PolicyState,
  docs: DocCache,
): Finding[] {
  // Judged only under a policy that names its gates: a release made under one written before gates were policy was
  // not bound by them (the register holds its own changes to the built-in default).
  if (!s.policy.gates || !s.policy.environments[change.environment]?.protected) return [];
  const previous = STAGES[STAGES.indexOf(change.environment) - 1];
  if (!previous) return [];
  const view = gateViewOf(change);
  const counted = countedGateRecords(change.id, view, liveFiles(files), s, docs);
  // A hand pass over a failing Odoo check counts for nothing (gate-check-overridden, reported where it was written).
  const overriding = overridingPasses(counted);
  const records: (GateView & { at: string })[] = counted
    .filter((r) => !overriding.has(r))
    .map(({ doc }) => ({
      stage: doc.stage,
      gate: doc.gate,
      target: doc.target ?? null,
      result: doc.result,
      waivedByRole: doc.result === "waived" ? doc.recordedBy.role : null,
      at: doc.recordedAt,
    }));
  records.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const required = requiredGates(s.policy.gates, previous, view);
  const readiness = stageReadiness(previous, required, records);
  if (readiness.ready) return [];
  return [
    finding(
      c.sha,
      change.id,
      "gate-missing",
      `Release ${c.sha.slice(0, 10)} of ${change.id} to ${change.environment}: the ${previous} gates are not all passed or validly waived: ${readiness.blockers.map((b) => `${b.gate} (${b.state})`).join(", ")}.`,
    ),
  ];
}

/**
 * `gate-check-overridden`: the gate file `rest` a commit writes is a hand pass that overrides a failing check,
 * judged on the change's gate files as they stand with this commit.
 */
export function checkOverrideFindings(
  c: HistoryCommit,
  id: string,
  rest: string,
  before: Files | undefined,
  changes: readonly PathChange[],
  change: ChangeDoc | null,
  s: PolicyState,
  docs: DocCache,
): Finding[] {
  if (!change || !rest.startsWith("gates/")) return [];
  const files = new Map(liveFiles(before));
  for (const p of changes) {
    const cp = changePath(p.path);
    if (cp?.id === id && p.blob) files.set(cp.rest, p.blob);
  }
  const records = countedGateRecords(id, gateViewOf(change), files, s, docs);
  const mine = records.find((r) => r.rest === rest);
  const failed = mine ? overridingPasses(records).get(mine) : undefined;
  if (!mine || !failed) return [];
  const { doc } = mine;
  return [
    finding(
      c.sha,
      id,
      "gate-check-overridden",
      `The hand-recorded pass ${rest} of ${id} (${doc.stage} ${doc.gate}, by ${doc.recordedBy.email} at ${doc.recordedAt}) does not count: ` +
        `the Odoo check of ${doc.gate} in ${doc.stage} failed (${failed.rest}, run by ${failed.doc.recordedBy.email} at ${failed.doc.recordedAt}) ` +
        "and no check has passed since nor has anyone signed a waiver. Fix it in Odoo and run the check again, or have the gate waived.",
    ),
  ];
}
