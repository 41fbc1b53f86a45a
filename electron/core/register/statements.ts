import type Database from "better-sqlite3";
import type { Db } from "./db";

// Prepared statements cached per connection: hot paths (bulk creation, audit writes) would otherwise
// spend a large share of their time re-parsing the same SQL.
const cache = new WeakMap<Db, Map<string, Database.Statement>>();

/** The prepared statement for `sql` on this connection, prepared once. */
export function stmt(db: Db, sql: string): Database.Statement {
  let byDb = cache.get(db);
  if (!byDb) {
    byDb = new Map();
    cache.set(db, byDb);
  }
  let s = byDb.get(sql);
  if (!s) {
    s = db.prepare(sql);
    byDb.set(sql, s);
  }
  return s;
}
