import { describe, expect, it } from "vitest";
import { translateSqliteError } from "../../../../../electron/core/register/db";

// better-sqlite3 reports SQLite's extended result codes; a damaged index or a stale snapshot found mid-session
// must reach the person as what it is, not as "something went wrong".
const sqliteError = (code: string) => Object.assign(new Error("database disk image is malformed"), { code });

describe("translateSqliteError", () => {
  it.each([
    ["SQLITE_CORRUPT", "storage-corrupt"],
    ["SQLITE_CORRUPT_INDEX", "storage-corrupt"],
    ["SQLITE_CORRUPT_SEQUENCE", "storage-corrupt"],
    ["SQLITE_NOTADB", "storage-corrupt"],
    ["SQLITE_BUSY_SNAPSHOT", "storage-locked"],
    ["SQLITE_BUSY_RECOVERY", "storage-locked"],
    ["SQLITE_READONLY_DBMOVED", "storage"],
    ["SQLITE_CANTOPEN_ISDIR", "storage"],
  ])("maps %s to %s", (code, expected) => {
    expect(translateSqliteError(sqliteError(code), "/data/register.sqlite")?.code).toBe(expected);
  });

  it("leaves other errors to the caller", () => {
    expect(translateSqliteError(sqliteError("SQLITE_CONSTRAINT_UNIQUE"))).toBeNull();
    expect(translateSqliteError(new Error("no code"))).toBeNull();
  });
});
