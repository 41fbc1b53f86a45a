import type { GitopsOutboxItem, GitopsOutboxView } from "../../../shared/contract/methods/gitops";
import type { Db } from "../register/db";
import { changeIdOfNumber } from "../register/ledger-reads";
import { type OutboxRow, recentRows, rowsIn } from "./outbox-store";

// The register's own id for a CHG number, so home and the outbox panel can link to the change page.
function registerIdOf(db: Db, number: string | null): string | null {
  return number ? changeIdOfNumber(db, number) : null;
}

function item(db: Db, r: OutboxRow): GitopsOutboxItem {
  return {
    id: r.id,
    sha: r.sha,
    subject: r.subject,
    changeId: registerIdOf(db, r.changeNumber),
    change: r.changeNumber,
    kind: r.kind,
    state: r.state,
    signer: `${r.signer.name} <${r.signer.email}>`,
    attempts: r.attempts,
    lastError: r.lastError,
    createdAt: r.createdAt,
    nextAttemptAt: r.nextAttemptAt,
    pushedAt: r.pushedAt,
  };
}

/** The outbox as `gitops.outbox` shows it. */
export function outboxView(db: Db, configured: boolean): GitopsOutboxView {
  const items = rowsIn(db, ["pending", "committed"]).map((r) => item(db, r));
  const recent = recentRows(db, 20)
    .filter((r) => r.state === "pushed" || r.state === "abandoned")
    .map((r) => item(db, r));
  return { configured, items, recent };
}
