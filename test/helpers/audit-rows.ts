import type Database from "better-sqlite3";
import { AUDIT_CANONICAL, GENESIS_HASH, sha256Hex } from "../../electron/core/register/audit";

const COLUMNS = "seq, prev_hash, at, actor, door, action, entity, entity_id, change_id, before, after, reason";
const AFTER = '{"body":"Checked on the floor"}';

// Numbers bound from JavaScript arrive as REAL (678.0) and are cast, as the register's writer does.
// One row's canonical form as SQL, in the register's own column order (checked against AUDIT_CANONICAL below).
function canonical(seq: string, prev: string): string {
  return `json_array(${seq}, ${prev}, @at, 'raj.patel@plant.example', 'direct', 'change.comment', 'comment',
    'C' || ${seq}, NULL, NULL, '${AFTER}', NULL)`;
}

/**
 * Appends `rows` valid audit rows after the chain's last one in one SQL statement: a recursive query carries each
 * row's hash into the next row's prev_hash, hashing the register's own canonical form. A million rows take seconds,
 * against minutes through the register's writer: for tests and benches of a long audit verify.
 */
export function fillAuditChain(db: Database.Database, rows: number, at: Date): void {
  if (AUDIT_CANONICAL !== `json_array(${COLUMNS})`)
    throw new Error("The audit row's canonical form changed: update test/helpers/audit-rows.ts to match it.");
  const last = db.prepare("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").get() as
    | { seq: number; hash: string }
    | undefined;
  db.function("chain_sha256", { deterministic: true }, (text: unknown) => sha256Hex(String(text)));
  db.prepare(
    `INSERT INTO audit (${COLUMNS.replace("prev_hash, ", "")}, prev_hash, hash)
     WITH RECURSIVE r(n, prev, hash) AS (
       SELECT CAST(@first AS INTEGER), @prev, chain_sha256(${canonical("CAST(@first AS INTEGER)", "@prev")})
       UNION ALL
       SELECT n + 1, hash, chain_sha256(${canonical("(n + 1)", "hash")}) FROM r WHERE n < @end
     )
     SELECT n, @at, 'raj.patel@plant.example', 'direct', 'change.comment', 'comment', 'C' || n, NULL, NULL,
       '${AFTER}', NULL, prev, hash FROM r`,
  ).run({
    first: (last?.seq ?? 0) + 1,
    end: (last?.seq ?? 0) + rows,
    prev: last?.hash ?? GENESIS_HASH,
    at: at.toISOString(),
  });
}
