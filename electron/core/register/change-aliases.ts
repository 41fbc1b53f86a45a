import { appendAudit } from "./audit";
import type { Db } from "./db";
import { stmt } from "./statements";

/**
 * A submission renumbered on push (another laptop took its number first): the change takes the repository's number,
 * its old one stays findable as an alias, and the audit trail says so, in one transaction. An automatic step of the
 * GitOps part, so the actor is `system:gitops`, not whoever holds the key. Returns false when no change holds `from`.
 */
export function followRenumber(db: Db, from: string, to: string, at: Date): boolean {
  const id = stmt(db, "SELECT id FROM changes WHERE number = ?").pluck().get(from);
  if (typeof id !== "string") return false;
  db.transaction(() => {
    stmt(db, "UPDATE changes SET number = ?, version = version + 1 WHERE id = ?").run(to, id);
    stmt(db, "INSERT OR REPLACE INTO change_aliases (number, change_id, at) VALUES (?, ?, ?)").run(
      from,
      id,
      at.toISOString(),
    );
    appendAudit(
      db,
      [
        {
          action: "change.number",
          entity: "change",
          entityId: id,
          before: { number: from },
          after: { number: to },
          reason: `Another laptop took ${from} first; renumbered ${to} on push (${from} is kept as an alias)`,
        },
      ],
      { door: "direct", at },
      "system:gitops",
    );
  })();
  return true;
}

/** The live change holding this CHG number now, else the one that held it before a renumbering; null when none. */
export function changeIdByNumber(db: Db, number: string): string | null {
  const upper = number.toUpperCase();
  const current = stmt(db, "SELECT id FROM changes WHERE number = ? AND deleted_at IS NULL").pluck().get(upper);
  if (typeof current === "string") return current;
  const alias = stmt(
    db,
    "SELECT a.change_id FROM change_aliases a JOIN changes c ON c.id = a.change_id WHERE a.number = ? AND c.deleted_at IS NULL",
  )
    .pluck()
    .get(upper);
  return typeof alias === "string" ? alias : null;
}
