import { createHash } from "node:crypto";
import { checkEvidenceName, isCheckRunRecord } from "../../../../shared/domain/policy/check-records";
import { type GateChangeView, type GateRecordDoc, gateFileRefusal } from "../../../../shared/domain/policy/index";
import type { DocCache } from "./doc-cache";
import type { PolicyState } from "./policy-state";

// Rule 4 of issue #18 as the ledger sees it: a gate fed by an Odoo check is not passed by hand while its check
// fails. In a change's gate files, oldest first by the time each was recorded, a hand "pass" (no check-run evidence)
// after a failing check run of the same stage and gate, with no passing check run and no waiver between, overrides
// the check: it is a `gate-check-overridden` finding and counts for nothing in the gate judgement.

/** One counted gate file of a change, as this rule reads it. */
interface CheckedRecord {
  readonly rest: string;
  readonly doc: GateRecordDoc;
  readonly checkRun: boolean;
}

export type Files = ReadonlyMap<string, { readonly blob: string; readonly discarded: string | null }>;

/** The hand passes among `records` that override a failing check, each with the failing run it overrides. */
export function overridingPasses(records: readonly CheckedRecord[]): Map<CheckedRecord, CheckedRecord> {
  const sorted = [...records].sort((a, b) => Date.parse(a.doc.recordedAt) - Date.parse(b.doc.recordedAt));
  const failing = new Map<string, CheckedRecord>();
  const out = new Map<CheckedRecord, CheckedRecord>();
  for (const r of sorted) {
    const key = `${r.doc.stage}/${r.doc.gate}`;
    const failed = failing.get(key);
    if (r.checkRun) {
      if (r.doc.result === "fail") failing.set(key, r);
      else if (r.doc.result === "pass") failing.delete(key);
    } else if (r.doc.result === "waived") failing.delete(key);
    else if (r.doc.result === "pass" && failed) out.set(r, failed);
  }
  return out;
}

/** A change's gate files that count (readable, its own, not refused by the policy), from a change folder's files. */
export function countedGateRecords(
  id: string,
  view: GateChangeView,
  files: Iterable<[string, string]>,
  s: PolicyState,
  docs: DocCache,
): CheckedRecord[] {
  const out: CheckedRecord[] = [];
  const folder = new Map(files);
  for (const [rest, blob] of folder) {
    if (!rest.startsWith("gates/")) continue;
    try {
      // An unreadable gate file counts for nothing.
      const doc = docs.gate(blob);
      if (!doc || doc.change !== id || gateFileRefusal(s.policy, view, doc) !== null) continue;
      out.push({ rest, doc, checkRun: isCheckRunRecord(doc) && runFileAgrees(doc, folder, docs) });
    } catch {
      // A record the policy cannot judge counts for nothing either.
    }
  }
  return out;
}

/** The live (not discarded) files of a change folder as [rest, blob]. */
export function liveFiles(files: Files | undefined): [string, string][] {
  return [...(files ?? new Map())].filter(([, e]) => !e.discarded).map(([rest, e]) => [rest, e.blob]);
}

/**
 * Whether a record that names a check run's file carries that file beside the change (evidence/<sha256>, its
 * content hashing to that name) and the file is a run of the same environment and gate with the record's result:
 * a file name alone is no check run, so a hand pass cannot pass itself off as one.
 */
function runFileAgrees(doc: GateRecordDoc, folder: ReadonlyMap<string, string>, docs: DocCache): boolean {
  const name = checkEvidenceName(doc.stage, doc.gate);
  return doc.evidence.some((e) => {
    if (e.filename !== name || e.location !== "repo") return false;
    const blob = folder.get(`evidence/${e.sha256}`);
    const bytes = blob ? docs.read(blob) : null;
    if (!bytes || createHash("sha256").update(bytes).digest("hex") !== e.sha256) return false;
    try {
      const run = JSON.parse(bytes.toString("utf8")) as Record<string, unknown>;
      return (
        run.kind === "shiftgate/odoo-check-run" &&
        run.environment === doc.stage &&
        run.gate === doc.gate &&
        run.status === doc.result
      );
    } catch {
      return false;
    }
  });
}
