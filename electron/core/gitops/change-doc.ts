import type { Gate } from "../../../shared/contract/methods/register-types";
import type { ApprovalDoc, ChangeDoc } from "../../../shared/domain/policy/index";
import { gatesCurrent, writeChange } from "../../../shared/domain/policy/index";
import { type ChangeRow, rowFields } from "../register/change-rows";
import { digestOf } from "./commit";
import { gatesDigest } from "./gates-digest";

/** The change as change.yaml states it, plus what the register knows around it. */
export interface ChangeView {
  readonly row: ChangeRow;
  /** The record the rules judge; its id is the CHG number once submitted, else the register id. */
  readonly doc: ChangeDoc;
  /** sha256:<hex> of change.yaml's bytes: of the repository's file once submitted, else of the canonical form. */
  readonly digest: string;
  /** sha256:<hex> of the gate records the register holds for it (gates-digest.ts), when they were read. */
  readonly gatesDigest?: string;
}

/** The change.yaml fields of a register row. Missing implementer or window stay absent from the bytes. */
export function changeDocOf(row: ChangeRow): ChangeDoc {
  const f = rowFields(row);
  return {
    id: row.number ?? row.id,
    title: f.title,
    type: f.type,
    // Emergency changes may be approved before their assessment; the emergency quorum ignores the class.
    risk: row.risk ?? "high",
    area: f.area,
    environment: f.environment,
    plants: [...f.plants],
    requester: { name: f.requester.name, email: f.requester.email },
    ...(row.on_behalf_of_email !== null
      ? { onBehalfOf: { name: row.on_behalf_of_name ?? "", email: row.on_behalf_of_email } }
      : {}),
    // An absent implementer matches no e-mail, so it never blocks an approver.
    implementer: f.implementer ? { name: f.implementer.name, email: f.implementer.email } : { name: "", email: "" },
    window: f.window ? { start: f.window.start, end: f.window.end } : { start: "", end: "" },
    dbMigration: f.dbMigration,
    rollback: f.rollbackPlan,
    validation: [...f.validation],
    // Only a standard change names its template; other changes' bytes (and digests) stay as they were.
    ...(f.template !== null ? { template: f.template } : {}),
  };
}

/** The canonical change.yaml bytes of a register row (what a submission would write), with the artifact if named. */
export function canonicalChangeYaml(row: ChangeRow, artifact?: ChangeDoc["artifact"]): string {
  const doc = { ...changeDocOf(row), artifact };
  const f = rowFields(row);
  const bytes: Record<string, unknown> = { ...doc };
  if (!f.implementer) bytes.implementer = undefined;
  if (!f.window) bytes.window = undefined;
  if (row.risk === null) bytes.risk = undefined;
  return writeChange(bytes as ChangeDoc);
}

/**
 * Builds the view of a change. `repoDigest` gives the digest of the repository's change.yaml for a CHG number
 * (null when the change is not in a configured repository): approvals must link to those exact bytes.
 */
export function changeView(
  row: ChangeRow,
  repoDigest: (number: string) => string | null,
  gates?: readonly Gate[],
): ChangeView {
  const fromRepo = row.number !== null ? repoDigest(row.number) : null;
  const digest = fromRepo ?? digestOf(canonicalChangeYaml(row));
  return { row, doc: changeDocOf(row), digest, ...(gates ? { gatesDigest: gatesDigest(gates, row.environment) } : {}) };
}

/** Whether an approval is for the change as it stands: its change.yaml and the gate records the signer saw. */
export function approvalCurrent(approval: ApprovalDoc, view: ChangeView): boolean {
  return approval.changeDigest === view.digest && gatesCurrent(approval, view.gatesDigest);
}
