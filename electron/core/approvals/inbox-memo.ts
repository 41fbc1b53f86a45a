import type { ChangeSummary } from "../../../shared/contract/index";
import type { ApprovalScope } from "../../../shared/contract/methods/approvals";
import type { Trust } from "../identity/trust";
import type { Db } from "../register/db";

/** One change of an inbox as judged: its summary (whether its window passed is judged again at each load), scopes and quorum. */
export interface JudgedItem {
  readonly change: ChangeSummary;
  readonly scopes: readonly ApprovalScope[];
  readonly quorumSummary: string;
}

/**
 * The last inbox judged, for a load that finds nothing changed (the desktop notifier polls every 60 s). It is used
 * only when the register, the repository reading, the trust and the signatory are all the same as then.
 */
export interface InboxMemo {
  key: string | null;
  items: readonly JudgedItem[];
}

/** An empty memo, one per core. */
export function inboxMemo(): InboxMemo {
  return { key: null, items: [] };
}

/**
 * What an inbox depends on, as one string. The register's part is SQLite's own count of rows this connection
 * changed (`total_changes()`) and the file's `data_version` (moved by any other connection's commit): no write to
 * any table, here or by the CLI on the same file, leaves both unchanged.
 */
export function inboxKey(db: Db, trust: Trust, reading: string, signatory: string): string {
  const changed = db.prepare("SELECT total_changes()").pluck().get() as number;
  const version = db.pragma("data_version", { simple: true }) as number;
  return JSON.stringify([
    changed,
    version,
    reading,
    signatory.toLowerCase(),
    trust.policy,
    trust.signers,
    trust.pgpKeys,
  ]);
}
