import type { Core } from "../../electron/core/core";
import type { AuditInput } from "../../electron/core/dispatch";
import { appendAudit } from "../../electron/core/register/audit";
import { transitionChange } from "../../electron/core/register/change-ops";
import type { OpEnv } from "../../electron/core/register/ops-env";
import type { ChangeStatus } from "../../shared/contract/index";

/** A move the core makes on evidence (what approvals, a release or post-release validation do), with its audit row. */
export function evidenceMove(core: Core, id: string, to: ChangeStatus, reason = "evidence"): void {
  const db = core.services.register.db;
  // The core's clock, so the move lands where the test's timeline puts it.
  const now = core.services.clock.now();
  db.transaction(() => {
    const entries: AuditInput[] = [];
    const env: OpEnv = {
      db,
      now,
      actor: "system:test",
      door: "direct",
      newId: () => {
        throw new Error("a move makes no ids");
      },
      roles: () => [],
      audit: (e) => entries.push(e),
    };
    transitionChange(env, { id, to, reason }, "evidence");
    appendAudit(db, entries, { door: "direct", at: now }, "system:test");
  }).immediate();
}
