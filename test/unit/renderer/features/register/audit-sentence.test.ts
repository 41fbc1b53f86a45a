import { describe, expect, it } from "vitest";
import { auditSentence } from "../../../../../renderer/features/register/audit-sentence";
import type { AuditEvent } from "../../../../../shared/contract/index";

// Issue #19 item 6: the audit timeline reads as sentences with names, never `approval.approve on change` or `os:root`.
const PEOPLE: Readonly<Record<string, string>> = { "sofia.rossi@plant.example": "Sofia Rossi" };
const nameOf = (email: string) => PEOPLE[email];

function event(action: string, actor: string, before: unknown = null, after: unknown = null): AuditEvent {
  const entity = action.split(".")[0] ?? "change";
  return {
    seq: 1,
    at: "2026-12-04T10:00:00Z",
    actor,
    door: "ipc",
    action,
    entity,
    entityId: null,
    before,
    after,
    reason: null,
    prevHash: "",
    hash: "",
  };
}

describe("auditSentence", () => {
  it("names the person and says what they did", () => {
    expect(auditSentence(event("approval.approve", "sofia.rossi@plant.example"), nameOf)).toBe(
      "Sofia Rossi approved the change with a signature.",
    );
    expect(
      auditSentence(
        event("change.transition", "sofia.rossi@plant.example", { status: "draft" }, { status: "submitted" }),
        nameOf,
      ),
    ).toBe("Sofia Rossi moved the change from draft to submitted.");
    expect(
      auditSentence(
        event("change.update", "sofia.rossi@plant.example", { rollbackPlan: "a" }, { rollbackPlan: "b" }),
        nameOf,
      ),
    ).toBe("Sofia Rossi edited the rollback plan.");
  });

  it("never shows an account id or a method id", () => {
    const sentence = auditSentence(event("odoo.connect", "os:root"), nameOf);
    expect(sentence).toBe("The computer account “root” (no signing key chosen) recorded “connect” on the odoo.");
    expect(sentence).not.toMatch(/os:root|odoo\.connect/);
    expect(auditSentence(event("change.import", "system:gitops"), nameOf)).toBe(
      "Shiftgate (gitops) brought the change in from the GitOps repository.",
    );
    // Someone not in the policy keeps the e-mail they signed with.
    expect(auditSentence(event("change.delete", "ex.employee@plant.example"), nameOf)).toBe(
      "ex.employee@plant.example deleted the draft.",
    );
  });
});
